"""Building a booking's packing list: the items suggested and the rest of the load."""

import pytest

from bookings import services
from bookings.packing import services as packing
from bookings.packing.models import PackingLine
from inventory.models import Item
from inventory.services import item_repair
from tests.factories import (
    ItemFactory,
    ProgrammeFactory,
    StandardEquipmentFactory,
    WagonFactory,
)
from tests.packing.conftest import make_booking

URL = "/api/v1/bookings/{}/packing-list/"


def item_tags(booking):
    return [
        line.item.asset_tag if line.item_id else None
        for line in PackingLine.objects.filter(
            packing_list__booking=booking, kind="item", kit_type__name="Robotauto"
        ).order_by("position")
    ]


def test_it_lists_items_consumables_and_standard_equipment(crew_client, booking, kit):
    response = crew_client.get(URL.format(booking.id))
    assert response.status_code == 200, response.data
    lines = response.data["lines"]
    kinds = [line["kind"] for line in lines]
    assert kinds.count("item") == 5 + 3
    assert [
        (line["name"], line["quantity"], line["unit"])
        for line in lines
        if line["kind"] == "consumable"
    ] == [("PLA-filament", 128, "g")]
    assert [line["name"] for line in lines if line["kind"] == "standard"] == ["EHBO-koffer"]
    first = lines[0]
    assert set(first) >= {
        "id", "kind", "kit_type", "asset_tag", "case", "storage_location", "quantity",
        "packed", "returned", "condition",
    }  # fmt: skip
    assert first["packed"] is False and first["returned"] is None
    assert response.data["progress"]["lines"] == len(lines)


def test_a_visit_carries_its_own_programmes_standard_load_only(db, kit, school):
    other = ProgrammeFactory(name="Techniekwagen Twente")
    StandardEquipmentFactory(name="4G-router Twente", programme=other)
    booking = make_booking(kit, school)
    standard = PackingLine.objects.filter(packing_list__booking=booking, kind="standard")
    assert [line.name for line in standard] == ["EHBO-koffer"]
    # A rebuild (group sizes changed before packing) still leaves the other programme's out.
    packing.packing_lists_ensure(bookings=type(booking).objects.filter(pk=booking.pk))
    assert [line.name for line in standard.all()] == ["EHBO-koffer"]


def test_it_keeps_a_case_whole_and_walks_the_depot_in_storage_order(crew_client, booking, kit):
    lines = crew_client.get(URL.format(booking.id)).data["lines"]
    items = [line for line in lines if line["kind"] == "item"]
    # Tablets live at A1, the robot case at B1, loose robots at B2.
    assert [line["storage_location"] for line in items] == ["A1"] * 3 + ["B1"] * 4 + ["B2"]
    robots = [line for line in items if line["name"] == "Robotauto"]
    assert [line["asset_tag"] for line in robots[:4]] == [
        "ROB-001",
        "ROB-002",
        "ROB-003",
        "ROB-004",
    ]
    assert {line["case"] for line in robots[:4]} == {"K-ROB-1"}
    assert robots[4]["case"] is None


def test_it_never_suggests_an_item_that_is_not_available(
    crew_client, booking, kit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the status service repairs lists
        for item in kit.cased[:2]:
            packing.item_set_status(item=item, status=Item.Status.DEFECT)
        packing.item_set_status(item=kit.loose[0], status=Item.Status.MAINTENANCE)
    lines = crew_client.get(URL.format(booking.id)).data["lines"]
    tags = {line["asset_tag"] for line in lines if line["kind"] == "item"}
    assert not tags & {"ROB-001", "ROB-002", "ROB-005"}
    assert len([t for t in tags if t and t.startswith("ROB")]) == 5


def test_it_never_puts_one_item_on_two_wagons_the_same_day(crew_client, kit, school, other_school):
    # Stops of one wagon share its load (PRODUCT.md rule 1); two wagons never share an item.
    first = make_booking(kit, school, pupils=16)
    first.wagon = WagonFactory(depot=kit.depot)
    first.save()
    second = make_booking(kit, other_school, pupils=16)
    a = {line["asset_tag"] for line in crew_client.get(URL.format(first.id)).data["lines"]}
    b = {line["asset_tag"] for line in crew_client.get(URL.format(second.id)).data["lines"]}
    a.discard(None), b.discard(None)
    assert len(a) == 8 and len(b) == 8  # 5 robots + 3 tablets each
    assert not a & b


def test_a_shortage_leaves_lines_to_scan_and_fills_them_when_kit_comes_back(
    crew_client, kit, school, django_capture_on_commit_callbacks
):
    broken = ItemFactory(
        asset_tag="ROB-011", kit_type=kit.robot, depot=kit.depot, status=Item.Status.DEFECT
    )
    booking = make_booking(kit, school, pupils=40)  # 10 + 1 spare robots, 10 available
    lines = crew_client.get(URL.format(booking.id)).data["lines"]
    assert item_tags(booking).count(None) == 1
    assert crew_client.get(URL.format(booking.id)).data["progress"]["unassigned"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        item_repair(item=broken)
    again = crew_client.get(URL.format(booking.id)).data["lines"]
    assert "ROB-011" in {line["asset_tag"] for line in again}
    assert [line["id"] for line in again] == [line["id"] for line in lines]  # repaired in place


def test_a_defect_item_is_replaced_before_packing_starts(
    crew_client, booking, kit, django_capture_on_commit_callbacks
):
    before = crew_client.get(URL.format(booking.id)).data["lines"]
    with django_capture_on_commit_callbacks(execute=True):
        packing.item_set_status(item=kit.tablets[0], status=Item.Status.DEFECT)
    after = crew_client.get(URL.format(booking.id)).data["lines"]
    tags = {line["asset_tag"] for line in after}
    assert "TAB-001" in {line["asset_tag"] for line in before}
    assert "TAB-001" not in tags and "TAB-004" in tags


def test_it_regenerates_when_sessions_change_before_packing(crew_client, booking, kit, coordinator):
    crew_client.get(URL.format(booking.id))
    session = booking.sessions.get()
    fields = ("workshop", "group_label", "school_type", "year", "start_time")
    services.booking_update_sessions(
        booking=booking,
        sessions=[{**{f: getattr(session, f) for f in fields}, "pupils": 28}],  # 8 robots
        acting_user=coordinator,
    )
    lines = crew_client.get(URL.format(booking.id)).data["lines"]
    assert len([line for line in lines if line["name"] == "Robotauto"]) == 8
    assert [line["quantity"] for line in lines if line["kind"] == "consumable"] == [224]


def test_it_is_stable_once_packing_started(crew_client, booking, kit):
    lines = crew_client.get(URL.format(booking.id)).data["lines"]
    packing.packing_check(booking=booking, action="pack", line_id=lines[0]["id"], client_id=
        "8a7c7a0e-0000-4000-8000-000000000001")  # fmt: skip
    session = booking.sessions.get()
    session.pupils = 28
    session.save()
    again = crew_client.get(URL.format(booking.id)).data["lines"]
    assert [line["id"] for line in again] == [line["id"] for line in lines]


def test_a_requested_booking_has_no_packing_list_yet(coordinator_client, kit, school):
    # (crew do not see requested bookings at all: 404, tests/packing/test_packing_visibility.py)
    booking = make_booking(kit, school, status="requested")
    response = coordinator_client.get(URL.format(booking.id))
    assert response.status_code == 409
    assert response.data["code"] == "not_confirmed"


def test_an_unknown_booking_is_404(crew_client, db):
    assert crew_client.get(URL.format(999999)).status_code == 404


@pytest.mark.parametrize("rows", [2, 12])
def test_the_list_costs_a_fixed_number_of_queries(
    crew_client, kit, school, rows, django_assert_num_queries
):
    booking = make_booking(kit, school, pupils=rows)
    crew_client.get(URL.format(booking.id))
    with django_assert_num_queries(2):  # the same for 2 and for 12 pupils
        response = crew_client.get(URL.format(booking.id))
    assert response.status_code == 200
