"""Writes read what they need in a fixed number of statements (issue 15): rescheduling a
confirmed visit, the crew's check actions and route edits send as many statements for a visit
with one unit of kit (or a route with one stop) as for a large one. SAVEPOINTs are not counted."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.packing.models import PackingLine
from bookings.packing.services import packing_check
from bookings.reschedule import booking_reschedule
from bookings.services import booking_confirm
from routes.models import RouteStop
from routes.services import route_add_stop, route_create, route_remove_stop, route_reorder
from tests.routes.helpers import MONDAY, World

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)
WEDNESDAY = MONDAY + dt.timedelta(days=2)
THURSDAY = MONDAY + dt.timedelta(days=3)

# Moving a confirmed visit: the booking read, both day locks, the booking with its sessions and
# rules under them, the kit check on the new day, the reservations and both days' summaries, the
# booking and its history row, the packing list rebuilt for the new day (old lines and their
# history in bulk, new lines and their history in bulk), the reach report's facts moved along
# (1, `bookings.reports.facts.visit_changed`) and the school's e-mail.
RESCHEDULE_STATEMENTS = 33  # before: 49 with one unit of kit, 70 with eight; 36, 34, 32
# statements per day lock
# Packing one line: the booking, the day lock (1: an upsert), the list, the retry look-up, the booking under
# the lock, the line, its update and history row, the "all packed?" check and the recorded action.
# Scanning a tag reads the item and checks no other visit that day holds it (2 more).
CHECK_LINE_STATEMENTS = 10  # before: 12, then 11
CHECK_SCAN_STATEMENTS = 12  # before: 13
# Route edits: the route (locked), its bookings and the other routes holding them read once; the
# stops moved in two bulk updates through a free range of positions and added in one insert, each
# with one insert of history rows. Before: 2 or 4 statements more per stop.
ROUTE_CREATE_STATEMENTS = 8
ROUTE_REORDER_STATEMENTS = 8
ROUTE_ADD_STATEMENTS = 11
ROUTE_REMOVE_STATEMENTS = 9


def _statements(write) -> int:
    with CaptureQueriesContext(connection) as context:
        write()
    return sum(1 for q in context.captured_queries if "SAVEPOINT" not in q["sql"])


def _confirmed(world, coordinator, *, pupils, index, date):
    booking = world.booking(index, pupils=pupils, date=date)
    return booking_confirm(booking=booking, acting_user=coordinator, send_email=False)


def _reschedule(coordinator, booking, date) -> int:
    count = _statements(
        lambda: booking_reschedule(booking=booking, date=date, acting_user=coordinator)
    )
    lines = PackingLine.objects.filter(packing_list__booking=booking, kind="item")
    assert {line.date for line in lines} == {date}
    return count


def test_rescheduling_does_not_grow_with_the_kit(coordinator):
    world = World(bots=30)
    small = _confirmed(world, coordinator, pupils=3, index=0, date=MONDAY)  # 1 Blue-Bot
    large = _confirmed(world, coordinator, pupils=24, index=1, date=WEDNESDAY)  # 8
    with_one = _reschedule(coordinator, small, TUESDAY)
    with_eight = _reschedule(coordinator, large, THURSDAY)
    assert PackingLine.objects.filter(packing_list__booking=large, kind="item").count() == 8
    assert large.history.first().history_user == coordinator
    assert with_one == with_eight <= RESCHEDULE_STATEMENTS


def _pack(crew_user, booking) -> tuple[int, int]:
    first, second = PackingLine.objects.filter(packing_list__booking=booking, kind="item").order_by(
        "position"
    )[:2]

    def by_line():
        packing_check(
            booking=booking,
            action="pack",
            client_id=uuid.uuid4(),
            line_id=first.pk,
            acting_user=crew_user,
        )

    def by_scan():
        packing_check(
            booking=booking,
            action="pack",
            client_id=uuid.uuid4(),
            asset_tag=second.item.asset_tag,
            acting_user=crew_user,
        )

    counts = _statements(by_line), _statements(by_scan)
    assert PackingLine.objects.filter(pk__in=[first.pk, second.pk], packed=True).count() == 2
    booking.refresh_from_db()
    assert booking.status == "confirmed"  # lines are left: no status change in the count
    return counts


def test_check_actions_do_not_grow_with_the_list(crew_user, coordinator):
    world = World(bots=30)
    small = _confirmed(world, coordinator, pupils=9, index=0, date=MONDAY)  # 3 item lines
    large = _confirmed(world, coordinator, pupils=24, index=1, date=TUESDAY)  # 8
    with_three, with_eight = _pack(crew_user, small), _pack(crew_user, large)
    assert with_three == with_eight
    assert with_eight[0] <= CHECK_LINE_STATEMENTS and with_eight[1] <= CHECK_SCAN_STATEMENTS


def _route_edits(coordinator, world, date, first_school, stops) -> list[int]:
    bookings = [
        world.booking(first_school + i, date=date, start=dt.time(8 + i, 0))
        for i in range(stops + 1)
    ]
    ids = [b.pk for b in bookings[:stops]]
    holder = {}

    def create():
        holder["route"] = route_create(
            wagon=world.wagon, date=date, booking_ids=ids, acting_user=coordinator
        )

    counts = [_statements(create)]
    route = holder["route"]
    counts.append(
        _statements(
            lambda: route_reorder(route=route, booking_ids=ids[::-1], acting_user=coordinator)
        )
    )
    counts.append(
        _statements(
            lambda: route_add_stop(
                route=route, booking=bookings[stops], position=0, acting_user=coordinator
            )
        )
    )
    counts.append(
        _statements(
            lambda: route_remove_stop(route=route, booking=bookings[0], acting_user=coordinator)
        )
    )
    order = list(RouteStop.objects.filter(route=route).values_list("booking_id", flat=True))
    assert order == [bookings[stops].pk, *ids[:0:-1]]
    assert RouteStop.history.filter(route_id=route.pk, history_user=coordinator).count() >= stops
    return counts


def test_route_edits_do_not_grow_with_the_stops(coordinator):
    world = World(max_visits=6)
    one = _route_edits(coordinator, world, MONDAY, 0, 1)
    five = _route_edits(coordinator, world, TUESDAY, 2, 5)
    assert one == five
    pins = [
        ROUTE_CREATE_STATEMENTS,
        ROUTE_REORDER_STATEMENTS,
        ROUTE_ADD_STATEMENTS,
        ROUTE_REMOVE_STATEMENTS,
    ]
    assert all(count <= pin for count, pin in zip(five, pins, strict=True)), five
