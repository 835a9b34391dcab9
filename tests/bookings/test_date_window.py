"""Bookings, blackouts, availability and list filters share one date window (backend/core/dates.py):
2000-01-01 up to three years ahead. Outside it: 400 on the field, nothing written."""

import pytest

from bookings.models import Blackout, Booking
from tests.bookings.conftest import booking_payload

pytestmark = pytest.mark.django_db


def test_a_booking_far_ahead_is_a_400_on_the_date(coordinator_client, school, workshop, wagon):
    payload = booking_payload(workshop, school=school.pk)
    payload["date"] = "9999-12-31"
    response = coordinator_client.post("/api/v1/bookings/", payload, format="json")
    assert response.status_code == 400
    assert "date" in response.json()
    assert Booking.objects.count() == 0


def test_an_alternative_date_far_ahead_is_a_400(coordinator_client, school, workshop, wagon):
    payload = booking_payload(workshop, school=school.pk, alternative_dates=["9999-12-31"])
    response = coordinator_client.post("/api/v1/bookings/", payload, format="json")
    assert response.status_code == 400
    assert "alternative_dates" in response.json()
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    "body,field",
    [
        ({"date_from": "2027-05-01", "date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "1900-01-01", "date_to": "1900-01-02"}, "date_from"),
    ],
)
def test_a_blackout_outside_the_window_is_refused(coordinator_client, body, field):
    response = coordinator_client.post(
        "/api/v1/blackouts/", {**body, "reason": "Onderhoud"}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Blackout.objects.count() == 0


def test_availability_beyond_the_window_is_a_400(coordinator_client, school):
    response = coordinator_client.get(
        f"/api/v1/availability/?school={school.pk}&date_from=2099-01-01&date_to=2099-01-05"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"date_from", "date_to"}


@pytest.mark.parametrize(
    "url,param",
    [
        ("/api/v1/bookings/?date_to=9999-12-31", "date_to"),
        ("/api/v1/bookings/?date_from=0001-01-01", "date_from"),
        ("/api/v1/blackouts/?date_from=9999-12-31", "date_from"),
    ],
)
def test_list_filters_outside_the_window_are_a_400(coordinator_client, url, param):
    response = coordinator_client.get(url)
    assert response.status_code == 400
    assert param in response.json()


def test_list_filters_inside_the_window_still_work(coordinator_client):
    response = coordinator_client.get("/api/v1/bookings/?date_from=2026-01-01&date_to=2029-11-21")
    assert response.status_code == 200
