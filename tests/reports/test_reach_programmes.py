"""The reach report per programme: filters and grouping by programme, depot and wagon, project
codes, totals per sector, and each coordinator seeing only their own programmes (the
`two_programmes` fixture in conftest.py has the hand-computed table)."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bookings.reports.selectors import reach_report, school_year
from tests.factories import BookingFactory, BookingSessionFactory, SchoolFactory, make_user

URL = "/api/v1/reports/reach/"
SY = {"school_year": "2026-2027"}
COLUMNS = ("visits", "schools", "sessions", "pupils")


def figures(visits, schools, sessions, pupils):
    return {"visits": visits, "schools": schools, "sessions": sessions, "pupils": pupils}


def totals_of(body):
    return {c: body["totals"][c] for c in COLUMNS}


def rows_of(body):
    return {row["label"]: {c: row[c] for c in COLUMNS} for row in body["rows"]}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def parse_csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def coord_a(two_programmes):
    return make_user("coord_a", "coordinator", programmes=[two_programmes["a"]])


@pytest.fixture
def coord_b(two_programmes):
    return make_user("coord_b", "coordinator", programmes=[two_programmes["b"]])


@pytest.fixture
def funder(two_programmes):
    return make_user("funder_user", "funder")


A_TOTALS = figures(5, 3, 7, 148)
B_TOTALS = figures(2, 2, 2, 37)
A_SECTORS = {
    "po": figures(2, 1, 2, 42),
    "vo": figures(2, 1, 3, 83),
    "mbo": figures(1, 1, 1, 15),
    "so": figures(1, 1, 1, 8),
}
B_SECTORS = {
    "po": figures(1, 1, 1, 25),
    "vo": figures(0, 0, 0, 0),
    "mbo": figures(0, 0, 0, 0),
    "so": figures(1, 1, 1, 12),
}
ALL_SECTORS = {
    "po": figures(3, 2, 3, 67),
    "vo": figures(2, 1, 3, 83),
    "mbo": figures(1, 1, 1, 15),
    "so": figures(2, 2, 2, 20),
}


# ------------------------------------------------------------------------- the funder


def test_the_funder_sees_every_programme_side_by_side_by_default(funder, two_programmes):
    body = api(funder).get(URL, SY).json()
    assert body["group_by"] == "programme"
    assert [(r["label"], r["project_code"]) for r in body["rows"]] == [
        ("Deventer-Twello", "STO18071"),
        ("Techniekwagen Rotterdam-Noord", "STO18065"),
    ]
    assert rows_of(body) == {"Deventer-Twello": B_TOTALS, "Techniekwagen Rotterdam-Noord": A_TOTALS}
    assert [row["key"] for row in body["rows"]] == [
        str(two_programmes["b"].id),
        str(two_programmes["a"].id),
    ]
    assert totals_of(body) == figures(7, 5, 9, 185)
    assert body["totals"]["sectors"] == ALL_SECTORS
    assert body["project_code"] is None
    assert [p["project_code"] for p in body["programmes"]] == ["STO18071", "STO18065"]


def test_a_programme_without_visits_is_a_row_of_zeros(funder, two_programmes):
    body = api(funder).get(URL, {"year": 2030}).json()
    assert [(r["project_code"], r["visits"], r["pupils"]) for r in body["rows"]] == [
        ("STO18071", 0, 0),
        ("STO18065", 0, 0),
    ]


@pytest.mark.parametrize(
    "group_by",
    ["school_type", "holiday_region", "workshop", "school", "programme", "depot", "wagon"],
)
def test_the_funder_never_sees_anything_personal(funder, two_programmes, group_by):
    client = api(funder)
    params = {**SY, "group_by": group_by, "planned": "true"}
    as_json = client.get(URL, params)
    as_csv = client.get(URL, {**params, "format": "csv"})
    assert as_json.status_code == as_csv.status_code == 200
    texts = (as_json.content.decode(), as_csv.content.decode())
    for personal in two_programmes["personal"]:
        for text in texts:
            assert personal not in text
    # Schools are named by name and BRIN only: not personal, and what funders count.
    if group_by == "school":
        assert "Basisschool Twello" in texts[0] and "30AA00" in texts[1]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_funder_may_not_write_to_the_report(funder, method):
    response = getattr(api(funder), method)(URL, {}, format="json")
    assert response.status_code == 403


def test_the_funder_filters_on_any_programme(funder, two_programmes):
    body = api(funder).get(URL, {**SY, "programme": two_programmes["a"].id}).json()
    assert rows_of(body) == {"Techniekwagen Rotterdam-Noord": A_TOTALS}
    assert body["project_code"] == "STO18065"


# ------------------------------------------------------------------------- coordinators


def test_a_coordinator_sees_only_their_programme(coord_b, two_programmes):
    client = api(coord_b)
    for group_by in ("programme", "school", "depot", "wagon", "workshop", "school_type"):
        body = client.get(URL, {**SY, "group_by": group_by}).json()
        assert totals_of(body) == B_TOTALS, group_by
        assert body["totals"]["sectors"] == B_SECTORS, group_by
        assert [p["project_code"] for p in body["programmes"]] == ["STO18071"]
        text = (
            str(body)
            + client.get(URL, {**SY, "group_by": group_by, "format": "csv"}).content.decode()
        )
        for leak in two_programmes["a_strings"]:
            assert leak not in text, (group_by, leak)
    body = client.get(URL, {**SY, "group_by": "programme"}).json()
    assert [(r["label"], r["project_code"]) for r in body["rows"]] == [
        ("Deventer-Twello", "STO18071")
    ]


def test_a_coordinator_of_both_programmes_sees_both(two_programmes):
    both = make_user(
        "coord_ab", "coordinator", programmes=[two_programmes["a"], two_programmes["b"]]
    )
    body = api(both).get(URL, {**SY, "group_by": "programme"}).json()
    assert [r["project_code"] for r in body["rows"]] == ["STO18071", "STO18065"]
    assert totals_of(body) == figures(7, 5, 9, 185)


@pytest.mark.parametrize("group_by", ["school_type", "workshop", "school", "depot", "programme"])
def test_a_coordinator_of_no_programme_sees_zeros(two_programmes, group_by):
    # The report's SQL is built from the queryset's own: a scope that selects nothing (no
    # programme at all) is an empty report, never an error.
    nobody = make_user("coord_none", "coordinator", programmes=[])
    report = reach_report(period=school_year(2026), group_by=group_by, user=nobody)
    assert report["rows"] == []
    assert {c: report["totals"][c] for c in COLUMNS} == figures(0, 0, 0, 0)
    assert report["totals"]["sectors"] == {s: figures(0, 0, 0, 0) for s in A_SECTORS}


@pytest.mark.parametrize("name", ["programme", "depot", "wagon"])
def test_another_programmes_id_is_a_400_for_a_coordinator(coord_b, two_programmes, name):
    other = {"programme": "a", "depot": "depot_a1", "wagon": "wa1"}[name]
    response = api(coord_b).get(URL, {**SY, name: two_programmes[other].id, "format": "csv"})
    assert response.status_code == 400
    assert name in response.json()
    for leak in two_programmes["a_strings"]:
        assert leak not in response.content.decode()


@pytest.mark.parametrize(
    "value", ["abc", "-1", "1.5", "0x1", "", " ", "99999999999999999999", "999999", "1e3"]
)
@pytest.mark.parametrize("name", ["programme", "depot", "wagon"])
def test_bad_filter_values_are_400_never_500(coord_a, name, value):
    response = api(coord_a).get(URL, {**SY, name: value})
    if value.strip() == "":
        # An empty filter is no filter (as an empty form field).
        assert response.status_code in (200, 400)
        return
    assert response.status_code == 400, response.content
    assert name in response.json()


def test_filters_by_programme_depot_and_wagon(coord_a, two_programmes):
    client = api(coord_a)
    by_programme = client.get(URL, {**SY, "programme": two_programmes["a"].id}).json()
    assert totals_of(by_programme) == A_TOTALS
    by_depot = client.get(URL, {**SY, "depot": two_programmes["depot_a1"].id}).json()
    # v1, v3, v4: Kralingen and Zuid
    assert totals_of(by_depot) == figures(3, 2, 5, 111)
    by_wagon = client.get(URL, {**SY, "wagon": two_programmes["wa2"].id}).json()
    # v2, v5: Kralingen and the ROC
    assert totals_of(by_wagon) == figures(2, 2, 2, 37)
    assert by_wagon["totals"]["sectors"]["po"] == figures(1, 1, 1, 22)
    both = client.get(
        URL, {**SY, "depot": two_programmes["depot_a1"].id, "wagon": two_programmes["wa2"].id}
    ).json()
    assert totals_of(both) == figures(0, 0, 0, 0)


def test_group_by_depot_and_wagon(coord_a, two_programmes):
    client = api(coord_a)
    depots = client.get(URL, {**SY, "group_by": "depot"}).json()
    assert rows_of(depots) == {
        "Depot Rotterdam": figures(3, 2, 5, 111),
        "Depot Schiedam": figures(2, 2, 2, 37),
    }
    assert {r["key"] for r in depots["rows"]} == {
        str(two_programmes["depot_a1"].id),
        str(two_programmes["depot_a2"].id),
    }
    assert {r["project_code"] for r in depots["rows"]} == {"STO18065"}
    wagons = client.get(URL, {**SY, "group_by": "wagon"}).json()
    assert rows_of(wagons) == {
        "Wagen Rotterdam 1": figures(3, 2, 5, 111),
        "Wagen Schiedam": figures(2, 2, 2, 37),
    }


def test_a_visit_without_a_wagon_counts_at_its_schools_depot(coord_a, two_programmes):
    school = SchoolFactory(depot=two_programmes["depot_a2"], brin="21DD00")
    booking = BookingFactory(
        school=school, wagon=None, date=dt.date(2027, 5, 1), status="completed"
    )
    BookingSessionFactory(booking=booking, pupils=9)
    client = api(coord_a)
    depots = rows_of(client.get(URL, {**SY, "group_by": "depot"}).json())
    assert depots["Depot Schiedam"] == figures(3, 3, 3, 46)
    filtered = client.get(URL, {**SY, "depot": two_programmes["depot_a2"].id}).json()
    assert totals_of(filtered) == figures(3, 3, 3, 46)
    # and no wagon row for it
    wagons = rows_of(client.get(URL, {**SY, "group_by": "wagon"}).json())
    assert sum(row["visits"] for row in wagons.values()) == 5


def test_workshops_of_the_same_name_stay_apart_per_programme(funder, two_programmes):
    body = api(funder).get(URL, {**SY, "group_by": "workshop"}).json()
    assert sorted((r["label"], r["project_code"], r["visits"]) for r in body["rows"]) == [
        ("Robotauto coderen", "STO18065", 5),
        ("Robotauto coderen", "STO18071", 2),
    ]


# ------------------------------------------------------------------------- sectors


def test_sector_totals_count_unique_schools_by_the_sessions_school_type(coord_a, two_programmes):
    body = api(coord_a).get(URL, SY).json()
    # Zuid (vmbo-kb and havo groups, visited twice) is one vo school; Kralingen's po and so
    # groups make it a po school and an so school; the ROC is mbo.
    assert body["totals"]["sectors"] == A_SECTORS
    assert totals_of(body) == A_TOTALS


def test_sector_school_counts_are_not_summable_to_the_total(funder, two_programmes):
    body = api(funder).get(URL, SY).json()
    sectors = body["totals"]["sectors"]
    # Kralingen counts in po and in so: the sectors add up to 6 schools, the total is 5.
    assert sum(s["schools"] for s in sectors.values()) == 6
    assert body["totals"]["schools"] == 5
    # Visits with groups of two sectors count in both; pupils and sessions do add up.
    assert sum(s["pupils"] for s in sectors.values()) == body["totals"]["pupils"]
    assert sum(s["sessions"] for s in sectors.values()) == body["totals"]["sessions"]


def test_the_school_type_of_the_school_does_not_decide_the_sector(coord_a, two_programmes):
    """A school listed as vmbo + havo whose group came as mbo counts in mbo, not vo."""
    school = SchoolFactory(
        depot=two_programmes["depot_a1"], brin="21EE00", school_types=["vmbo-bb", "havo"]
    )
    booking = BookingFactory(school=school, date=dt.date(2027, 5, 2), status="completed")
    BookingSessionFactory(booking=booking, school_type="mbo-1", pupils=10)
    sectors = api(coord_a).get(URL, SY).json()["totals"]["sectors"]
    assert sectors["mbo"] == figures(2, 2, 2, 25)
    assert sectors["vo"] == A_SECTORS["vo"]


@pytest.mark.parametrize(
    "school_type,sector",
    [
        ("po", "po"),
        ("so", "so"),
        ("vso", "so"),
        ("pro", "vo"),
        ("vmbo-bb", "vo"),
        ("vmbo-kb", "vo"),
        ("vmbo-gt", "vo"),
        ("havo", "vo"),
        ("vwo", "vo"),
        ("mbo-1", "mbo"),
        ("mbo-2", "mbo"),
        ("mbo-3", "mbo"),
        ("mbo-4", "mbo"),
    ],
)
def test_every_school_type_has_its_sector(db, school_type, sector):
    booking = BookingFactory(date=dt.date(2027, 2, 1), status="completed")
    BookingSessionFactory(booking=booking, school_type=school_type, pupils=7)
    sectors = reach_report(period=school_year(2026))["totals"]["sectors"]
    assert sectors[sector] == figures(1, 1, 1, 7)
    assert all(figs == figures(0, 0, 0, 0) for name, figs in sectors.items() if name != sector)


# ------------------------------------------------------------------------- CSV


def test_csv_has_the_project_code_per_programme_row(funder, two_programmes):
    lines = parse_csv(api(funder).get(URL, {**SY, "format": "csv"}))
    assert [(line["label"], line["project_code"]) for line in lines[:2]] == [
        ("Deventer-Twello", "STO18071"),
        ("Techniekwagen Rotterdam-Noord", "STO18065"),
    ]
    # The totals cover both programmes: no one project code.
    assert lines[2]["key"] == "totaal" and lines[2]["project_code"] == ""
    assert {line["key"]: int(line["schools"]) for line in lines[3:]} == {
        "sector:po": 2,
        "sector:vo": 1,
        "sector:mbo": 1,
        "sector:so": 2,
    }


def test_csv_rows_of_one_programme_carry_its_code(funder, coord_a, two_programmes):
    by_school = parse_csv(api(funder).get(URL, {**SY, "group_by": "school", "format": "csv"}))
    codes = {line["key"]: line["project_code"] for line in by_school if line["key"][:1].isdigit()}
    assert codes == {
        "20AA00": "STO18065",
        "20BB00": "STO18065",
        "20CC00": "STO18065",
        "30AA00": "STO18071",
        "30BB00": "STO18071",
    }
    # School types mix programmes for the funder, not for a coordinator of one programme.
    mixed = parse_csv(api(funder).get(URL, {**SY, "group_by": "school_type", "format": "csv"}))
    assert {line["project_code"] for line in mixed} == {""}
    response = api(coord_a).get(URL, {**SY, "group_by": "school_type", "format": "csv"})
    assert {line["project_code"] for line in parse_csv(response)} == {"STO18065"}
    assert (
        'filename="bereik-STO18065-2026-08-01-2027-07-31-school_type.csv"'
        in (response["Content-Disposition"])
    )


# ------------------------------------------------------------------------- query counts


def _add_visits(two_programmes, n):
    for _ in range(n):
        booking = BookingFactory(
            school=SchoolFactory(depot=two_programmes["depot_b"]),
            wagon=two_programmes["wb"],
            date=dt.date(2027, 2, 1),
            status="completed",
        )
        BookingSessionFactory(booking=booking, school_type="vwo", pupils=3)


@pytest.mark.parametrize("group_by", ["programme", "depot", "wagon", "school", "school_type"])
def test_query_count_is_constant_in_the_number_of_visits(funder, two_programmes, group_by):
    client = api(funder)
    params = {**SY, "group_by": group_by, "programme": two_programmes["b"].id}
    client.get(URL, params)  # the role is cached on the user after the first request
    _add_visits(two_programmes, 5)
    few = _queries(client, params)
    _add_visits(two_programmes, 45)
    many = _queries(client, params)
    assert many == few <= 7
    assert client.get(URL, params).json()["totals"]["visits"] == 2 + 50


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)
