"""`GET /api/v1/reports/impact/` (JSON and CSV) and `/api/v1/reports/impact.pdf`: figures, scope,
roles, bad input, query count."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader
from rest_framework.test import APIClient

from tests.factories import BookingFactory, SchoolFactory, WagonFactory, WorkshopFactory
from tests.reports.impact_data import (
    EXPECTED_A,
    EXPECTED_B,
    EXPECTED_PRINT,
    PERSONAL,
    build,
    session,
    subset,
)

URL = "/api/v1/reports/impact/"
PDF = "/api/v1/reports/impact.pdf"
YEAR = {"school_year": "2026"}


@pytest.fixture
def impact_data(db):
    return build()


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def csv_rows(response) -> dict:
    assert response["Content-Type"].startswith("text/csv")
    return {row["key"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_coordinator_gets_own_programme_figures(coordinator_client, impact_data):
    response = coordinator_client.get(URL, YEAR)
    assert response.status_code == 200
    data = response.json()
    assert subset(data["totals"], EXPECTED_A) == EXPECTED_A
    assert data["school_year"] == 2026
    assert (data["date_from"], data["date_to"]) == ("2026-08-01", "2027-07-31")
    assert [row["label"] for row in data["rows"]] == [impact_data["a"].name]
    assert "Deventer-Twello" not in response.content.decode()


def test_school_year_in_long_form_and_dates_give_the_same(coordinator_client, impact_data):
    long_form = coordinator_client.get(URL, {"school_year": "2026-2027"}).json()
    dates = coordinator_client.get(URL, {"date_from": "2026-08-01", "date_to": "2027-07-31"}).json()
    assert (
        long_form["totals"] == dates["totals"] == coordinator_client.get(URL, YEAR).json()["totals"]
    )


def test_per_workshop_and_filter(coordinator_client, impact_data):
    data = coordinator_client.get(URL, {**YEAR, "group_by": "workshop"}).json()
    rows = {row["label"]: row for row in data["rows"]}
    assert subset(rows["3D-printen"], EXPECTED_PRINT) == EXPECTED_PRINT
    assert rows["3D-printen"]["key"] == str(impact_data["printing"].id)
    narrowed = coordinator_client.get(URL, {**YEAR, "workshop": impact_data["printing"].id})
    assert subset(narrowed.json()["totals"], EXPECTED_PRINT) == EXPECTED_PRINT


def test_csv_holds_the_same_figures(coordinator_client, impact_data):
    response = coordinator_client.get(URL, {**YEAR, "format": "csv"})
    assert response.status_code == 200
    assert 'filename="impact-STO' in response["Content-Disposition"]
    rows = csv_rows(response)
    total = rows["totaal"]
    assert total["visits"] == "4"
    assert total["schools"] == "2"
    assert total["pupils"] == "116"
    assert total["girls_share"] == "0.4268"
    assert total["gender_coverage"] == "0.7241"
    assert total["response_rate"] == "0.6667"
    assert total["partner_hours"] == "5.50"
    assert total["teachers"] == "6"


def test_csv_leaves_empty_shares_empty(coordinator_client, impact_data):
    rows = csv_rows(coordinator_client.get(URL, {"school_year": "2030", "format": "csv"}))
    assert rows["totaal"]["visits"] == "0"
    assert rows["totaal"]["girls_share"] == ""


def test_reach_and_impact_agree_over_the_api(coordinator_client, impact_data):
    for extra in ({}, {"programme": impact_data["a"].id}):
        reach = coordinator_client.get("/api/v1/reports/reach/", {**YEAR, **extra}).json()
        impact = coordinator_client.get(URL, {**YEAR, **extra}).json()
        for column in ("visits", "schools", "sessions", "pupils"):
            assert impact["totals"][column] == reach["totals"][column], column
    reach = coordinator_client.get("/api/v1/reports/reach/", {**YEAR, "group_by": "school_type"})
    impact = coordinator_client.get(URL, {**YEAR, "group_by": "school_type"})
    figures = ("visits", "schools", "pupils")
    assert {r["key"]: subset(r, dict.fromkeys(figures)) for r in impact.json()["rows"]} == {
        r["key"]: subset(r, dict.fromkeys(figures)) for r in reach.json()["rows"]
    }


def test_coordinator_of_another_programme_never_sees_the_figures(impact_data):
    client = client_of(impact_data["coord_b"])
    data = client.get(URL, YEAR).json()
    assert subset(data["totals"], EXPECTED_B) == EXPECTED_B
    assert [row["label"] for row in data["rows"]] == ["Deventer-Twello"]
    for response in (
        client.get(URL, {**YEAR, "format": "csv"}),
        client.get(URL, {**YEAR, "group_by": "workshop"}),
        client.get(PDF, YEAR),
    ):
        assert response.status_code == 200
    # Another programme's ids are a 400 on that field, like unknown ones: never its data.
    for name, value in (("programme", impact_data["a"].id), ("workshop", impact_data["robot"].id)):
        response = client.get(URL, {**YEAR, name: value})
        assert response.status_code == 400
        assert name in response.json()
        assert "116" not in response.content.decode()
        assert client.get(PDF, {**YEAR, name: value}).status_code == 400


def test_funder_sees_every_programme_and_nothing_personal(impact_data):
    client = client_of(impact_data["funder"])
    response = client.get(URL, YEAR)
    assert response.status_code == 200
    data = response.json()
    assert data["totals"]["visits"] == 5
    assert data["totals"]["pupils"] == 141
    rows = {row["label"]: row for row in data["rows"]}
    assert subset(rows[impact_data["a"].name], EXPECTED_A) == EXPECTED_A
    assert subset(rows["Deventer-Twello"], EXPECTED_B) == EXPECTED_B
    bodies = [
        response.content.decode(),
        client.get(URL, {**YEAR, "group_by": "workshop"}).content.decode(),
        client.get(URL, {**YEAR, "format": "csv"}).content.decode(),
        pdf_text(client.get(PDF, YEAR).content),
    ]
    for body in bodies:
        for personal in PERSONAL + ["Geheime opmerking"]:
            assert personal not in body


@pytest.mark.parametrize("who", ["crew_client", "school_client", "other_school_client"])
def test_crew_and_school_are_refused(request, impact_data, who):
    client = request.getfixturevalue(who)
    for path in (URL, f"{URL}?format=csv", PDF):
        assert client.get(path).status_code == 403


def test_anonymous_is_refused(anon_client):
    assert anon_client.get(URL).status_code == 401
    assert anon_client.get(PDF).status_code == 401


def test_writes_are_refused(coordinator_client, impact_data):
    assert coordinator_client.post(URL, {}).status_code == 405
    assert coordinator_client.post(PDF, {}).status_code == 405
    assert client_of(impact_data["funder"]).post(URL, {}).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"school_year": "twintig"},
        {"school_year": "2026-2028"},
        {"school_year": "1999"},
        {"date_from": "2027-01-01"},
        {"date_from": "2027-02-01", "date_to": "2027-01-01"},
        {"date_from": "gisteren", "date_to": "2027-01-01"},
        {"school_year": "2026", "date_from": "2026-01-01", "date_to": "2026-02-01"},
        {"group_by": "depot"},
        {"school_type": "universiteit"},
        {"workshop": "robot"},
        {"workshop": "999999"},
        {"workshop": "9" * 30},
        {"programme": "-1"},
    ],
)
def test_bad_filters_are_400(coordinator_client, impact_data, params):
    response = coordinator_client.get(URL, params)
    assert response.status_code == 400, response.content
    assert coordinator_client.get(PDF, params).status_code == 400
    assert coordinator_client.get(URL, {**params, "format": "csv"}).status_code == 400


def test_pdf_holds_the_figures(coordinator_client, impact_data):
    response = coordinator_client.get(PDF, {**YEAR, "group_by": "workshop"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="impact-STO' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Impactrapportage schooljaar 2026-2027" in text
    assert impact_data["a"].project_code in text
    for expected in (
        "Bezoeken",
        "116",  # pupils
        "42,7%",  # girls share
        "72,4%",  # coverage
        "66,7%",  # response rate
        "2 van 3 afgeronde bezoeken",
        "5,50",  # partner hours
        "3D-printen",
        "Robot bouwen",
        "50\n50,0%\n36,0%",  # Print: pupils, girls share, coverage (one cell a line)
    ):
        assert expected in text, expected


def _visits(count: int):
    wagon = WagonFactory()
    workshop = WorkshopFactory(name=f"Schaal {count}")
    for index in range(count):
        booking = BookingFactory(
            school=SchoolFactory(),
            wagon=wagon,
            date=dt.date(2027, 2, 1) + dt.timedelta(days=index % 100),
            status="completed",
        )
        session(booking, workshop, "po", 20, 10, 10, 1)


@pytest.mark.parametrize("group_by", ["programme", "workshop", "school_type"])
def test_query_count_is_the_same_for_5_and_50_visits(
    coordinator_client, django_assert_max_num_queries, group_by
):
    # At most: session and user, the user's scope, then 4 (per programme) or 6 for the report —
    # the same for 5 and 50 visits.
    params = {**YEAR, "group_by": group_by}
    _visits(5)
    # The first request also loads the user's programmes once (cached on the user).
    coordinator_client.get(URL, params)
    with CaptureQueriesContext(connection) as five:
        assert coordinator_client.get(URL, params).status_code == 200
    _visits(45)
    with CaptureQueriesContext(connection) as fifty:
        response = coordinator_client.get(URL, params)
    assert response.json()["totals"]["visits"] == 50
    assert len(fifty) == len(five) <= 8
    with django_assert_max_num_queries(8):
        coordinator_client.get(PDF, params)
