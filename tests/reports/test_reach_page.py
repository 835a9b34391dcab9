"""The reach page under /planning/reach/: programme, depot and wagon filters and grouping, totals
per sector, a coordinator's own programmes only, and the funder's view of every programme."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import make_user

PAGE = "/planning/reach/"
SY = {"mode": "school_year", "school_year": "2026-2027"}


def page_client(user, language=None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def sector_rows(html: str) -> dict:
    table = re.search(r'<table[^>]*id="reach-sectors".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr><td>([^<]*)</td>((?:<td>\d+</td>)+)</tr>", table)
    return {label: [int(n) for n in re.findall(r"\d+", cells)] for label, cells in rows}


def totals_row(html: str) -> list[int]:
    totals = re.search(r'<tr class="totals">(.*?)</tr>', html, re.S).group(1)
    return [int(n) for n in re.findall(r"<th>(\d+)</th>", totals)]


@pytest.fixture
def coord_a(two_programmes):
    return make_user("coord_a", "coordinator", programmes=[two_programmes["a"]])


@pytest.fixture
def coord_b(two_programmes):
    return make_user("coord_b", "coordinator", programmes=[two_programmes["b"]])


@pytest.fixture
def funder(two_programmes):
    return make_user("funder_user", "funder")


def test_a_coordinator_sees_only_their_programme_on_the_page(coord_b, two_programmes):
    for group_by in ("programme", "school", "depot", "wagon", "school_type"):
        response = page_client(coord_b).get(PAGE, {**SY, "group_by": group_by})
        assert response.status_code == 200
        html = response.content.decode()
        assert totals_row(html) == [2, 2, 2, 37]
        for leak in two_programmes["a_strings"]:
            assert leak not in html, (group_by, leak)
        assert "Programma Deventer-Twello, projectcode STO18071." in html


def test_another_programmes_id_on_the_page_is_an_error_not_data(coord_b, two_programmes):
    response = page_client(coord_b).get(PAGE, {**SY, "depot": two_programmes["depot_a1"].id})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="reach-errors"' in html and 'href="#reach-depot">Depot</a>' in html
    for leak in two_programmes["a_strings"]:
        assert leak not in html


def test_the_page_filters_and_groups_by_depot_and_wagon(coord_a, two_programmes):
    client = page_client(coord_a)
    depot = two_programmes["depot_a1"]
    html = client.get(PAGE, {**SY, "depot": depot.id, "group_by": "wagon"}).content.decode()
    assert totals_row(html) == [3, 2, 5, 111]
    assert re.search(rf'<option value="{depot.id}" selected>Depot Rotterdam</option>', html)
    assert "Wagen Rotterdam 1" in html
    assert f"depot={depot.id}" in html  # the CSV link keeps the filter
    assert "group_by=wagon" in html
    # Both of A's depots and wagons are offered, none of B's.
    assert "Depot Schiedam" in html and "Depot Deventer" not in html


def test_the_page_shows_totals_per_sector(coord_a, two_programmes):
    html = page_client(coord_a).get(PAGE, SY).content.decode()
    assert sector_rows(html) == {
        "Primair onderwijs (po)": [2, 1, 2, 42],
        "Voortgezet onderwijs (vo)": [2, 1, 3, 83],
        "Middelbaar beroepsonderwijs (mbo)": [1, 1, 1, 15],
        "Speciaal onderwijs (so, vso)": [1, 1, 1, 8],
    }


def test_the_page_in_english(coord_a, two_programmes):
    html = page_client(coord_a, "en").get(PAGE, {**SY, "group_by": "depot"}).content.decode()
    assert "Total per sector" in html
    assert "Primary education (po)" in html
    assert "Programme Techniekwagen Rotterdam-Noord, project code STO18065." in html
    assert ">Programme</option>" in html and ">Wagon</option>" in html


def test_the_funder_opens_the_page_with_every_programme(funder, two_programmes):
    response = page_client(funder).get(PAGE, SY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 programma's naast elkaar." in html
    assert "Deventer-Twello" in html and "STO18071" in html
    assert "Techniekwagen Rotterdam-Noord" in html and "STO18065" in html
    assert totals_row(html) == [7, 5, 9, 185]
    # No menu of planning pages the funder may not open.
    assert "/planning/board/" not in html and "/planning/inventory/" not in html


@pytest.mark.parametrize("group_by", ["programme", "school", "depot", "wagon", "workshop"])
def test_the_funders_page_holds_nothing_personal(funder, two_programmes, group_by):
    html = page_client(funder).get(PAGE, {**SY, "group_by": group_by}).content.decode()
    for personal in two_programmes["personal"]:
        assert personal not in html


def test_the_funder_still_may_not_open_the_other_planning_pages(funder):
    client = page_client(funder)
    for url in ("/planning/", "/planning/board/", "/planning/inventory/"):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["crew", "school"])
def test_crew_and_schools_may_not_open_the_reach_page(two_programmes, role):
    from tests.factories import SchoolFactory

    school = SchoolFactory() if role == "school" else None
    user = make_user(f"page_{role}", role, school=school)
    assert page_client(user).get(PAGE, SY).status_code == 403


def test_the_page_reads_in_a_fixed_number_of_queries(coord_a, two_programmes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import BookingFactory, BookingSessionFactory, SchoolFactory

    client = page_client(coord_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(PAGE, {**SY, "group_by": "depot"}).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _ in range(20):
        booking = BookingFactory(
            school=SchoolFactory(depot=two_programmes["depot_a2"]),
            wagon=two_programmes["wa2"],
            status="completed",
        )
        BookingSessionFactory(booking=booking)
    assert count() == before
