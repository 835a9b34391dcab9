"""`GET /api/v1/feedback/`: coordinators read their programmes' responses (filters workshop and
dates); nobody else can list them."""

import datetime as dt

import pytest

from feedback import services
from tests.factories import (
    DepotFactory,
    ProgrammeFactory,
    SchoolFactory,
    WorkshopFactory,
    make_user,
)
from tests.feedback.conftest import VISIT, at, completed_visit
from tests.partners.conftest import client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/feedback/"


def answer(booking, rating=4, again=True):
    with at(booking.date + dt.timedelta(days=1)):
        return services.feedback_submit(
            booking=booking,
            workshop_rating=rating,
            crew_rating=rating,
            organisation_rating=rating,
            enthusiasm=rating,
            book_again=again,
            comments="Goed",
        )


@pytest.fixture
def other_programme_response():
    programme = ProgrammeFactory(name="Deventer-Twello")
    school = SchoolFactory(name="Deventer", brin="09ZZ00", depot=DepotFactory(programme=programme))
    return answer(completed_visit(school, workshop=WorkshopFactory(programme=programme)))


def test_the_coordinator_lists_its_programmes_responses(
    coordinator_client, school, other_programme_response
):
    mine = answer(completed_visit(school))
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["booking"] == mine.booking_id and rows[0]["workshop_rating"] == 4
    assert coordinator_client.get(f"{URL}{mine.pk}/").status_code == 200
    assert coordinator_client.get(f"{URL}{other_programme_response.pk}/").status_code == 404


def test_filters_by_workshop_and_visit_date(coordinator_client, school):
    vr, robot = WorkshopFactory(name="VR"), WorkshopFactory(name="Robot")
    early = answer(completed_visit(school, workshop=vr, date=VISIT))
    late = answer(completed_visit(school, workshop=robot, date=VISIT + dt.timedelta(days=7)))

    def ids(query):
        return [r["id"] for r in coordinator_client.get(URL + query).json()["results"]]

    assert ids(f"?workshop={vr.pk}") == [early.pk]
    assert ids(f"?workshop={robot.pk}") == [late.pk]
    assert ids(f"?date_from={VISIT + dt.timedelta(days=1)}") == [late.pk]
    assert ids(f"?date_to={VISIT}") == [early.pk]


@pytest.mark.parametrize(
    "query", ["?workshop=abc", "?workshop=999999", "?date_from=gisteren", "?date_to=1800-01-01"]
)
def test_bad_filters_are_a_400(coordinator_client, query):
    assert coordinator_client.get(URL + query).status_code == 400


def test_nobody_else_can_list_or_read_responses(
    crew_client, school_client, anon_client, school, other_school_user
):
    mine = answer(completed_visit(school))
    funder = client_for(make_user("funder", "funder"))
    stranger = client_for(other_school_user)
    for client, expected in (
        (crew_client, 403),
        (school_client, 403),
        (stranger, 403),
        (funder, 403),
        (anon_client, 401),
    ):
        assert client.get(URL).status_code == expected
        assert client.get(f"{URL}{mine.pk}/").status_code == expected


def test_responses_cannot_be_written_through_the_api(coordinator_client, school):
    mine = answer(completed_visit(school))
    # Refused before the method is even looked at (no role may write): 403 or 405, never a change.
    assert coordinator_client.post(URL, {}, format="json").status_code in (403, 405)
    patch = coordinator_client.patch(f"{URL}{mine.pk}/", {"comments": "x"}, format="json")
    assert patch.status_code in (403, 405)
    assert coordinator_client.delete(f"{URL}{mine.pk}/").status_code in (403, 405)
    mine.refresh_from_db()
    assert mine.comments == "Goed"


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_query_count_does_not_grow(
    coordinator_client, school, django_assert_max_num_queries, count
):
    for n in range(count):
        answer(completed_visit(school, date=VISIT + dt.timedelta(days=n)))
    with django_assert_max_num_queries(4):
        response = coordinator_client.get(URL)
    assert len(response.json()["results"]) == count
