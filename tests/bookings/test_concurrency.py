"""PRODUCT.md rule 3 under real concurrency: many threads confirm at once for kit that suffices
for k of them. Exactly k succeed, the rest get 409, and reservations never exceed stock."""

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient

from bookings.models import Booking, KitReservation
from tests.bookings.conftest import VISIT_DAY, make_booking, session_data
from tests.factories import (
    ItemFactory,
    KitRuleFactory,
    KitTypeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
    make_user,
)

THREADS = 8
UNITS = 9  # robots in the depot
PER_BOOKING = 3  # 6 pupils, 1 robot per 2 → k = 3


def _run_in_threads(worker, count):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = worker(index)
        except Exception as exc:  # surfaced by the assertions below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _setup():
    school = SchoolFactory(brin="40AA00")
    WagonFactory(depot=school.depot, max_visits_per_day=THREADS)
    WagonFactory(depot=school.depot, max_visits_per_day=THREADS)
    robot = KitTypeFactory(name="Robotauto", spare_units=0)
    ItemFactory.create_batch(UNITS, kit_type=robot, depot=school.depot)
    workshop = WorkshopFactory(max_pupils=32)
    KitRuleFactory(workshop=workshop, kit_type=robot, per_pupils=2)
    coordinator = make_user("coord-race", "coordinator")
    return school, workshop, coordinator


def _client(user_id):
    client = APIClient()
    client.force_authenticate(user=User.objects.get(pk=user_id))
    return client


def _prove_no_double_booking():
    school, workshop, coordinator = _setup()
    # Each visit on a wagon of its own (same time, so no wagon could carry kit from one to the
    # next): the depot's need is the sum of the visits, and the kit suffices for k of them.
    wagons = [WagonFactory(depot=school.depot, max_visits_per_day=1) for _ in range(THREADS)]
    bookings = [
        make_booking(school, workshop, coordinator, pupils=6, wagon=wagon) for wagon in wagons
    ]

    def confirm(index):
        response = _client(coordinator.pk).post(f"/api/v1/bookings/{bookings[index].pk}/confirm/")
        return response.status_code, response.json()

    results = _run_in_threads(confirm, THREADS)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    statuses = sorted(status for status, _body in results)
    k = UNITS // PER_BOOKING
    assert statuses == [200] * k + [409] * (THREADS - k), results
    for status, body in results:
        assert "locked" not in str(body).lower()
        if status == 409:
            assert body["code"] == "unavailable"
            assert body["reasons"][0]["code"] == "kit_shortage"
    reserved = sum(KitReservation.objects.values_list("quantity", flat=True))
    assert reserved == k * PER_BOOKING <= UNITS
    assert Booking.objects.filter(status="confirmed").count() == k


def _prove_parallel_requests_get_unique_references():
    school, workshop, coordinator = _setup()
    user = make_user("teacher-race", "school", school=school)

    def create(index):
        payload = {
            "date": (VISIT_DAY + dt.timedelta(days=7 * (index % 2))).isoformat(),
            "sessions": [session_data(workshop, pupils=2)],
            "contact_name": "J. de Vries",
            "contact_email": "j@school.nl",
        }
        response = _client(user.pk).post("/api/v1/bookings/", payload, format="json")
        return response.status_code, response.json()

    results = _run_in_threads(create, THREADS)
    assert [r[0] for r in results] == [201] * THREADS, results
    references = {r[1]["reference"] for r in results}
    assert len(references) == THREADS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_racing_confirmations_never_double_book():
    _prove_no_double_booking()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_racing_requests_get_unique_references():
    _prove_parallel_requests_get_unique_references()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_racing_confirmations_never_double_book():
    _prove_no_double_booking()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_racing_requests_get_unique_references():
    _prove_parallel_requests_get_unique_references()
