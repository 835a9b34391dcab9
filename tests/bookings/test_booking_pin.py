"""Pinning a visit to its day: the service, the API action, and the reschedule it blocks."""

import datetime as dt

import pytest

from bookings import services
from bookings.exceptions import BookingError
from bookings.reschedule import booking_reschedule
from tests.factories import BookingFactory, WagonFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 3, 9)


@pytest.fixture
def booking(school):
    wagon = WagonFactory(depot=school.depot) if school.depot_id else WagonFactory()
    return BookingFactory(school=school, wagon=wagon, date=DAY, alternative_dates=["2027-03-10"])


def url(booking):
    return f"/api/v1/bookings/{booking.pk}/pin/"


def test_a_coordinator_pins_and_unpins_through_the_api(coordinator_client, coordinator, booking):
    response = coordinator_client.post(url(booking), {"pinned": True}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["pinned"] is True
    booking.refresh_from_db()
    assert booking.pinned is True
    last = booking.history.first()
    assert (last.history_user, last.history_change_reason) == (coordinator, "vastgezet")
    assert coordinator_client.get(f"/api/v1/bookings/{booking.pk}/").data["pinned"] is True
    response = coordinator_client.post(url(booking), {"pinned": False}, format="json")
    assert response.status_code == 200 and response.data["pinned"] is False
    booking.refresh_from_db()
    assert booking.pinned is False


def test_pinning_twice_writes_one_history_row(coordinator_client, booking):
    before = booking.history.count()
    for _ in range(2):
        assert (
            coordinator_client.post(url(booking), {"pinned": True}, format="json").status_code
            == 200
        )
    assert booking.history.count() == before + 1


@pytest.mark.parametrize("body", [{}, {"pinned": "misschien"}, {"pinned": None}])
def test_a_bad_body_is_a_400(coordinator_client, booking, body):
    response = coordinator_client.post(url(booking), body, format="json")
    assert response.status_code == 400
    assert "pinned" in response.data
    booking.refresh_from_db()
    assert booking.pinned is False


def test_crew_schools_and_strangers_may_not_pin(
    crew_client, school_client, other_school_client, client, booking
):
    assert crew_client.post(url(booking), {"pinned": True}, format="json").status_code == 403
    assert school_client.post(url(booking), {"pinned": True}, format="json").status_code == 403
    assert (
        other_school_client.post(url(booking), {"pinned": True}, format="json").status_code == 403
    )
    assert (
        client.post(url(booking), {"pinned": True}, content_type="application/json").status_code
        == 401
    )
    booking.refresh_from_db()
    assert booking.pinned is False


def test_a_cancelled_visit_cannot_be_pinned(coordinator, booking):
    booking.status = "cancelled"
    booking.save()
    with pytest.raises(BookingError) as refused:
        services.booking_pin(booking=booking, pinned=True, acting_user=coordinator)
    assert refused.value.code == "invalid_transition"


def test_a_pinned_visit_is_not_rescheduled(coordinator, booking):
    services.booking_pin(booking=booking, pinned=True, acting_user=coordinator)
    with pytest.raises(BookingError) as refused:
        booking_reschedule(
            booking=booking, date=DAY + dt.timedelta(days=1), acting_user=coordinator,
            check_availability=False,
        )  # fmt: skip
    assert refused.value.code == "pinned"
    other = WagonFactory(depot=booking.wagon.depot)
    with pytest.raises(BookingError) as refused:
        booking_reschedule(
            booking=booking, date=DAY, wagon=other, acting_user=coordinator,
            check_availability=False,
        )  # fmt: skip
    assert refused.value.code == "pinned"
    booking.refresh_from_db()
    assert booking.date == DAY
    services.booking_pin(booking=booking, pinned=False, acting_user=coordinator)
    moved = booking_reschedule(
        booking=booking, date=DAY + dt.timedelta(days=1), acting_user=coordinator,
        check_availability=False, notify=False,
    )  # fmt: skip
    assert moved.date == DAY + dt.timedelta(days=1)
