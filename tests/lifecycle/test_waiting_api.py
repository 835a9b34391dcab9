"""`GET/POST /api/v1/waiting-list/` and the offer actions: owner, other role, stranger; bad input
never 500; the list's query count does not grow with entries."""

import datetime as dt

import pytest

from bookings import services
from bookings.models import WaitingEntry
from tests.bookings.conftest import VISIT_DAY, session_data
from tests.lifecycle.conftest import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_day(school, workshop, wagon, coordinator):
    wagon.max_visits_per_day = 1
    wagon.save()
    return book(school, workshop, coordinator, date=VISIT_DAY, confirm=True)


def payload(workshop, **extra):
    return {
        "date": VISIT_DAY.isoformat(),
        "alternative_dates": [(VISIT_DAY + dt.timedelta(days=1)).isoformat()],
        "sessions": [session_data(workshop)],
        "contact_name": "A. Jansen",
        "contact_email": "a.jansen@school.nl",
        **extra,
    }


@pytest.fixture
def entry(full_day, other_school, other_school_client, workshop):
    other_school.depot = full_day.school.depot  # the same programme: its wagon is full that day
    other_school.save()
    response = other_school_client.post("/api/v1/waiting-list/", payload(workshop), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_school_joins_and_sees_only_its_own_entries(
    entry, other_school_client, school_client, crew_client, coordinator_client
):
    assert entry["status"] == "waiting"
    assert entry["dates"] == ["2027-03-09", "2027-03-10"]
    own = other_school_client.get("/api/v1/waiting-list/").json()["results"]
    assert [e["id"] for e in own] == [entry["id"]]
    assert school_client.get("/api/v1/waiting-list/").json()["results"] == []
    assert school_client.get(f"/api/v1/waiting-list/{entry['id']}/").status_code == 404
    assert crew_client.get("/api/v1/waiting-list/").status_code == 403
    everyone = coordinator_client.get("/api/v1/waiting-list/").json()["results"]
    assert [e["school_name"] for e in everyone] == ["Vak College Hillegersberg"]


def test_a_stranger_cannot_answer_anothers_offer(
    entry, school_client, full_day, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
    response = school_client.post(f"/api/v1/waiting-list/{entry['id']}/accept/")
    assert response.status_code == 404
    assert WaitingEntry.objects.get(pk=entry["id"]).status == "offered"


def test_the_owner_accepts_an_offer(
    entry, other_school_client, full_day, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
    response = other_school_client.post(f"/api/v1/waiting-list/{entry['id']}/accept/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "accepted" and body["booking"]
    again = other_school_client.post(f"/api/v1/waiting-list/{entry['id']}/accept/")
    assert again.status_code == 409


def test_a_school_cannot_join_for_another_school(other_school_client, school, workshop, wagon):
    response = other_school_client.post(
        "/api/v1/waiting-list/", payload(workshop, school=school.pk), format="json"
    )
    assert response.status_code == 400
    assert not WaitingEntry.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"date": "morgen"},
        {"date": "2027-03-09", "sessions": []},
        {"date": "2027-03-09", "sessions": "x"},
        {"date": "2027-03-09", "sessions": [{"workshop": 999999}]},
        {"date": "1999-01-01", "sessions": []},
        {"date": "2027-03-13", "alternative_dates": ["x"] * 50},
    ],
)
def test_bad_input_is_a_400(other_school_client, workshop, wagon, bad):
    response = other_school_client.post("/api/v1/waiting-list/", bad, format="json")
    assert response.status_code == 400, response.content


def test_a_closed_day_cannot_be_waited_for(other_school_client, workshop, wagon):
    response = other_school_client.post(
        "/api/v1/waiting-list/", payload(workshop, date="2027-03-13"), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "date_closed"


def test_a_free_date_is_refused_with_a_clear_conflict(
    other_school, school, other_school_client, workshop, wagon
):
    other_school.depot = school.depot
    other_school.save()
    response = other_school_client.post("/api/v1/waiting-list/", payload(workshop), format="json")
    assert response.status_code == 409
    assert "vraag het bezoek gewoon aan" in response.json()["detail"]


def test_the_list_query_count_does_not_grow(
    coordinator_client, full_day, other_school, workshop, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            WaitingEntry.objects.create(
                school=other_school, dates=["2027-03-09"], contact_name="x", contact_email="x@x.nl"
            )

    add(2)
    with django_assert_max_num_queries(5) as small:
        assert coordinator_client.get("/api/v1/waiting-list/").status_code == 200
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = coordinator_client.get("/api/v1/waiting-list/")
    assert response.json()["count"] == 22
