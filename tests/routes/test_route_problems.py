"""Route times and each kind of problem, one test each."""

import datetime as dt

import pytest

from routes import services
from routes.selectors import day_plan_of, evaluate_plans, route_data, routes_with_stops
from tests.factories import BlackoutFactory, ItemFactory
from tests.routes.helpers import MONDAY, World

pytestmark = pytest.mark.django_db


def data_of(route):
    fresh = routes_with_stops().get(pk=route.pk)
    [plan] = evaluate_plans([day_plan_of(fresh)])
    return route_data(plan)


def codes(data):
    return sorted(p["code"] for p in data["problems"])


def make_route(world, bookings, *, date=MONDAY, wagon=None):
    return services.route_create(
        wagon=wagon or world.wagon,
        date=date,
        booking_ids=[b.pk for b in bookings],
        acting_user=None,
    )


def test_times_follow_from_sessions_setup_teardown_and_driving():
    world = World()
    first = world.booking(0, start=dt.time(9, 0))  # Kralingen, 90 min
    second = world.booking(1, start=dt.time(12, 30))  # Hillegersberg
    data = data_of(make_route(world, [first, second]))
    assert data["feasible"], data["problems"]
    one, two = data["stops"]
    assert (one["arrive"], one["start"], one["end"], one["depart"]) == (
        "08:15",
        "09:00",
        "10:30",
        "11:00",
    )
    assert (two["arrive"], two["start"], two["end"], two["depart"]) == (
        "11:45",
        "12:30",
        "14:00",
        "14:30",
    )
    # Depot (Heer Bokelweg) → Kralingen: leave = arrive − parking (10) − driving.
    leave = dt.datetime.combine(MONDAY, dt.time(8, 15)) - dt.timedelta(
        minutes=10 + one["drive_minutes_from_previous"]
    )
    assert data["leave_depot"] == f"{leave:%H:%M}"
    assert two["km_from_previous"] > 4
    assert data["total_drive_minutes"] == (
        one["drive_minutes_from_previous"]
        + two["drive_minutes_from_previous"]
        + data["drive_minutes_to_depot"]
    )


def test_outside_working_hours():
    world = World()
    early = world.booking(0, start=dt.time(7, 45))  # setup at 07:00, wagon starts 07:30
    early.school.day_start = dt.time(7, 30)
    early.school.save()
    assert codes(data_of(make_route(world, [early]))) == ["outside_working_hours"]


def test_late_arrival_when_driving_eats_the_setup_time():
    world = World()
    first = world.booking(0, start=dt.time(9, 0))  # depart 11:00
    second = world.booking(1, start=dt.time(11, 50))  # setup at 11:05: 13 min drive + parking
    data = data_of(make_route(world, [first, second]))
    assert codes(data) == ["late_arrival"]
    assert data["problems"][0]["booking"] == second.pk


def test_overlapping_stops():
    world = World()
    first = world.booking(0, start=dt.time(9, 0))
    second = world.booking(1, start=dt.time(10, 0))
    assert codes(data_of(make_route(world, [first, second]))) == ["overlap"]


def test_more_stops_than_the_wagon_does_per_day():
    world = World(max_visits=1)
    first = world.booking(0, start=dt.time(9, 0))
    second = world.booking(1, start=dt.time(13, 0))
    assert codes(data_of(make_route(world, [first, second]))) == ["too_many_stops"]


def test_closed_day_by_blackout():
    world = World()
    booking = world.booking(0)
    BlackoutFactory(wagon=world.wagon, date_from=MONDAY, date_to=MONDAY, reason="APK")
    data = data_of(make_route(world, [booking]))
    assert codes(data) == ["closed_day"]
    assert data["problems"][0]["reason"] == "blackout"


def test_closed_day_on_a_public_holiday():
    world = World()
    kingsday = dt.date(2027, 4, 27)
    booking = world.booking(0, date=kingsday)
    data = data_of(make_route(world, [booking], date=kingsday))
    assert set(codes(data)) == {"closed_day"}
    assert "public_holiday" in {p["reason"] for p in data["problems"]}


def test_kit_over_capacity_that_day():
    world = World(bots=10, wagons=2)
    # 24 pupils / 3 = 8 Blue-Bots per stop. One wagon carries one load to both its stops...
    first = world.booking(0, start=dt.time(9, 0))
    second = world.booking(1, start=dt.time(13, 0))
    one = make_route(world, [first, second])
    assert codes(data_of(one)) == []
    # ...but a second wagon out that day needs 8 of its own: 16 of the 10 in the depot.
    third = world.booking(2, start=dt.time(9, 0), wagon=world.wagons[1])
    two = make_route(world, [third], wagon=world.wagons[1])
    plans = evaluate_plans([day_plan_of(routes_with_stops().get(pk=r.pk)) for r in (one, two)])
    for plan in plans:
        data = route_data(plan)
        assert codes(data) == ["kit_shortage"]
        problem = data["problems"][0]
        # API.md: needed = this wagon-day's need, available = free, total = available items.
        assert (problem["kit_type"], problem["needed"], problem["available"]) == (
            world.bot.pk,
            8,
            2,
        )
        assert problem["total"] == 10
    for _ in range(6):
        ItemFactory(kit_type=world.bot, depot=world.depot)
    plans = evaluate_plans([day_plan_of(routes_with_stops().get(pk=r.pk)) for r in (one, two)])
    assert [codes(route_data(plan)) for plan in plans] == [[], []]


def test_sessions_outside_the_school_day():
    world = World()
    booking = world.booking(0, start=dt.time(14, 30))  # ends 16:00, school closes 15:30
    assert codes(data_of(make_route(world, [booking]))) == ["outside_school_day"]


def test_an_empty_route_is_feasible_and_has_no_times():
    world = World()
    data = data_of(make_route(world, []))
    assert data["feasible"] and data["stops"] == [] and data["leave_depot"] is None
