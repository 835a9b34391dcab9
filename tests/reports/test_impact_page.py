"""The impact page (/planning/reports/impact/): the fixture's figures, the charts (inline SVG),
the links to CSV and PDF, scope, roles and errors."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import make_user
from tests.reports.impact_data import PERSONAL, build

PAGE = "/planning/reports/impact/"
SY = {"mode": "school_year", "school_year": "2026"}


@pytest.fixture
def impact_data(db):
    return build()


def page_client(user, language=None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def figure(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}"><th scope="row">[^<]*</th><td>([^<]*)</td>', html)
    assert match, key
    return match.group(1)


def test_coordinator_sees_the_figures(impact_data):
    coordinator = make_user("coord_page", "coordinator")
    response = page_client(coordinator).get(PAGE, SY)
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "visits") == "4"
    assert figure(html, "schools") == "2"
    assert figure(html, "pupils") == "116"
    assert figure(html, "girls") == "42,7% (bekend voor 72,4% van de leerlingen)"
    assert figure(html, "teachers") == "6"
    assert figure(html, "partners") == "3"
    assert figure(html, "hours") == "5,50"
    assert figure(html, "response") == "66,7% (2 van 3 afgeronde bezoeken)"
    assert figure(html, "workshop_rating") == "4,0"
    assert figure(html, "book_again") == "50,0%"
    assert "Schooljaar 2026-2027" in html
    assert "Deventer-Twello" not in html
    # Charts on the server: inline SVG, no script, nothing fetched.
    assert html.count("<svg") == 2
    assert "<script" not in html
    assert "Aandeel meisjes per programma" in html
    assert "42,7%" in html
    # The downloads carry the same query.
    assert "/api/v1/reports/impact/?school_year=2026&amp;group_by=programme&amp;format=csv" in html
    assert "/api/v1/reports/impact.pdf?school_year=2026&amp;group_by=programme" in html
    assert 'aria-current="page">Impact' in html


def test_per_workshop_on_the_page(impact_data):
    coordinator = make_user("coord_page", "coordinator")
    html = page_client(coordinator).get(PAGE, {**SY, "group_by": "workshop"}).content.decode()
    table = html[html.index('id="impact-table"') :]
    assert "3D-printen" in table and "Robot bouwen" in table
    # Print: 50 pupils, 50,0% girls known for 36,0% of them; Robot: 40,6% over every pupil.
    assert "<td>50</td><td>50,0%</td><td>36,0%</td>" in table
    assert "<td>66</td><td>40,6%</td><td>100,0%</td>" in table
    assert "Leerlingcontacten per workshop" in html


def test_funder_sees_every_programme_without_the_planning_menu(impact_data):
    html = page_client(impact_data["funder"]).get(PAGE, SY).content.decode()
    assert figure(html, "visits") == "5"
    assert figure(html, "pupils") == "141"
    assert "Deventer-Twello" in html
    assert "/planning/board/" not in html
    assert "/planning/reach/" in html  # its other report
    for personal in PERSONAL + ["Geheime opmerking"]:
        assert personal not in html


def test_another_programme_is_an_error_not_data(impact_data):
    client = page_client(impact_data["coord_b"])
    html = client.get(PAGE, SY).content.decode()
    assert figure(html, "pupils") == "25"
    assert "Robot bouwen" not in html  # not even as a workshop to pick
    for name in ("programme", "workshop"):
        key = "a" if name == "programme" else "robot"
        response = client.get(PAGE, {**SY, name: impact_data[key].id})
        assert response.status_code == 400
        assert 'id="impact-errors"' in response.content.decode()
        assert 'id="impact-totals"' not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"mode": "school_year", "school_year": "twintig"},
        {"mode": "range", "date_from": "2027-02-01", "date_to": "2027-01-01"},
        {"group_by": "wagon"},
        {"school_type": "hbo"},
    ],
)
def test_bad_input_is_a_400_with_the_errors(impact_data, params):
    coordinator = make_user("coord_page", "coordinator")
    response = page_client(coordinator).get(PAGE, params)
    assert response.status_code == 400
    assert 'id="impact-errors"' in response.content.decode()


def test_crew_and_school_are_refused_and_anonymous_logs_in(impact_data, school):
    assert page_client(make_user("crew_page", "crew")).get(PAGE).status_code == 403
    assert (
        page_client(make_user("school_page", "school", school=school)).get(PAGE).status_code == 403
    )
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_the_page_in_english(impact_data):
    coordinator = make_user("coord_page", "coordinator")
    html = page_client(coordinator, "en").get(PAGE, SY).content.decode()
    assert "Share of girls" in html


def test_query_count_does_not_grow(impact_data, django_assert_max_num_queries):
    coordinator = make_user("coord_page", "coordinator")
    client = page_client(coordinator)
    client.get(PAGE, SY)
    with django_assert_max_num_queries(13):
        client.get(PAGE, {**SY, "group_by": "workshop"})
