"""Confirming a booking reads and writes in a fixed number of queries: its packing list's lines
(and their history rows) are written in bulk, whatever the number of units."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.packing.models import PackingLine
from tests.bookings.conftest import VISIT_DAY, make_booking

pytestmark = pytest.mark.django_db

# Statements a confirmation request sends, SAVEPOINTs not counted (issue 15: 57, then 37, then
# 24 before this pin; 15 the target). The write throttle's counter (1: an upsert); the view's
# get_object with the booking's wagon and school, which name the day to lock (1); the service:
# the day lock (1: an upsert that inserts or row-locks), the booking under it with its sessions
# (2) and their kit and consumable rules (2), the depot-day's
# reservations and live holds (1, `pool.day_rows`), the availability check of
# bookings/selectors.py (wagons, blackouts, the wagons' visits that day — slots and the stops
# `busy_wagons` judges, one read —, available items: 4), the new reservations inserted and the
# day's kit summary upserted (2), the booking and its history row (2), the packing list
# (standard equipment, the list, the free items, the lines and their history rows: 5), the reach
# report's facts of the visit inserted (1, `bookings.reports.facts`) and the e-mail (1). The
# answer and its ETag are built from the booking the service holds (0).
CONFIRM_STATEMENTS = 23


def _confirm(client, booking) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.post(f"/api/v1/bookings/{booking.pk}/confirm/", {}, format="json")
    assert response.status_code == 200, response.content
    return sum(1 for q in context.captured_queries if "SAVEPOINT" not in q["sql"])


def test_confirm_queries_do_not_grow_with_the_kit(
    coordinator_client, school, workshop, coordinator, wagon, robot
):
    coordinator_client.get("/api/v1/me/")
    small = make_booking(school, workshop, coordinator, pupils=2)  # 1 robot
    next_day = VISIT_DAY + dt.timedelta(days=1)
    large = make_booking(school, workshop, coordinator, pupils=18, date=next_day)  # 9 robots
    with_one = _confirm(coordinator_client, small)
    with_nine = _confirm(coordinator_client, large)
    assert PackingLine.objects.filter(packing_list__booking=large, kind="item").count() == 9
    assert large.history.count() >= 2
    assert with_one == with_nine <= CONFIRM_STATEMENTS


def test_the_confirmation_answers_as_a_read_of_the_booking(
    coordinator_client, school, workshop, coordinator, wagon, robot
):
    """Built from the booking the service holds, the answer and its ETag are what a GET of the
    booking gives afterwards."""
    booking = make_booking(school, workshop, coordinator, pupils=6)
    confirmed = coordinator_client.post(
        f"/api/v1/bookings/{booking.pk}/confirm/", {}, format="json"
    )
    read = coordinator_client.get(f"/api/v1/bookings/{booking.pk}/")
    assert confirmed.json()["status"] == "confirmed" and confirmed.json()["kit_need"]
    assert confirmed.json() == read.json()
    assert confirmed["ETag"] == read["ETag"]


def test_bulk_written_lines_name_the_coordinator_in_their_history(
    coordinator_client, school, workshop, coordinator, wagon, robot
):
    booking = make_booking(school, workshop, coordinator, pupils=6)
    coordinator_client.post(f"/api/v1/bookings/{booking.pk}/confirm/", {}, format="json")
    lines = PackingLine.history.filter(packing_list__booking=booking)
    assert lines.count() == PackingLine.objects.filter(packing_list__booking=booking).count() == 3
    assert {h.history_user for h in lines} == {coordinator}


def test_the_packing_list_pdf_reads_the_booking_and_its_lines_once(
    coordinator_client, school, workshop, coordinator, wagon, robot
):
    booking = make_booking(school, workshop, coordinator, pupils=18, confirm=True)
    url = f"/api/v1/bookings/{booking.pk}/packing-list.pdf"
    coordinator_client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = coordinator_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    sql = [q["sql"] for q in context.captured_queries]
    assert sum(1 for q in sql if q.startswith('SELECT "bookings_booking"."id"')) == 1
    assert sum(1 for q in sql if 'FROM "bookings_packingline"' in q) == 1
