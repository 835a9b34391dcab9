"""Crew check actions: pack by line or scan, scan-swap, refusals, idempotent retries."""

import uuid

import pytest

from bookings.models import Booking
from bookings.packing.models import CheckAction, PackingLine
from inventory.models import Item
from inventory.services import item_set_status
from tests.factories import DepotFactory, ItemFactory, KitTypeFactory, WagonFactory
from tests.packing.conftest import make_booking

LIST = "/api/v1/bookings/{}/packing-list/"
CHECK = "/api/v1/bookings/{}/packing-list/check/"


def check(client, booking, **body):
    body.setdefault("client_id", str(uuid.uuid4()))
    return client.post(CHECK.format(booking.id), body, format="json")


def lines_of(client, booking):
    return client.get(LIST.format(booking.id)).data["lines"]


def first_tablet(lines):
    return next(line for line in lines if line["name"] == "Tablet")


def test_packing_a_line_marks_it_packed(crew_client, booking):
    line = first_tablet(lines_of(crew_client, booking))
    response = check(crew_client, booking, action="pack", line=line["id"])
    assert response.status_code == 200, response.data
    assert response.data["id"] == line["id"]
    assert response.data["packed"] is True
    assert response.data["booking_status"] == "confirmed"


def test_scanning_the_suggested_tag_packs_its_line(crew_client, booking):
    line = first_tablet(lines_of(crew_client, booking))
    response = check(crew_client, booking, action="pack", asset_tag=line["asset_tag"].lower())
    assert response.status_code == 200
    assert (response.data["id"], response.data["packed"]) == (line["id"], True)


def test_scanning_another_item_of_the_right_type_swaps_it_in(crew_client, booking, kit):
    lines = lines_of(crew_client, booking)
    suggested = {line["asset_tag"] for line in lines}
    assert "TAB-008" not in suggested
    response = check(crew_client, booking, action="pack", asset_tag="TAB-008")
    assert response.status_code == 200, response.data
    assert response.data["asset_tag"] == "TAB-008" and response.data["packed"] is True
    tags = [
        line["asset_tag"] for line in lines_of(crew_client, booking) if line["name"] == "Tablet"
    ]
    assert sorted(tags) == ["TAB-001", "TAB-002", "TAB-008"]  # the last suggestion made way


def test_scanning_into_a_chosen_line_swaps_that_line(crew_client, booking):
    line = first_tablet(lines_of(crew_client, booking))
    response = check(crew_client, booking, action="pack", asset_tag="TAB-007", line=line["id"])
    assert response.status_code == 200
    assert (response.data["id"], response.data["asset_tag"]) == (line["id"], "TAB-007")


def test_a_tag_of_the_wrong_kit_type_is_refused(crew_client, booking, kit):
    other = KitTypeFactory(name="VR-bril")
    ItemFactory(asset_tag="VR-001", kit_type=other, depot=kit.depot)
    response = check(crew_client, booking, action="pack", asset_tag="VR-001")
    assert response.status_code == 400
    assert response.data["code"] == "wrong_kit_type"
    line = first_tablet(lines_of(crew_client, booking))
    response = check(crew_client, booking, action="pack", asset_tag="ROB-010", line=line["id"])
    assert (response.status_code, response.data["code"]) == (400, "wrong_kit_type")


def test_a_defect_item_is_refused(crew_client, booking, kit):
    lines_of(crew_client, booking)
    item_set_status(item=kit.tablets[7], status=Item.Status.DEFECT)
    response = check(crew_client, booking, action="pack", asset_tag="TAB-008")
    assert response.status_code == 409
    assert response.data["code"] == "item_defect"
    assert not PackingLine.objects.filter(item=kit.tablets[7]).exists()


def test_an_unknown_tag_is_refused(crew_client, booking):
    lines_of(crew_client, booking)
    response = check(crew_client, booking, action="pack", asset_tag="NOPE-999")
    assert (response.status_code, response.data["code"]) == (400, "unknown_asset_tag")


def test_an_item_from_another_depot_is_refused(crew_client, booking, kit):
    lines_of(crew_client, booking)
    ItemFactory(asset_tag="TAB-900", kit_type=kit.tablet, depot=DepotFactory(name="Depot Twello"))
    response = check(crew_client, booking, action="pack", asset_tag="TAB-900")
    assert (response.status_code, response.data["code"]) == (409, "wrong_depot")


def test_an_item_on_another_visit_that_day_is_refused(crew_client, kit, school, other_school):
    # On another wagon: the stops of one wagon share its load (see the test below).
    first = make_booking(kit, school)
    first.wagon = WagonFactory(depot=kit.depot)
    first.save()
    second = make_booking(kit, other_school)
    taken = first_tablet(lines_of(crew_client, first))["asset_tag"]
    lines_of(crew_client, second)
    response = check(crew_client, second, action="pack", asset_tag=taken)
    assert response.status_code == 409
    assert response.data["code"] == "item_on_other_visit"
    assert response.data["booking"] == first.reference


def test_the_stops_of_one_wagon_share_its_items(crew_client, kit, school, other_school):
    first = make_booking(kit, school)
    second = make_booking(kit, other_school)  # same wagon, same day
    on_board = first_tablet(lines_of(crew_client, first))["asset_tag"]
    assert on_board in {line["asset_tag"] for line in lines_of(crew_client, second)}
    response = check(crew_client, second, action="pack", asset_tag=on_board)
    assert response.status_code == 200, response.data


def test_the_same_client_id_twice_changes_nothing_the_second_time(crew_client, booking):
    line = first_tablet(lines_of(crew_client, booking))
    client_id = str(uuid.uuid4())
    one = check(crew_client, booking, action="pack", line=line["id"], client_id=client_id)
    history = PackingLine.history.filter(id=line["id"]).count()
    two = check(crew_client, booking, action="pack", line=line["id"], client_id=client_id)
    assert one.status_code == two.status_code == 200
    assert one.data == two.data
    assert PackingLine.history.filter(id=line["id"]).count() == history
    assert CheckAction.objects.filter(client_id=client_id).count() == 1


def test_a_retried_unpack_does_not_undo_a_later_pack(crew_client, booking):
    line = first_tablet(lines_of(crew_client, booking))
    unpack_id = str(uuid.uuid4())
    check(crew_client, booking, action="pack", line=line["id"])
    check(crew_client, booking, action="unpack", line=line["id"], client_id=unpack_id)
    check(crew_client, booking, action="pack", line=line["id"])
    retry = check(crew_client, booking, action="unpack", line=line["id"], client_id=unpack_id)
    assert retry.status_code == 200 and retry.data["packed"] is False  # the recorded answer
    assert PackingLine.objects.get(pk=line["id"]).packed is True  # ...but nothing changed


def test_a_client_id_reused_for_another_action_is_a_conflict(crew_client, booking):
    line = first_tablet(lines_of(crew_client, booking))
    client_id = str(uuid.uuid4())
    check(crew_client, booking, action="pack", line=line["id"], client_id=client_id)
    response = check(crew_client, booking, action="unpack", line=line["id"], client_id=client_id)
    assert (response.status_code, response.data["code"]) == (409, "client_id_conflict")
    assert response.data["detail"]
    assert PackingLine.objects.get(pk=line["id"]).packed is True


def test_a_client_id_reused_for_another_line_is_a_conflict(crew_client, booking):
    tablets = [line for line in lines_of(crew_client, booking) if line["name"] == "Tablet"]
    client_id = str(uuid.uuid4())
    first = check(crew_client, booking, action="pack", line=tablets[0]["id"], client_id=client_id)
    assert first.status_code == 200
    response = check(
        crew_client, booking, action="pack", line=tablets[1]["id"], client_id=client_id
    )
    assert (response.status_code, response.data["code"]) == (409, "client_id_conflict")
    assert PackingLine.objects.get(pk=tablets[1]["id"]).packed is False
    assert CheckAction.objects.filter(client_id=client_id).count() == 1


def test_a_client_id_reused_with_another_asset_tag_is_a_conflict(crew_client, booking):
    tags = [line["asset_tag"] for line in lines_of(crew_client, booking) if line["asset_tag"]]
    client_id = str(uuid.uuid4())
    assert check(crew_client, booking, action="pack", asset_tag=tags[0], client_id=client_id)
    response = check(crew_client, booking, action="pack", asset_tag=tags[1], client_id=client_id)
    assert (response.status_code, response.data["code"]) == (409, "client_id_conflict")


def test_a_client_id_reused_for_another_booking_is_a_conflict(crew_client, kit, booking, school):
    other = make_booking(kit, school, date=booking.date.replace(day=10))
    line = first_tablet(lines_of(crew_client, booking))
    other_line = first_tablet(lines_of(crew_client, other))
    client_id = str(uuid.uuid4())
    check(crew_client, booking, action="pack", line=line["id"], client_id=client_id)
    response = check(crew_client, other, action="pack", line=other_line["id"], client_id=client_id)
    assert (response.status_code, response.data["code"]) == (409, "client_id_conflict")
    assert PackingLine.objects.get(pk=other_line["id"]).packed is False


def test_a_client_id_reused_with_another_condition_is_a_conflict(crew_client, booking):
    line = first_tablet(lines_of(crew_client, booking))
    for other in lines_of(crew_client, booking):
        check(crew_client, booking, action="pack", line=other["id"])
    assert crew_client.post(f"/api/v1/bookings/{booking.id}/arrive/").status_code == 200
    client_id = str(uuid.uuid4())
    body = {"action": "return", "line": line["id"], "client_id": client_id}
    first = check(crew_client, booking, condition="ok", **body)
    assert first.status_code == 200
    again = check(crew_client, booking, condition="ok", **body)
    assert again.status_code == 200 and again.data == first.data
    response = check(crew_client, booking, condition="damaged", **body)
    assert (response.status_code, response.data["code"]) == (409, "client_id_conflict")
    assert PackingLine.objects.get(pk=line["id"]).condition == "ok"


def test_packing_every_line_marks_the_booking_packed_and_unpacking_reverts(crew_client, booking):
    lines = lines_of(crew_client, booking)
    for line in lines:
        response = check(crew_client, booking, action="pack", line=line["id"])
        assert response.status_code == 200, response.data
    assert response.data["booking_status"] == "packed"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PACKED
    assert booking.history.first().history_user.username == "crewmember"
    response = check(crew_client, booking, action="unpack", line=lines[0]["id"])
    assert response.data["booking_status"] == "confirmed"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"action": "pack"}, "line"),
        ({"action": "fly", "line": 1}, "action"),
        ({"action": "return", "line": 1}, "condition"),
        ({"action": "pack", "line": 1, "client_id": "not-a-uuid"}, "client_id"),
        ({"action": "pack", "line": 10**20}, "line"),
        ({"action": "return", "line": 1, "condition": "burnt"}, "condition"),
        ({"action": "pack", "asset_tag": "X" * 41}, "asset_tag"),
    ],
)
def test_bad_input_is_a_400_on_the_field(crew_client, booking, body, field):
    response = check(crew_client, booking, **body)
    assert response.status_code == 400
    assert field in response.data


def test_a_line_of_another_booking_is_refused(crew_client, kit, school, other_school):
    first = make_booking(kit, school)
    second = make_booking(kit, other_school)
    line = first_tablet(lines_of(crew_client, first))
    lines_of(crew_client, second)
    response = check(crew_client, second, action="pack", line=line["id"])
    assert (response.status_code, response.data["code"]) == (400, "unknown_line")
    assert PackingLine.objects.get(pk=line["id"]).packed is False


def test_packing_a_shortage_line_needs_a_scan(crew_client, kit, school):
    booking = make_booking(kit, school, pupils=40)
    lines = lines_of(crew_client, booking)
    empty = next(line for line in lines if line["kind"] == "item" and line["asset_tag"] is None)
    response = check(crew_client, booking, action="pack", line=empty["id"])
    assert (response.status_code, response.data["code"]) == (400, "asset_tag_required")


def test_malformed_json_is_a_400(crew_client, booking):
    response = crew_client.post(
        CHECK.format(booking.id), data="{nope", content_type="application/json"
    )
    assert response.status_code == 400


def test_packing_is_refused_once_the_wagon_left(crew_client, booking):
    line = first_tablet(lines_of(crew_client, booking))
    booking.status = Booking.Status.ON_SITE
    booking.save()
    response = check(crew_client, booking, action="pack", line=line["id"])
    assert (response.status_code, response.data["code"]) == (409, "invalid_transition")


def test_school_users_may_not_see_or_touch_packing_lists(
    school_client, other_school_client, anon_client, crew_client, booking
):
    line = first_tablet(lines_of(crew_client, booking))
    for client in (school_client, other_school_client):
        assert client.get(LIST.format(booking.id)).status_code == 403
        response = check(client, booking, action="pack", line=line["id"])
        assert response.status_code == 403
        assert "asset_tag" not in str(response.data)
    assert anon_client.get(LIST.format(booking.id)).status_code == 401
    assert PackingLine.objects.get(pk=line["id"]).packed is False


def test_the_coordinator_may_pack_too(coordinator_client, booking):
    line = first_tablet(lines_of(coordinator_client, booking))
    response = check(coordinator_client, booking, action="pack", line=line["id"])
    assert response.status_code == 200 and response.data["packed"] is True
