"""Rotating stations ("carrousel"): sessions of one visit may overlap in time; each session must
still suit the school type and fit the school day."""

import pytest

from bookings.models import Booking
from tests.bookings.conftest import booking_payload, session_data
from tests.factories import KitRuleFactory, WorkshopFactory

URL = "/api/v1/bookings/"


@pytest.fixture
def second_workshop(robot):
    workshop = WorkshopFactory(name="Robotarm", max_pupils=32, duration_minutes=60)
    KitRuleFactory(workshop=workshop, kit_type=robot, per_pupils=4)
    return workshop


@pytest.mark.django_db
def test_two_groups_starting_together_are_accepted(school_client, wagon, workshop, second_workshop):
    sessions = [
        session_data(workshop, pupils=8, start="09:00", label="7a"),
        session_data(second_workshop, pupils=8, start="09:00", label="7b"),
    ]
    response = school_client.post(URL, booking_payload(workshop, sessions=sessions), format="json")
    assert response.status_code == 201, response.json()
    assert [s["start_time"] for s in response.json()["sessions"]] == ["09:00", "09:00"]


@pytest.mark.django_db
def test_partly_overlapping_sessions_are_accepted(school_client, wagon, workshop):
    sessions = [
        session_data(workshop, pupils=8, start="09:00", label="7a"),
        session_data(workshop, pupils=8, start="10:00", label="7b"),  # the first runs until 10:30
    ]
    response = school_client.post(URL, booking_payload(workshop, sessions=sessions), format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change,message",
    [
        ({"school_type": "havo"}, "niet bedoeld voor havo"),
        ({"start_time": "14:30"}, "buiten de schooldag"),
    ],
)
def test_an_overlapping_session_is_still_checked(
    school_client, wagon, workshop, second_workshop, change, message
):
    workshop.school_types = ["po"]
    workshop.save()
    sessions = [
        session_data(second_workshop, pupils=8, start="09:00", label="7a"),
        {**session_data(workshop, pupils=8, start="09:00", label="7b"), **change},
    ]
    if "start_time" in change:
        sessions[0]["start_time"] = "14:30"  # both overlap; the robot cars run past 15:30
    response = school_client.post(URL, booking_payload(workshop, sessions=sessions), format="json")
    assert response.status_code == 400
    errors = str(response.json()["sessions"])
    assert "Sessie 2" in errors and message in errors
    assert "overlapt" not in errors
    assert not Booking.objects.exists()
