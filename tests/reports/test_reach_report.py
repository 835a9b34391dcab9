"""The reach numbers against the hand-computed fixture in conftest.py."""

import datetime as dt

import pytest

from bookings.reports.selectors import calendar_year, reach_report, school_year, school_year_of
from tests.factories import BookingFactory, BookingSessionFactory, SchoolFactory, WagonFactory

SY = school_year(2026)


def figures(visits, schools, sessions, pupils):
    return {"visits": visits, "schools": schools, "sessions": sessions, "pupils": pupils}


def totals_of(report):
    """The overall figures (the per-sector totals are tested in test_reach_programmes.py)."""
    return {k: report["totals"][k] for k in ("visits", "schools", "sessions", "pupils")}


def by_key(report):
    return {
        row["key"]: {k: row[k] for k in ("visits", "schools", "sessions", "pupils")}
        for row in report["rows"]
    }


def test_school_year_runs_from_august_to_july():
    assert school_year(2026).date_from == dt.date(2026, 8, 1)
    assert school_year(2026).date_to == dt.date(2027, 7, 31)
    assert school_year_of(dt.date(2027, 7, 31)) == school_year(2026)
    assert school_year_of(dt.date(2027, 8, 1)) == school_year(2027)


def test_totals_count_a_school_visited_twice_once_and_skip_cancelled(reach_data):
    report = reach_report(period=SY)
    # a1 + a2 + b1 took place; c1 cancelled, c2 only planned, c3 requested, c4 declined,
    # c5 is in the previous school year.
    assert totals_of(report) == figures(3, 2, 4, 70)


def test_planned_adds_confirmed_but_never_requested_or_cancelled(reach_data):
    report = reach_report(period=SY, planned=True)
    assert totals_of(report) == figures(4, 3, 5, 92)


def test_group_by_school_type_is_per_session(reach_data):
    report = reach_report(period=SY, group_by="school_type")
    assert by_key(report) == {
        "po": figures(1, 1, 2, 44),
        "so": figures(1, 1, 1, 10),
        "vmbo-bb": figures(1, 1, 1, 16),
    }
    labels = {row["key"]: row["label"] for row in report["rows"]}
    assert labels["po"] == "Primair onderwijs"


def test_group_by_workshop(reach_data):
    report = reach_report(period=SY, group_by="workshop")
    assert by_key(report) == {
        "Robotauto coderen": figures(2, 1, 2, 34),
        "3D-ontwerpen & printen": figures(2, 2, 2, 36),
    }


def test_group_by_holiday_region(reach_data):
    report = reach_report(period=SY, group_by="holiday_region")
    assert by_key(report) == {"midden": figures(2, 1, 3, 54), "noord": figures(1, 1, 1, 16)}
    assert {row["label"] for row in report["rows"]} == {"Midden", "Noord"}


def test_group_by_school_keys_on_brin_with_vestiging(reach_data):
    report = reach_report(period=SY, group_by="school")
    assert by_key(report) == {"11AA00": figures(2, 1, 3, 54), "11AA01": figures(1, 1, 1, 16)}
    assert {row["label"] for row in report["rows"]} == {"Basisschool A", "Vestiging B"}


def test_calendar_year_and_date_range(reach_data):
    assert totals_of(reach_report(period=calendar_year(2026))) == figures(1, 1, 1, 12)
    # Calendar 2027 has a1, a2, b1 (c4 declined in January does not count).
    assert totals_of(reach_report(period=calendar_year(2027))) == figures(3, 2, 4, 70)
    one_day = school_year(2026).__class__(dt.date(2027, 2, 10), dt.date(2027, 2, 10))
    assert totals_of(reach_report(period=one_day)) == figures(1, 1, 2, 44)


def test_empty_period_gives_zeros_not_none(db):
    report = reach_report(period=calendar_year(2030))
    assert report["rows"] == []
    assert totals_of(report) == figures(0, 0, 0, 0)


def test_a_visit_without_sessions_counts_as_a_visit_only(db):
    BookingFactory(school=SchoolFactory(), date=dt.date(2027, 2, 1), status="completed")
    assert totals_of(reach_report(period=SY)) == figures(1, 1, 0, 0)
    assert reach_report(period=SY, group_by="workshop")["rows"] == []


def test_unknown_group_by_is_refused(db):
    with pytest.raises(ValueError):
        reach_report(period=SY, group_by="colour")


@pytest.mark.parametrize(
    "group_by",
    ["school_type", "holiday_region", "workshop", "school", "programme", "depot", "wagon"],
)
def test_query_count_does_not_grow_with_bookings(db, django_assert_max_num_queries, group_by):
    wagon = WagonFactory()
    for n in range(30):
        booking = BookingFactory(
            school=SchoolFactory(), wagon=wagon, date=dt.date(2027, 2, 1), status="completed"
        )
        BookingSessionFactory(booking=booking, pupils=n + 1)
        BookingSessionFactory(booking=booking, school_type="so", pupils=2)
    # covered programmes, grouped rows, totals and sector totals (+ labels for depot and wagon)
    with django_assert_max_num_queries(5):
        report = reach_report(period=SY, group_by=group_by)
    assert totals_of(report) == figures(30, 30, 60, sum(range(1, 31)) + 60)
