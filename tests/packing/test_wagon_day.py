"""The packing list of a wagon-day with several stops."""

import datetime as dt

import pytest

from bookings.packing.selectors import packing_list_for_wagon_day
from bookings.packing.serializers import WagonDayPackingListSerializer
from bookings.packing.services import packing_list_follow
from tests.factories import BookingSessionFactory, ItemFactory, SchoolFactory
from tests.packing.conftest import VISIT_DAY, make_booking


def stops(kit, school, count):
    made = []
    for index in range(count):
        target = school if index == 0 else SchoolFactory(depot=kit.depot)
        booking = make_booking(kit, target, pupils=8 + 4 * index if count < 3 else 4)
        session = booking.sessions.get()
        session.start_time = dt.time(13 - 3 * index, 0)  # later stops listed first in time
        session.save()
        made.append(booking)
    return made


def test_kit_at_its_maximum_consumables_summed_and_each_stop_listed(kit, school):
    first, second = stops(kit, school, 2)  # 8 pupils: 3 robots, 64 g; 12 pupils: 4 robots, 96 g
    data = packing_list_for_wagon_day(wagon=kit.wagon, date=VISIT_DAY)
    kit_rows = {row["name"]: row["quantity"] for row in data["kit"]}
    assert kit_rows == {"Robotauto": 4, "Tablet": 3}
    assert [(row["name"], row["quantity"]) for row in data["consumables"]] == [
        ("PLA-filament", 160)
    ]
    assert [(row["name"], row["quantity"]) for row in data["standard"]] == [("EHBO-koffer", 1)]
    # Stops follow the day: the second booking's session starts at 10:00, the first's at 13:00.
    assert [stop["booking"] for stop in data["stops"]] == [second.id, first.id]
    assert [stop["position"] for stop in data["stops"]] == [1, 2]
    assert len(data["lines"]) == sum(len(stop["lines"]) for stop in data["stops"])
    assert {line["booking"] for line in data["lines"]} == {first.id, second.id}
    rendered = WagonDayPackingListSerializer(data).data
    assert rendered["kit"][0]["quantity"] in (3, 4)
    assert rendered["stops"][0]["reference"] == second.reference


def test_a_route_order_can_be_given(kit, school):
    first, second = stops(kit, school, 2)
    data = packing_list_for_wagon_day(wagon=kit.wagon, date=VISIT_DAY, bookings=[first, second])
    assert [stop["booking"] for stop in data["stops"]] == [first.id, second.id]


def test_cancelled_and_requested_bookings_are_left_out(kit, school, other_school):
    kept = make_booking(kit, school)
    make_booking(kit, other_school, status="requested")
    make_booking(kit, SchoolFactory(depot=kit.depot), status="cancelled")
    data = packing_list_for_wagon_day(wagon=kit.wagon, date=VISIT_DAY)
    assert [stop["booking"] for stop in data["stops"]] == [kept.id]


@pytest.mark.parametrize("count", [1, 3])
def test_the_wagon_day_costs_a_fixed_number_of_queries(
    kit, school, count, django_assert_num_queries
):
    queries = 3  # the same for one stop and for three; reading builds nothing
    for n in range(9, 13):  # enough tablets for three stops: no shortage to retry
        ItemFactory(asset_tag=f"TAB-{n:03d}", kit_type=kit.tablet, depot=kit.depot)
    made = stops(kit, school, count)
    for booking in made:
        BookingSessionFactory(booking=booking, workshop=kit.workshop, pupils=4)
    for booking in made:  # what booking_update_sessions does after a change
        packing_list_follow(booking=booking)
    with django_assert_num_queries(queries):
        data = packing_list_for_wagon_day(wagon=kit.wagon, date=VISIT_DAY)
    assert len(data["stops"]) == count
