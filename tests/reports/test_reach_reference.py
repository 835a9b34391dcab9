"""The reach report's SQL aggregates equal a slow, obvious Python count over a randomised data
set: every grouping, taken place and planned, every programme and one coordinator's, and the
programme / depot / wagon filters. Visits without sessions, visits without a wagon, two groups
of one school type or one workshop in a visit, several sectors in one visit and workshops of
the same name in two programmes all occur."""

import itertools
from collections import defaultdict

import pytest

from bookings.models import Booking
from bookings.reports.selectors import (
    GROUP_BY,
    SECTOR_OF,
    SECTORS,
    counted_statuses,
    reach_report,
    school_year,
)
from tests.factories import (
    make_user,
)

SY = school_year(2026)


def _reference(*, group_by, planned, programme_ids, programme=None, depot=None, wagon=None):
    """(rows by key, totals) counted one visit at a time in Python."""
    rows = defaultdict(lambda: {"visits": set(), "schools": set(), "sessions": 0, "pupils": 0})
    totals = {"visits": set(), "schools": set(), "sessions": 0, "pupils": 0}
    sectors = {s: {"visits": set(), "schools": set(), "sessions": 0, "pupils": 0} for s in SECTORS}
    bookings = Booking.objects.select_related("school", "wagon", "school__programme")
    for booking in bookings.prefetch_related("sessions__workshop__programme"):
        school = booking.school
        depot_id = booking.wagon.depot_id if booking.wagon else school.depot_id
        if (
            not SY.date_from <= booking.date <= SY.date_to
            or booking.status not in counted_statuses(planned=planned)
            or school.programme_id not in programme_ids
            or (programme is not None and school.programme_id != programme.id)
            or (depot is not None and depot_id != depot.id)
            or (wagon is not None and booking.wagon_id != wagon.id)
        ):
            continue
        sessions = list(booking.sessions.all())
        visit_key = {
            "holiday_region": school.holiday_region,
            "school": school.brin,
            "programme": str(school.programme_id),
            "depot": str(depot_id),
            "wagon": str(booking.wagon_id) if booking.wagon_id else None,
        }
        for figures, of in [(totals, sessions)] + [
            (sectors[s], [x for x in sessions if SECTOR_OF[x.school_type] == s]) for s in SECTORS
        ]:
            if figures is totals or of:
                figures["visits"].add(booking.id)
                figures["schools"].add(school.id)
                figures["sessions"] += len(of)
                figures["pupils"] += sum(x.pupils for x in of)
        if group_by in visit_key:
            per_key = [(visit_key[group_by], sessions)] if visit_key[group_by] else []
        else:
            keys = defaultdict(list)
            for session in sessions:
                if group_by == "school_type":
                    keys[session.school_type].append(session)
                else:
                    workshop = session.workshop
                    keys[(workshop.name, workshop.programme.project_code)].append(session)
            per_key = list(keys.items())
        for key, of in per_key:
            row = rows[key]
            row["visits"].add(booking.id)
            row["schools"].add(school.id)
            row["sessions"] += len(of)
            row["pupils"] += sum(x.pupils for x in of)

    def counted(figures):
        return {
            "visits": len(figures["visits"]),
            "schools": len(figures["schools"]),
            "sessions": figures["sessions"],
            "pupils": figures["pupils"],
        }

    expected_totals = counted(totals)
    expected_totals["sectors"] = {s: counted(f) for s, f in sectors.items()}
    return {key: counted(figures) for key, figures in rows.items()}, expected_totals


def _report_rows(report) -> dict:
    rows = {}
    for row in report["rows"]:
        key = (row["key"], row["project_code"]) if report["group_by"] == "workshop" else row["key"]
        figures = {c: row[c] for c in ("visits", "schools", "sessions", "pupils")}
        if report["group_by"] == "programme" and not any(figures.values()):
            continue  # a covered programme without visits is listed with zeros
        assert key not in rows
        rows[key] = figures
    return rows


@pytest.mark.parametrize("planned", [False, True])
def test_the_sql_aggregates_equal_a_python_count(random_reach, planned):
    programmes = random_reach["programmes"]
    all_ids = {p.id for p in programmes}
    coordinator = make_user("coordinator-b", "coordinator", programmes=[programmes[1]])
    cases = [
        (None, all_ids, {}),
        (coordinator, {programmes[1].id}, {}),
        (None, all_ids, {"programme_id": programmes[0].id}),
        (None, all_ids, {"depot_id": random_reach["depots"][1].id}),
        (None, all_ids, {"wagon_id": random_reach["wagons"][2].id}),
    ]
    for group_by, (user, programme_ids, filters) in itertools.product(GROUP_BY, cases):
        report = reach_report(period=SY, group_by=group_by, planned=planned, user=user, **filters)
        objects = {
            "programme": next((p for p in programmes if p.id == filters.get("programme_id")), None),
            "depot": next(
                (d for d in random_reach["depots"] if d.id == filters.get("depot_id")), None
            ),
            "wagon": next(
                (w for w in random_reach["wagons"] if w.id == filters.get("wagon_id")), None
            ),
        }
        expected_rows, expected_totals = _reference(
            group_by=group_by, planned=planned, programme_ids=programme_ids, **objects
        )
        assert report["totals"] == expected_totals, (group_by, user, filters)
        assert _report_rows(report) == expected_rows, (group_by, user, filters)
        assert expected_totals["visits"] > 0
