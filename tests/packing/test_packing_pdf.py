"""The printable packing list, parsed back with pypdf."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import resolve
from pypdf import PdfReader

from bookings.packing import services as packing
from bookings.packing.models import PackingLine
from tests.factories import ItemFactory, KitRuleFactory, KitTypeFactory
from tests.packing.conftest import make_booking

PDF = "/api/v1/bookings/{}/packing-list.pdf"


def pdf_text(content: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(content))
    return reader, [page.extract_text() for page in reader.pages]


def link_uris(reader: PdfReader) -> set[str]:
    uris = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.add(action["/URI"])
    return uris


def test_it_names_the_visit_and_every_asset_tag(crew_client, booking, settings):
    settings.SITE_URL = "https://tw.example.nl"
    response = crew_client.get(PDF.format(booking.id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader, pages = pdf_text(response.content)
    text = "\n".join(pages)
    assert "Melanchthon Kralingen" in text
    assert booking.reference in text
    tags = PackingLine.objects.filter(packing_list__booking=booking, item__isnull=False)
    assert tags.count() == 8
    for line in tags.select_related("item"):
        assert line.item.asset_tag in text
    for word in ("Ingepakt", "Retour", "Ingepakt door", "Gecontroleerd door", "PLA-filament"):
        assert word in text
    assert "EHBO-koffer" in text and "dinsdag 9 maart 2027" in text
    assert "pagina 1 van 1" in text
    assert "gegenereerd op 21-11-2026 11:00" in text  # Europe/Amsterdam


def test_the_qr_code_opens_the_crew_page_of_this_visit(crew_client, booking, settings):
    settings.SITE_URL = "https://tw.example.nl"
    reader, _ = pdf_text(crew_client.get(PDF.format(booking.id)).content)
    assert link_uris(reader) == {f"https://tw.example.nl/crew/visits/{booking.id}/"}
    match = resolve(f"/crew/visits/{booking.id}/")  # the crew page exists at that path
    assert match.view_name == "crew:visit" and match.kwargs == {"booking_id": booking.id}


def test_the_qr_encodes_the_crew_url_and_nothing_else(booking, kit):
    from bookings.packing.pdf import PackingListPdf
    from bookings.packing.selectors import pdf_context_for_booking

    packing.packing_list_ensure(booking=booking)
    renderer = PackingListPdf(pdf_context_for_booking(booking=booking), generated_at=_now())
    assert renderer.qr_payload.endswith(f"/crew/visits/{booking.id}/")
    encoded = []
    from reportlab.graphics.barcode import qr

    original = qr.QrCodeWidget.__init__

    def spy(self, value="Hello World", *args, **kwargs):
        encoded.append(value)
        original(self, value, *args, **kwargs)

    qr.QrCodeWidget.__init__ = spy
    try:
        renderer.render()
    finally:
        qr.QrCodeWidget.__init__ = original
    assert encoded == [renderer.qr_payload]  # once per document, never an asset tag


def _now():
    import datetime as dt

    return dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def long_booking(kit, school):
    """80 lines: 76 item lines + 1 consumable + 1 standard + ..."""
    many = KitTypeFactory(name="micro:bit-kit", storage_location="C3", spare_units=0)
    for n in range(1, 80):
        ItemFactory(asset_tag=f"MB-{n:03d}", kit_type=many, depot=kit.depot)
    KitRuleFactory(workshop=kit.workshop, kit_type=many, per_pupils=None, fixed=71)
    return make_booking(kit, school, pupils=4)  # 2 robots + 3 tablets + 71 = 76 items


def test_an_80_line_list_paginates_with_the_header_repeated(crew_client, long_booking):
    packing.packing_list_ensure(booking=long_booking)
    assert PackingLine.objects.filter(packing_list__booking=long_booking).count() >= 78
    reader, pages = pdf_text(crew_client.get(PDF.format(long_booking.id)).content)
    assert len(pages) == 2
    assert "pagina 1 van 2" in pages[0] and "pagina 2 van 2" in pages[1]
    assert "Inventarisnr." in pages[0] and "Inventarisnr." in pages[1]  # repeated header
    text = "\n".join(pages)
    for n in range(1, 72):
        assert f"MB-{n:03d}" in text
    assert len(link_uris(reader)) == 1


def test_packed_and_returned_state_shows_on_paper(crew_client, booking):
    line = PackingLine.objects.filter(packing_list__booking=booking).first()
    if line is None:
        packing.packing_list_ensure(booking=booking)
    _, pages = pdf_text(crew_client.get(PDF.format(booking.id)).content)
    assert not re.search(r"\bX\b", pages[0].split("Inventarisnr.")[1].split("Ingepakt door")[0])
    lines = PackingLine.objects.filter(packing_list__booking=booking, kind="item")
    packing.packing_check(
        booking=booking, action="pack", line_id=lines[0].id,
        client_id="3f8b0d6e-1111-4111-8111-000000000001",
    )  # fmt: skip
    _, pages = pdf_text(crew_client.get(PDF.format(booking.id)).content)
    assert re.search(r"\bX\b", pages[0])


def test_the_pdf_is_not_for_schools(school_client, other_school_client, booking):
    assert school_client.get(PDF.format(booking.id)).status_code == 403
    assert other_school_client.get(PDF.format(booking.id)).status_code == 403


def test_a_pdf_client_asking_for_pdf_gets_it(crew_client, booking):
    response = crew_client.get(PDF.format(booking.id), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_header_prints_arrival_and_every_session(crew_client, booking):
    _, pages = pdf_text(crew_client.get(PDF.format(booking.id)).content)
    text = " ".join(pages[0].split())
    setup = booking.wagon.setup_minutes
    arrive = (dt.datetime.combine(booking.date, dt.time(9, 0)) - dt.timedelta(minutes=setup)).time()
    assert f"Aankomst uiterlijk: {arrive:%H:%M} (opbouw {setup} min)" in text
    session = booking.sessions.select_related("workshop").get()
    assert (
        f"09:00 {session.group_label} — Robotauto coderen (16 lln, "
        f"{session.workshop.duration_minutes} min)"
    ) in text
    assert "Techniekwagen Rotterdam-Noord (VZ-123-T)" in text


@pytest.mark.parametrize("pupils", [2, 40])
def test_the_pdf_costs_a_fixed_number_of_queries(
    crew_client, kit, school, pupils, django_assert_num_queries
):
    booking = make_booking(kit, school, pupils=pupils)
    crew_client.get(PDF.format(booking.id))
    # The booking with school and wagon, its lines, its sessions: however long the list.
    with django_assert_num_queries(3):
        response = crew_client.get(PDF.format(booking.id))
    assert response.status_code == 200


def test_a_list_read_as_rows_matches_line_data_of_its_objects(booking, kit):
    from bookings.packing.selectors import (
        line_data,
        packing_list_for_booking,
        pdf_context_for_booking,
    )

    lines = PackingLine.objects.filter(packing_list__booking=booking).order_by("position", "id")
    item_line = lines.filter(kind="item").first()
    client_id = "3f8b0d6e-1111-4111-8111-0000000000{:02d}"
    packing.packing_check(
        booking=booking, action="pack", line_id=item_line.id, client_id=client_id.format(1)
    )
    consumable = lines.filter(kind="consumable").first()
    PackingLine.objects.filter(pk=consumable.pk).update(
        used_quantity=Decimal("12.5"), condition="damaged", note="gemorst"
    )
    kinds = set(lines.values_list("kind", flat=True))
    assert kinds == {"item", "consumable", "standard"}
    expected = [
        line_data(line)
        for line in lines.select_related("item", "case", "kit_type", "consumable", "standard")
    ]
    assert packing_list_for_booking(booking=booking)["lines"] == expected
    assert any(line["asset_tag"] for line in expected) and any(
        line["used_quantity"] == 12.5 for line in expected
    )
    # The PDF reads its own narrower rows: the same values under the same keys.
    printed = pdf_context_for_booking(booking=booking)["lines"]
    assert printed == [{key: line[key] for key in printed[0]} for line in expected]
