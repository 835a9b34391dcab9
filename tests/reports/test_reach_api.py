"""GET /api/v1/reports/reach/: JSON by default, CSV on ?format=csv with the same numbers."""

import csv
import io

import pytest
import time_machine

URL = "/api/v1/reports/reach/"


COLUMNS = ("visits", "schools", "sessions", "pupils")


def figures_of(totals):
    return {c: totals[c] for c in COLUMNS}


def parse_csv(response):
    text = response.content.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_json_is_the_default(coordinator_client, reach_data):
    response = coordinator_client.get(URL, {"school_year": "2026-2027", "group_by": "school"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["date_from"] == "2026-08-01"
    assert body["date_to"] == "2027-07-31"
    assert figures_of(body["totals"]) == {"visits": 3, "schools": 2, "sessions": 4, "pupils": 70}
    assert [row["key"] for row in body["rows"]] == ["11AA00", "11AA01"]


@pytest.mark.parametrize(
    "group_by",
    ["school_type", "holiday_region", "workshop", "school", "programme", "depot", "wagon"],
)
def test_csv_matches_json(coordinator_client, reach_data, group_by):
    params = {"date_from": "2026-08-01", "date_to": "2027-07-31", "group_by": group_by}
    as_json = coordinator_client.get(URL, params).json()
    response = coordinator_client.get(URL, {**params, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = parse_csv(response)
    rows, totals, sectors = lines[:-5], lines[-5], lines[-4:]
    assert [
        {
            "key": line["key"],
            "label": line["label"],
            "project_code": line["project_code"],
            **{c: int(line[c]) for c in COLUMNS},
        }
        for line in rows
    ] == as_json["rows"]
    assert totals["key"] == "totaal"
    assert {c: int(totals[c]) for c in COLUMNS} == figures_of(as_json["totals"])
    assert [line["key"] for line in sectors] == [
        "sector:po",
        "sector:vo",
        "sector:mbo",
        "sector:so",
    ]
    for line in sectors:
        sector = line["key"].removeprefix("sector:")
        assert {c: int(line[c]) for c in COLUMNS} == as_json["totals"]["sectors"][sector]


def test_planned_flag(coordinator_client, reach_data):
    body = coordinator_client.get(URL, {"school_year": "2026", "planned": "true"}).json()
    assert body["planned"] is True
    assert figures_of(body["totals"]) == {"visits": 4, "schools": 3, "sessions": 5, "pupils": 92}


def test_calendar_year(coordinator_client, reach_data):
    body = coordinator_client.get(URL, {"year": 2026}).json()
    assert (body["date_from"], body["date_to"]) == ("2026-01-01", "2026-12-31")
    assert body["totals"]["pupils"] == 12


@time_machine.travel("2026-11-21 10:00 +01:00", tick=False)
def test_no_period_means_the_current_school_year(coordinator_client, reach_data):
    body = coordinator_client.get(URL).json()
    assert (body["date_from"], body["date_to"]) == ("2026-08-01", "2027-07-31")
    assert body["group_by"] == "school_type"


@pytest.mark.parametrize(
    "params,field",
    [
        ({"date_from": "2027-02-01"}, "date_to"),
        ({"date_to": "2027-02-01"}, "date_from"),
        ({"date_from": "2027-03-01", "date_to": "2027-02-01"}, "date_to"),
        ({"date_from": "gisteren", "date_to": "2027-02-01"}, "date_from"),
        ({"date_from": "2027-02-30", "date_to": "2027-03-01"}, "date_from"),
        ({"date_from": "0001-01-01", "date_to": "9999-12-31"}, "date_to"),
        ({"year": "tweeduizend"}, "year"),
        ({"year": "99999999999999999999"}, "year"),
        ({"school_year": "2026-2028"}, "school_year"),
        ({"school_year": "abc"}, "school_year"),
        ({"group_by": "colour"}, "group_by"),
        ({"planned": "misschien"}, "planned"),
        ({"year": 2026, "school_year": 2026}, "non_field_errors"),
        ({"year": 2026, "date_from": "2026-01-01", "date_to": "2026-02-01"}, "non_field_errors"),
    ],
)
def test_bad_input_is_a_400_on_the_field(coordinator_client, params, field):
    response = coordinator_client.get(URL, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_bad_input_with_csv_is_still_a_json_400(coordinator_client):
    response = coordinator_client.get(URL, {"group_by": "colour", "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "group_by" in response.json()


def test_unknown_format_is_404_not_500(coordinator_client):
    assert coordinator_client.get(URL, {"format": "xml"}).status_code == 404


@pytest.mark.parametrize("role,status", [("crew", 403), ("school", 403), ("anon", 401)])
def test_only_coordinators_read_the_report(client_for, role, status, reach_data):
    response = client_for[role].get(URL, {"format": "csv"})
    assert response.status_code == status
    assert "11AA00" not in response.content.decode()


def test_query_count_is_fixed(coordinator_client, reach_data, django_assert_max_num_queries):
    # session/auth lookups + role and programme scope (one query) + 4 report queries
    with django_assert_max_num_queries(8):
        assert coordinator_client.get(URL, {"group_by": "workshop"}).status_code == 200


def test_csv_defuses_spreadsheet_formulas_in_names(coordinator_client, reach_data):
    reach_data["a"].name = '=HYPERLINK("http://evil.example","klik")'
    reach_data["a"].save()
    params = {"school_year": "2026", "group_by": "school"}
    response = coordinator_client.get(URL, {**params, "format": "csv"})
    labels = [line["label"] for line in parse_csv(response)]
    assert labels[0] == '\'=HYPERLINK("http://evil.example","klik")'
    # the JSON keeps the real name
    assert coordinator_client.get(URL, params).json()["rows"][0]["label"].startswith("=HYPER")
