"""Coordinators see responses per visit (visit page), per workshop and per programme
(/planning/feedback/ with averages and the response rate); nobody else sees that page."""

import datetime as dt

import pytest
from django.test import Client

from feedback import selectors
from tests.factories import (
    BookingSessionFactory,
    DepotFactory,
    ProgrammeFactory,
    SchoolFactory,
    WorkshopFactory,
)
from tests.feedback.conftest import VISIT, completed_visit
from tests.feedback.test_feedback_api import answer

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def responses(school, other_school):
    vr, robot = WorkshopFactory(name="VR"), WorkshopFactory(name="Robot")
    a = completed_visit(school, workshop=vr)
    # Two groups in one workshop: the visit's response still counts once for that workshop.
    BookingSessionFactory(booking=a, workshop=vr, group_label="groep 8")
    b = completed_visit(other_school, workshop=vr, date=VISIT + dt.timedelta(days=1))
    c = completed_visit(school, workshop=robot, date=VISIT + dt.timedelta(days=2))
    completed_visit(school, workshop=robot, date=VISIT + dt.timedelta(days=3))  # no answer
    completed_visit(school, status="returned", workshop=robot)  # not completed: no link
    # Another programme's response never counts here.
    programme = ProgrammeFactory(name="Deventer-Twello")
    theirs = SchoolFactory(name="D", brin="09ZZ00", depot=DepotFactory(programme=programme))
    answer(completed_visit(theirs, workshop=WorkshopFactory(programme=programme)), rating=1)
    return {
        "vr": vr,
        "robot": robot,
        "a": answer(a, rating=5),
        "b": answer(b, rating=3, again=False),
        "c": answer(c, rating=4),
    }


def test_averages_and_response_rate_per_programme_and_workshop(coordinator, responses):
    figures = selectors.summary(coordinator)
    total = figures["total"]
    assert (total["responses"], total["visits"], total["rate"]) == (3, 4, 75)
    assert total["workshop_rating"] == pytest.approx(4.0)
    assert total["book_again"] == 2
    [programme] = figures["programmes"]
    assert (programme["responses"], programme["visits"], programme["rate"]) == (3, 4, 75)
    workshops = {row["label"]: row for row in figures["workshops"]}
    assert (workshops["VR"]["responses"], workshops["VR"]["visits"]) == (2, 2)
    assert workshops["VR"]["rate"] == 100 and workshops["VR"]["crew_rating"] == pytest.approx(4.0)
    assert (workshops["Robot"]["responses"], workshops["Robot"]["visits"]) == (1, 2)
    assert workshops["Robot"]["rate"] == 50


def test_the_overview_page_shows_the_figures(coordinator, responses):
    page = logged_in(coordinator).get("/planning/feedback/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="fb-responses">3<' in html and 'id="fb-rate">75%<' in html
    assert 'id="fb-workshops"' in html and "VR" in html
    assert f"/planning/visits/{responses['a'].booking_id}/" in html
    assert "D</a>" not in html  # another programme's school
    assert 'href="/planning/feedback/"' in html


def test_the_visit_page_shows_the_response(coordinator, responses):
    html = logged_in(coordinator).get(f"/planning/visits/{responses['b'].booking_id}/").content
    html = html.decode()
    assert 'class="fb-workshop">3 / 5<' in html and 'class="fb-again">nee<' in html


def test_only_coordinators_see_the_overview(crew_user, school_user, responses):
    for user in (crew_user, school_user):
        assert logged_in(user).get("/planning/feedback/").status_code == 403
    assert Client().get("/planning/feedback/").status_code == 302


@pytest.mark.parametrize("count", [5, 50])
def test_the_overview_query_count_does_not_grow(
    coordinator, school, django_assert_max_num_queries, count
):
    for n in range(count):
        answer(completed_visit(school, date=VISIT + dt.timedelta(days=n)))
    client = logged_in(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get("/planning/feedback/").status_code == 200
