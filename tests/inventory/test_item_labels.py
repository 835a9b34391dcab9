"""Asset labels: GET /api/v1/items/labels.pdf — the QR codes decode to the chosen tags, in order,
from the chosen start position, in both sheet layouts; bad input is a 400, never a 500."""

import pytest

from inventory.labels import LAYOUTS, Label, LabelSheetPdf
from tests.factories import CaseFactory, DepotFactory, ItemFactory, KitTypeFactory

pytestmark = pytest.mark.django_db
zxingcpp = pytest.importorskip("zxingcpp")
pdfium = pytest.importorskip("pypdfium2")

DPI = 150


def decode_pages(pdf: bytes) -> list[list[tuple[str, int, int]]]:
    """Per page the decoded QR codes as (text, column, row) on the sheet grid."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            image = page.render(scale=DPI / 72).to_pil()
            found = []
            for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                centre_x = sum(p.x for p in _corners(result)) / 4
                centre_y = sum(p.y for p in _corners(result)) / 4
                found.append((result.text, centre_x, centre_y))
            pages.append(found)
            page.close()
        return pages
    finally:
        document.close()


def _corners(result):
    pos = result.position
    return [pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left]


def grid_slots(found, layout: str) -> list[tuple[int, str]]:
    """(slot number 1.., text) in reading order from the decoded centres."""
    lay = LAYOUTS[layout]
    px_per_mm = DPI / 25.4
    slots = []
    for text, x, y in found:
        column = int((x / px_per_mm - lay.left) // (lay.width + lay.gap_x))
        row = int((y / px_per_mm - lay.top) // (lay.height + lay.gap_y))
        slots.append((row * lay.columns + column + 1, text))
    return sorted(slots)


@pytest.fixture
def vr_items():
    depot = DepotFactory(name="Depot Rotterdam")
    vr = KitTypeFactory(name="VR-bril")
    return [ItemFactory(asset_tag=f"VR-{n:03d}", kit_type=vr, depot=depot) for n in range(1, 8)]


def test_qr_codes_decode_to_the_selected_tags_in_order_from_the_start_position(
    coordinator_client, vr_items
):
    chosen = [vr_items[4], vr_items[0], vr_items[2]]
    ids = ",".join(str(item.id) for item in chosen)
    response = coordinator_client.get(f"/api/v1/items/labels.pdf?item={ids}&start=5")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = decode_pages(response.content)
    assert len(pages) == 1
    assert grid_slots(pages[0], "3x8") == [(5, "VR-005"), (6, "VR-001"), (7, "VR-003")]


def test_the_2x7_layout_and_tags_by_name_spill_onto_a_second_sheet(crew_client, vr_items):
    tags = "&".join(f"tag={item.asset_tag.lower()}" for item in vr_items[:4])
    response = crew_client.get(f"/api/v1/items/labels.pdf?{tags}&layout=2x7&start=13")
    assert response.status_code == 200
    pages = decode_pages(response.content)
    assert len(pages) == 2
    assert grid_slots(pages[0], "2x7") == [(13, "VR-001"), (14, "VR-002")]
    assert grid_slots(pages[1], "2x7") == [(1, "VR-003"), (2, "VR-004")]


def test_a_kit_type_prints_all_its_items_and_a_case_its_own_code_first(
    coordinator_client, vr_items
):
    case = CaseFactory(code="VR-KOFFER-1", name="VR-koffer", depot=vr_items[0].depot)
    kit_type = vr_items[0].kit_type_id
    response = coordinator_client.get(
        f"/api/v1/items/labels.pdf?kit_type={kit_type}&case={case.id}"
    )
    assert response.status_code == 200
    texts = [text for _slot, text in grid_slots(decode_pages(response.content)[0], "3x8")]
    assert texts == ["VR-KOFFER-1"] + [item.asset_tag for item in vr_items]


def test_the_labels_show_tag_kit_type_and_depot_in_text(coordinator_client, vr_items):
    from io import BytesIO

    from pypdf import PdfReader

    response = coordinator_client.get(f"/api/v1/items/labels.pdf?item={vr_items[0].id}")
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "VR-001" in text and "VR-bril" in text and "Depot Rotterdam" in text


@pytest.mark.parametrize(
    "query,field",
    [
        ("", "item"),
        ("item=abc", "item"),
        ("item=999999", "item"),
        ("tag=NOPE-1", "item"),
        ("item={id}&start=0", "start"),
        ("item={id}&start=25", "start"),
        ("item={id}&layout=2x7&start=15", "start"),
        ("item={id}&layout=4x10", "layout"),
        ("item=99999999999999999999", "item"),
        ("kit_type=-1", "kit_type"),
    ],
)
def test_bad_selections_are_a_400_on_the_field(coordinator_client, vr_items, query, field):
    response = coordinator_client.get("/api/v1/items/labels.pdf?" + query.format(id=vr_items[0].id))
    assert response.status_code == 400
    assert field in response.json()


def test_roles(school_client, anon_client, vr_items):
    url = f"/api/v1/items/labels.pdf?item={vr_items[0].id}"
    assert school_client.get(url).status_code == 403
    assert anon_client.get(url).status_code == 401


def test_the_start_position_continues_over_sheets():
    pdf = LabelSheetPdf([Label(f"X-{n}", "t") for n in range(30)], layout="3x8", start=24).render()
    pages = decode_pages(pdf)
    assert [len(found) for found in pages] == [1, 24, 5]
    assert grid_slots(pages[0], "3x8") == [(24, "X-0")]
    assert grid_slots(pages[2], "3x8")[-1] == (5, "X-29")


def test_the_inventory_page_offers_the_labels_form(client, coordinator, vr_items):
    client.force_login(coordinator)
    response = client.get("/planning/inventory/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'action="/api/v1/items/labels.pdf"' in body
    assert f'<option value="{vr_items[0].kit_type_id}">VR-bril</option>' in body
