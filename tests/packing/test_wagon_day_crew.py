"""The crew's wagon-day: the morning scan packs an item on every stop that needs it, a case's tag
packs its items and names what is missing, "geladen?" per kit type, and the return check closes every
visit of the day at once — each exactly once per client_id."""

import datetime as dt
import io
import uuid

import pytest
from pypdf import PdfReader

from bookings.models import Booking
from bookings.packing.models import CheckAction, PackingLine, WagonDayAction, WagonDayCharge
from bookings.services import booking_set_status
from inventory.models import Item
from routes.services import route_create
from tests.factories import SchoolFactory
from tests.packing.conftest import VISIT_DAY, make_booking

URL = "/api/v1/wagon-days/{wagon}/{date}/"


def day_url(kit, suffix=""):
    return URL.format(wagon=kit.wagon.pk, date=VISIT_DAY.isoformat()) + suffix


def stops(kit, school, pupils):
    made = []
    for index, count in enumerate(pupils):
        target = school if index == 0 else SchoolFactory(depot=kit.depot)
        booking = make_booking(kit, target, pupils=count)
        session = booking.sessions.get()
        session.start_time = dt.time(9 + 2 * index, 0)
        session.save()
        made.append(booking)
    return made


def check(client, kit, body, client_id=None):
    body = {**body, "client_id": str(client_id or uuid.uuid4())}
    return client.post(day_url(kit, "check/"), body, format="json")


def test_a_morning_scan_packs_the_item_on_every_stop_that_needs_it_once(crew_client, kit, school):
    first, second = stops(kit, school, [8, 12])  # 3 and 4 robots
    client_id = uuid.uuid4()
    response = check(crew_client, kit, {"action": "pack", "asset_tag": "rob-005"}, client_id)
    assert response.status_code == 200, response.data
    assert sorted(line["booking"] for line in response.data["lines"]) == [first.pk, second.pk]
    item = Item.objects.get(asset_tag="ROB-005")
    assert PackingLine.objects.filter(item=item, packed=True).count() == 2
    actions = CheckAction.objects.count()
    # The tablet retries: same answer, nothing applied twice.
    again = check(crew_client, kit, {"action": "pack", "asset_tag": "rob-005"}, client_id)
    assert again.status_code == 200 and again.json() == response.json()
    assert CheckAction.objects.count() == actions
    assert WagonDayAction.objects.count() == 1
    # The same client_id for something else is a conflict.
    other = check(crew_client, kit, {"action": "pack", "asset_tag": "ROB-006"}, client_id)
    assert other.status_code == 409 and other.data["code"] == "client_id_conflict"


def test_the_page_counts_a_packed_item_once_however_many_stops_list_it(
    client, crew_user, kit, school
):
    stops(kit, school, [8, 12])
    client.force_login(crew_user)
    client.post(
        day_url(kit, "check/"),
        {"action": "pack", "asset_tag": "ROB-005", "client_id": str(uuid.uuid4())},
        content_type="application/json",
    )
    response = client.get(f"/crew/days/{kit.wagon.pk}/{VISIT_DAY.isoformat()}/")
    assert response.status_code == 200
    robots = next(k for k in response.context["sheet"]["kit"] if k["name"] == "Robotauto")
    assert (robots["packed"], robots["quantity"]) == (1, 4)


def test_an_unknown_or_unneeded_tag_is_refused(crew_client, kit, school):
    stops(kit, school, [8])
    assert check(crew_client, kit, {"action": "pack", "asset_tag": "NOPE-1"}).status_code == 400
    from tests.factories import ItemFactory, KitTypeFactory

    ItemFactory(asset_tag="VR-001", kit_type=KitTypeFactory(name="VR-bril"), depot=kit.depot)
    response = check(crew_client, kit, {"action": "pack", "asset_tag": "VR-001"})
    assert response.status_code == 400 and response.data["code"] == "wrong_kit_type"


def test_a_case_scan_ticks_its_items_and_names_the_missing_one(crew_client, kit, school):
    stops(kit, school, [16])  # 5 robots
    lost = kit.cased[3]
    lost.status = Item.Status.LOST
    lost.save()
    response = check(crew_client, kit, {"action": "pack", "asset_tag": "k-rob-1"})
    assert response.status_code == 200, response.data
    assert response.data["case"] == "K-ROB-1"
    assert response.data["packed"] == ["ROB-001", "ROB-002", "ROB-003"]
    assert [m["asset_tag"] for m in response.data["missing"]] == ["ROB-004"]
    assert set(
        PackingLine.objects.filter(packed=True, item__isnull=False).values_list(
            "item__asset_tag", flat=True
        )
    ) == {"ROB-001", "ROB-002", "ROB-003"}


def test_geladen_is_kept_per_wagon_day_and_kit_type(crew_client, kit, school):
    stops(kit, school, [8])
    kit.robot.needs_charging = True
    kit.robot.save()
    response = check(
        crew_client, kit, {"action": "charge", "kit_type": kit.robot.pk, "charged": True}
    )
    assert response.status_code == 200, response.data
    assert WagonDayCharge.objects.get(kit_type=kit.robot).charged is True
    refused = check(
        crew_client, kit, {"action": "charge", "kit_type": kit.tablet.pk, "charged": True}
    )
    assert refused.status_code == 400 and refused.data["code"] == "not_chargeable"
    sheet = crew_client.get(day_url(kit)).data
    robots = next(k for k in sheet["kit"] if k["name"] == "Robotauto")
    tablets = next(k for k in sheet["kit"] if k["name"] == "Tablet")
    assert (robots["needs_charging"], robots["charged"]) == (True, True)
    assert (tablets["needs_charging"], tablets["charged"]) == (False, None)


def _pack_everything(client, kit, bookings):
    for tag in [f"ROB-{n:03d}" for n in range(5, 10)] + ["TAB-001", "TAB-002", "TAB-003"]:
        check(client, kit, {"action": "pack", "asset_tag": tag})
    for booking in bookings:
        for line in PackingLine.objects.filter(packing_list__booking=booking, packed=False):
            client.post(
                f"/api/v1/bookings/{booking.pk}/packing-list/check/",
                {"action": "pack", "line": line.pk, "client_id": str(uuid.uuid4())},
                format="json",
            )


def test_the_return_check_closes_every_visit_of_the_day_in_one_go(crew_client, kit, school):
    bookings = stops(kit, school, [8, 12])
    _pack_everything(crew_client, kit, bookings)
    # Before arrival the day cannot be closed.
    early = check(crew_client, kit, {"action": "return", "lines": []})
    assert early.status_code == 409 and early.data["code"] == "invalid_transition"
    for booking in bookings:
        booking.refresh_from_db()
        assert booking.status == "packed"
        booking_set_status(booking=booking, status="on_site", acting_user=None, reason="test")
    client_id = uuid.uuid4()
    body = {"action": "return", "lines": [{"asset_tag": "ROB-006", "condition": "damaged"}]}
    response = check(crew_client, kit, body, client_id)
    assert response.status_code == 200, response.data
    assert {s["status"] for s in response.data["stops"]} == {"returned"}
    assert Item.objects.get(asset_tag="ROB-006").status == "defect"
    damaged = PackingLine.objects.filter(item__asset_tag="ROB-006", condition="damaged")
    # One physical item, one damage: on the last stop that carried it.
    assert [line.packing_list.booking_id for line in damaged] == [bookings[1].pk]
    assert not PackingLine.objects.filter(packed=True, condition="").exists()
    rows = CheckAction.objects.count()
    assert check(crew_client, kit, body, client_id).json() == response.json()
    assert CheckAction.objects.count() == rows


def test_the_return_check_refuses_a_tag_that_was_not_out(crew_client, kit, school):
    bookings = stops(kit, school, [8])
    _pack_everything(crew_client, kit, bookings)
    booking_set_status(booking=bookings[0], status="on_site", acting_user=None, reason="test")
    body = {"action": "return", "lines": [{"asset_tag": "ROB-010", "condition": "missing"}]}
    response = check(crew_client, kit, body)
    assert response.status_code == 400 and response.data["code"] == "unknown_line"
    assert Booking.objects.get(pk=bookings[0].pk).status == "on_site"  # nothing applied


@pytest.mark.parametrize(
    "body",
    [
        {"action": "pack"},
        {"action": "charge", "kit_type": 1},
        {"action": "fly"},
        {"action": "return", "lines": [{"asset_tag": "A", "condition": "meh"}]},
        {"action": "return", "lines": "nope"},
        {"action": "pack", "asset_tag": "x" * 41},
    ],
)
def test_bad_bodies_are_a_400(crew_client, kit, school, body):
    stops(kit, school, [8])
    assert check(crew_client, kit, body).status_code == 400


def test_roles_and_unknown_wagon_days(crew_client, school_client, anon_client, kit, school):
    stops(kit, school, [8])
    assert school_client.get(day_url(kit)).status_code == 403
    assert anon_client.get(day_url(kit)).status_code == 401
    body = {"action": "pack", "asset_tag": "ROB-005", "client_id": str(uuid.uuid4())}
    assert school_client.post(day_url(kit, "check/"), body, format="json").status_code == 403
    assert crew_client.get(f"/api/v1/wagon-days/999999/{VISIT_DAY}/").status_code == 404
    assert crew_client.get(f"/api/v1/wagon-days/{kit.wagon.pk}/2027-02-30/").status_code == 404
    assert (
        crew_client.post(
            f"/api/v1/wagon-days/999999/{VISIT_DAY}/check/", body, format="json"
        ).status_code
        == 404
    )


@pytest.mark.parametrize("pupils", [[8], [8, 16], [12, 4, 16]])
def test_page_api_and_pdf_agree_on_the_morning_list(
    client, crew_user, crew_client, kit, school, pupils
):
    bookings = stops(kit, school, pupils)
    api = crew_client.get(day_url(kit)).data
    api_kit = {k["name"]: k["quantity"] for k in api["kit"]}
    client.force_login(crew_user)
    page = client.get(f"/crew/days/{kit.wagon.pk}/{VISIT_DAY.isoformat()}/")
    page_kit = {k["name"]: k["quantity"] for k in page.context["sheet"]["kit"]}
    body = page.content.decode()
    route = route_create(
        wagon=kit.wagon, date=VISIT_DAY, booking_ids=[b.pk for b in bookings], acting_user=None
    )
    pdf = crew_client.get(f"/api/v1/routes/{route.pk}/packing-list/")
    pdf_api_kit = {k["name"]: k["quantity"] for k in pdf.data["kit"]}
    pdf_file = crew_client.get(f"/api/v1/routes/{route.pk}/packing-list.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_file.content)).pages)
    # The PDF's day table prints one cell a line: name, then quantity.
    cells = text.split("Paklijst (hele dag)")[1].split("Verbruik")[0].splitlines()
    pdf_kit = {name: int(cells[cells.index(name) + 1]) for name in ("Robotauto", "Tablet")}
    robots = max(-(-n // 4) + 1 for n in pupils)
    expected = {"Robotauto": robots, "Tablet": 3}
    assert api_kit == page_kit == pdf_api_kit == pdf_kit == expected
    for quantity in expected.values():
        assert f'<span class="kit-need">{quantity}</span>' in body
    pla = sum(8 * n for n in pupils)
    assert [c["quantity"] for c in api["consumables"]] == [pla]
    assert f"{pla} g" in body


def test_the_planning_board_marks_kit_not_charged_yet(
    client, coordinator, crew_client, kit, school
):
    import time_machine

    stops(kit, school, [8])
    kit.robot.needs_charging = True
    kit.robot.save()
    with time_machine.travel(dt.datetime(2027, 3, 8, 9, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(coordinator)
        response = client.get("/planning/board/?start=2027-03-08")
        assert response.status_code == 200, response
        board = response.content.decode()
        assert 'id="uncharged-kit"' in board and "Robotauto" in board
        assert "Tablet" not in board.split('id="uncharged-kit"')[1].split("</section>")[0]
        check(crew_client, kit, {"action": "charge", "kit_type": kit.robot.pk, "charged": True})
        board = client.get("/planning/board/?start=2027-03-08").content.decode()
        assert 'id="uncharged-kit"' not in board
