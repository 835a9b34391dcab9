"""Every text and every list the API accepts has a limit (README "Limits"), in the model, the
serializer and the OpenAPI schema alike; long notes never break a write."""

import datetime as dt

import pytest

from bookings.models import Workshop
from inventory.models import Item, KitType
from routes.models import MAX_STOPS, Route
from tests.factories import (
    BookingFactory,
    ItemFactory,
    KitTypeFactory,
    SchoolFactory,
    WagonFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def test_text_fields_are_at_most_2000_characters(coordinator_client):
    kit_type = KitTypeFactory()
    item = ItemFactory(kit_type=kit_type)
    workshop = WorkshopFactory()
    for url, field in [
        (f"/api/v1/kit-types/{kit_type.pk}/", "description"),
        (f"/api/v1/items/{item.pk}/", "notes"),
        (f"/api/v1/workshops/{workshop.pk}/", "description"),
    ]:
        response = coordinator_client.patch(url, {field: "x" * 2001}, format="json")
        assert response.status_code == 400, url
        assert field in response.json()
        assert coordinator_client.patch(url, {field: "x" * 2000}, format="json").status_code == 200
    assert len(KitType.objects.get().description) == 2000


def test_the_models_refuse_longer_text_too():
    from django.core.exceptions import ValidationError

    school = SchoolFactory(site_notes="x" * 2001)
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert "site_notes" in error.value.message_dict


def test_a_workshop_has_at_most_50_kit_rules(coordinator_client):
    kit_types = [KitTypeFactory() for _ in range(51)]
    body = {
        "name": "Alles",
        "duration_minutes": 60,
        "max_pupils": 30,
        "kit_rules": [{"kit_type": k.pk, "fixed": 1} for k in kit_types],
    }
    response = coordinator_client.post("/api/v1/workshops/", body, format="json")
    assert response.status_code == 400
    assert "kit_rules" in response.json()
    assert not Workshop.objects.exists()


def test_a_booking_has_at_most_12_sessions(coordinator_client, school):
    workshop = WorkshopFactory()
    session = {
        "workshop": workshop.pk,
        "group_label": "g",
        "school_type": "po",
        "year": 5,
        "pupils": 10,
        "start_time": "09:00",
    }
    body = {"school": school.pk, "date": "2027-03-09", "sessions": [session] * 13}
    response = coordinator_client.post("/api/v1/bookings/", body, format="json")
    assert response.status_code == 400
    assert "sessions" in response.json()


def test_the_planner_takes_at_most_50_wagons(coordinator_client):
    wagon = WagonFactory()
    body = {"wagons": [wagon.pk] * 51, "date_from": "2027-03-08", "date_to": "2027-03-12"}
    response = coordinator_client.post("/api/v1/routes/plan/", body, format="json")
    assert response.status_code == 400
    assert "wagons" in response.json()


def test_a_route_holds_at_most_ten_stops(coordinator_client):
    wagon = WagonFactory(max_visits_per_day=10)
    day = dt.date(2027, 3, 9)
    route = Route.objects.create(wagon=wagon, date=day)
    bookings = [
        BookingFactory(school=SchoolFactory(depot=wagon.depot), wagon=wagon, date=day)
        for _ in range(MAX_STOPS + 1)
    ]
    url = f"/api/v1/routes/{route.pk}/add-stop/"
    for booking in bookings[:MAX_STOPS]:
        assert (
            coordinator_client.post(url, {"booking": booking.pk}, format="json").status_code == 200
        )
    response = coordinator_client.post(url, {"booking": bookings[-1].pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "too_many_stops"
    assert route.stops.count() == MAX_STOPS


def test_long_defect_notes_never_break_the_report_and_notes_stay_bounded(crew_client):
    """History keeps its change reason in 100 characters: a long note used to fail the write
    (PostgreSQL: value too long); notes added report after report stay within 2,000."""
    item = ItemFactory()
    for n in range(3):
        item.status = Item.Status.AVAILABLE
        item.save()
        note = f"{n}" * 1000
        response = crew_client.post(
            f"/api/v1/items/{item.pk}/report-defect/", {"note": note}, format="json"
        )
        assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert len(item.notes) <= 2000 and item.notes.endswith("2" * 1000)
    reasons = item.history.exclude(history_change_reason=None)
    assert reasons.exists()
    assert all(len(r.history_change_reason) <= 100 for r in reasons)
