"""A school may have at most TW_MAX_OPEN_REQUESTS_PER_SCHOOL (20) requests waiting for the
coordinator; one more is refused with 409 and writes nothing."""

import datetime as dt

import pytest

from bookings.models import Booking, BookingSession
from tests.bookings.conftest import VISIT_DAY, booking_payload, make_booking, session_data
from tests.factories import BookingFactory

URL = "/api/v1/bookings/"


def open_requests(school, wagon, count, status=Booking.Status.REQUESTED):
    for n in range(count):
        BookingFactory(
            school=school,
            wagon=wagon,
            date=VISIT_DAY + dt.timedelta(days=7 * (n + 1)),
            status=status,
        )


@pytest.mark.django_db
def test_the_21st_open_request_is_409_with_the_numbers(school_client, school, wagon, workshop):
    open_requests(school, wagon, 20)
    bookings, sessions = Booking.objects.count(), BookingSession.objects.count()
    history = Booking.history.count()

    response = school_client.post(URL, booking_payload(workshop), format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "too_many_open_requests"
    assert (body["limit"], body["open"]) == (20, 20)
    assert "20" in body["detail"]
    assert "openstaande aanvragen" in body["detail"]
    assert Booking.objects.count() == bookings
    assert BookingSession.objects.count() == sessions
    assert Booking.history.count() == history


@pytest.mark.django_db
def test_the_20th_open_request_is_still_accepted(school_client, school, wagon, workshop):
    open_requests(school, wagon, 19)
    response = school_client.post(URL, booking_payload(workshop), format="json")
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_only_requests_waiting_for_the_coordinator_count(school_client, school, wagon, workshop):
    open_requests(school, wagon, 19)
    for status in ("confirmed", "declined", "cancelled", "completed"):
        open_requests(school, wagon, 1, status=status)
    assert school_client.post(URL, booking_payload(workshop), format="json").status_code == 201
    assert school_client.post(URL, booking_payload(workshop), format="json").status_code == 409


@pytest.mark.django_db
def test_another_schools_requests_do_not_count(school_client, other_school, wagon, workshop):
    open_requests(other_school, wagon, 20)
    assert school_client.post(URL, booking_payload(workshop), format="json").status_code == 201


@pytest.mark.django_db
def test_a_coordinator_may_book_beyond_the_limit(coordinator, school, wagon, workshop):
    open_requests(school, wagon, 20)
    booking = make_booking(school, workshop, coordinator)
    assert booking.status == Booking.Status.REQUESTED


@pytest.mark.django_db
def test_the_limit_is_a_setting(settings, school_client, school, wagon, workshop):
    settings.TW_MAX_OPEN_REQUESTS_PER_SCHOOL = 2
    open_requests(school, wagon, 2)
    response = school_client.post(URL, booking_payload(workshop), format="json")
    assert response.status_code == 409
    assert (response.json()["limit"], response.json()["open"]) == (2, 2)


def _prove_racing_requests_cannot_pass_the_limit():
    from tests.bookings.test_concurrency import THREADS, _client, _run_in_threads, _setup
    from tests.factories import make_user

    school, workshop, _coordinator = _setup()
    user = make_user("teacher-limit-race", "school", school=school)
    wagon = school.depot.wagons.first()
    open_requests(school, wagon, 19)

    def create(index):
        payload = booking_payload(workshop, sessions=[session_data(workshop, pupils=2)])
        response = _client(user.pk).post(URL, payload, format="json")
        return response.status_code, response.json()

    results = _run_in_threads(create, THREADS)
    assert sorted(r[0] for r in results) == [201] + [409] * (THREADS - 1), results
    assert {r[1]["code"] for r in results if r[0] == 409} == {"too_many_open_requests"}
    assert Booking.objects.filter(school=school, status="requested").count() == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_racing_requests_cannot_pass_the_limit():
    _prove_racing_requests_cannot_pass_the_limit()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_racing_requests_cannot_pass_the_limit():
    _prove_racing_requests_cannot_pass_the_limit()
