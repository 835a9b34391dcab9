"""`?at_risk=true`: confirmed visits whose reserved kit no longer exists in full."""

import datetime as dt

import pytest

from bookings.selectors import at_risk_bookings
from inventory.services import item_set_status
from tests.bookings.conftest import VISIT_DAY, make_booking


@pytest.mark.django_db
def test_a_lost_robot_puts_the_visit_at_risk(
    coordinator_client, school, workshop, coordinator, wagon, robot
):
    booking = make_booking(school, workshop, coordinator, pupils=20, confirm=True)  # all 10
    make_booking(
        school, workshop, coordinator, pupils=2, date=VISIT_DAY + dt.timedelta(days=1), confirm=True
    )
    assert coordinator_client.get("/api/v1/bookings/", {"at_risk": "true"}).json()["count"] == 0
    item_set_status(item=robot.items.first(), status="lost", acting_user=coordinator)
    data = coordinator_client.get("/api/v1/bookings/", {"at_risk": "true"}).json()
    assert [b["id"] for b in data["results"]] == [booking.pk]
    assert data["results"][0]["at_risk"] is True
    assert data["results"][0]["shortage"] == [
        {"kit_type": robot.pk, "needed": 10, "available": 9, "total": 9}
    ]


@pytest.mark.django_db
def test_past_and_requested_bookings_are_not_at_risk(school, workshop, coordinator, wagon, robot):
    make_booking(school, workshop, coordinator, pupils=20)
    for item in robot.items.all():
        item_set_status(item=item, status="defect", acting_user=coordinator)
    assert at_risk_bookings() == []
    assert at_risk_bookings(on=VISIT_DAY + dt.timedelta(days=1)) == []


@pytest.mark.django_db
def test_at_risk_list_respects_visibility(
    other_school_client, school, workshop, coordinator, wagon, robot
):
    make_booking(school, workshop, coordinator, pupils=20, confirm=True)
    item_set_status(item=robot.items.first(), status="defect", acting_user=coordinator)
    assert other_school_client.get("/api/v1/bookings/", {"at_risk": "true"}).json()["count"] == 0
