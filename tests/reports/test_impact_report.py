"""The impact selector against the hand-computed fixture (tests/reports/impact_data.py)."""

import pytest

from bookings.reports.impact import impact_report
from bookings.reports.selectors import reach_report, school_year
from tests.reports.impact_data import (
    EXPECTED_A,
    EXPECTED_B,
    EXPECTED_PRINT,
    EXPECTED_ROBOT,
    build,
    subset,
)

YEAR = school_year(2026)


@pytest.fixture
def impact_data(db):
    return build()


def _plain(figures: dict) -> dict:
    return {k: str(v) if k == "partner_hours" else v for k, v in figures.items()}


def test_programme_totals_match_the_hand_computed_figures(impact_data):
    report = impact_report(period=YEAR, programme_id=impact_data["a"].id)
    assert subset(_plain(report["totals"]), EXPECTED_A) == EXPECTED_A
    assert report["school_year"] == 2026
    (row,) = report["rows"]
    assert subset(_plain(row), EXPECTED_A) == EXPECTED_A


def test_per_workshop_counts_a_visit_once_per_workshop(impact_data):
    report = impact_report(period=YEAR, group_by="workshop", programme_id=impact_data["a"].id)
    rows = {row["label"]: _plain(row) for row in report["rows"]}
    assert subset(rows["Robot bouwen"], EXPECTED_ROBOT) == EXPECTED_ROBOT
    assert subset(rows["3D-printen"], EXPECTED_PRINT) == EXPECTED_PRINT
    assert list(rows) == ["3D-printen", "Robot bouwen"]


def test_workshop_filter_equals_its_row(impact_data):
    report = impact_report(period=YEAR, workshop_id=impact_data["printing"].id)
    assert subset(_plain(report["totals"]), EXPECTED_PRINT) == EXPECTED_PRINT


def test_every_programme_side_by_side(impact_data):
    report = impact_report(period=YEAR)
    rows = {row["label"]: _plain(row) for row in report["rows"]}
    assert subset(rows["Deventer-Twello"], EXPECTED_B) == EXPECTED_B
    assert report["totals"]["visits"] == 5
    assert report["totals"]["schools"] == 3
    assert report["totals"]["pupils"] == 141
    assert report["totals"]["responses"] == 3
    assert report["project_code"] is None


@pytest.mark.parametrize(
    "group_by,filters",
    [
        ("programme", {}),
        ("school_type", {}),
        ("workshop", {}),
        ("programme", {"programme_id": "a"}),
        ("school_type", {"programme_id": "b"}),
    ],
)
def test_reach_and_impact_agree(impact_data, group_by, filters):
    filters = {k: impact_data[v].id for k, v in filters.items()}
    reach = reach_report(period=YEAR, group_by=group_by, **filters)
    impact = impact_report(period=YEAR, group_by=group_by, **filters)
    columns = ("visits", "schools", "pupils", "sessions")
    assert subset(impact["totals"], dict.fromkeys(columns)) == subset(
        reach["totals"], dict.fromkeys(columns)
    )
    reach_rows = {r["label"]: subset(r, dict.fromkeys(columns)) for r in reach["rows"]}
    impact_rows = {r["label"]: subset(r, dict.fromkeys(columns)) for r in impact["rows"]}
    if group_by == "school_type":
        # The reach report labels school types by code-derived labels too: compare by key.
        reach_rows = {r["key"]: subset(r, dict.fromkeys(columns)) for r in reach["rows"]}
        impact_rows = {r["key"]: subset(r, dict.fromkeys(columns)) for r in impact["rows"]}
    assert impact_rows == reach_rows


def test_school_type_filter_equals_the_reach_row(impact_data):
    reach = reach_report(period=YEAR, group_by="school_type")
    (po,) = [r for r in reach["rows"] if r["key"] == "po"]
    impact = impact_report(period=YEAR, school_type="po")
    for column in ("visits", "schools", "sessions", "pupils"):
        assert impact["totals"][column] == po[column]


def test_empty_period_has_no_shares(impact_data):
    report = impact_report(period=school_year(2030))
    assert report["totals"]["visits"] == 0
    assert report["totals"]["girls_share"] is None
    assert report["totals"]["response_rate"] is None
    assert report["totals"]["workshop_rating"] is None
    assert report["school_year"] == 2030


@pytest.mark.parametrize(
    "group_by,queries", [("programme", 4), ("workshop", 6), ("school_type", 6)]
)
def test_query_count_is_fixed(impact_data, django_assert_num_queries, group_by, queries):
    with django_assert_num_queries(queries):
        impact_report(period=YEAR, group_by=group_by)
    with django_assert_num_queries(queries):
        impact_report(period=YEAR, group_by=group_by, workshop_id=impact_data["robot"].id)
