"""A visit the coordinator pinned stays on its day (and wagon), even when the planner may move."""

import datetime as dt

import pytest

from bookings import services
from bookings.models import Booking
from routes.models import Route
from tests.factories import BlackoutFactory
from tests.routes.helpers import MONDAY, World
from tests.routes.test_planner import plan

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def test_allow_moves_moves_an_unpinned_request_but_keeps_a_pinned_one(
    coordinator_client, coordinator
):
    world = World(max_visits=3)
    free = world.booking(0, alternative_dates=[TUESDAY])
    pinned = world.booking(1, alternative_dates=[TUESDAY], start=dt.time(11, 0))
    services.booking_pin(booking=pinned, pinned=True, acting_user=coordinator)
    BlackoutFactory(wagon=world.wagon, date_from=MONDAY, date_to=MONDAY, reason="APK")
    result = plan(coordinator_client, commit=True, allow_moves=True)
    free.refresh_from_db()
    pinned.refresh_from_db()
    assert free.date == TUESDAY
    assert (pinned.date, pinned.wagon_id) == (MONDAY, world.wagon.pk)
    assert {u["booking"]: u["code"] for u in result["unplanned"]} == {pinned.pk: "no_open_date"}
    assert not pinned.history.filter(history_change_reason__contains="tourplanner").exists()
    route = Route.objects.get()
    assert (route.date, list(route.stops.values_list("booking_id", flat=True))) == (
        TUESDAY,
        [free.pk],
    )


def test_a_pinned_confirmed_visit_keeps_its_wagon_and_day(coordinator_client, coordinator):
    world = World(wagons=2)
    # On the second wagon; the first would do as well, but the coordinator pinned it there.
    booking = world.booking(0, status="confirmed", wagon=world.wagons[1],
                            alternative_dates=[TUESDAY])  # fmt: skip
    services.booking_pin(booking=booking, pinned=True, acting_user=coordinator)
    BlackoutFactory(wagon=world.wagons[1], date_from=MONDAY, date_to=MONDAY, reason="APK")
    result = plan(coordinator_client, commit=True, allow_moves=True)
    booking = Booking.objects.get(pk=booking.pk)
    assert (booking.date, booking.wagon_id) == (MONDAY, world.wagons[1].pk)
    assert [u["booking"] for u in result["unplanned"]] == [booking.pk]
    # Unpinned, the same plan moves it off the closed day.
    services.booking_pin(booking=booking, pinned=False, acting_user=coordinator)
    plan(coordinator_client, commit=True, allow_moves=True)
    booking.refresh_from_db()
    assert (booking.date, booking.wagon_id) != (MONDAY, world.wagons[1].pk)
