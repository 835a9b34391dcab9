"""The impact report's reach figures (visits, schools, completed visits, sessions, pupils, girls,
boys, gender-known pupils, teachers) equal a slow Python count over the randomised data set
(tests/reports/conftest.py `random_reach`): per programme, workshop and school type, with and
without the workshop / school type filters, for every programme and for one coordinator's."""

import itertools
from collections import defaultdict

import pytest

from bookings.models import Booking
from bookings.reports.impact import GROUP_BY, impact_report
from bookings.reports.selectors import school_year
from tests.factories import make_user

SY = school_year(2026)
FIGURES = (
    "visits",
    "schools",
    "completed_visits",
    "sessions",
    "pupils",
    "girls",
    "boys",
    "gender_known_pupils",
    "teachers",
)


def _reference(*, group_by, programme_ids, workshop_id=None, school_type=None) -> tuple:
    def empty():
        return {"visits": set(), "schools": set(), "completed_visits": set()} | dict.fromkeys(
            FIGURES[3:], 0
        )

    rows, totals = defaultdict(empty), empty()
    bookings = Booking.objects.select_related("school").prefetch_related("sessions")
    for booking in bookings:
        if (
            not SY.date_from <= booking.date <= SY.date_to
            or booking.status not in Booking.TOOK_PLACE
            or booking.school.programme_id not in programme_ids
        ):
            continue
        sessions = [
            s
            for s in booking.sessions.all()
            if (workshop_id is None or s.workshop_id == workshop_id)
            and (school_type is None or s.school_type == school_type)
        ]
        if (workshop_id or school_type) and not sessions:
            continue
        if group_by == "programme":
            groups = {booking.school.programme_id: sessions}
        else:
            groups = defaultdict(list)
            for session in sessions:
                key = session.workshop_id if group_by == "workshop" else session.school_type
                groups[key].append(session)
        for figures, of in [(totals, sessions)] + [(rows[k], v) for k, v in groups.items()]:
            figures["visits"].add(booking.id)
            figures["schools"].add(booking.school_id)
            if booking.status == "completed":
                figures["completed_visits"].add(booking.id)
            for session in of:
                known = session.girls is not None and session.boys is not None
                figures["sessions"] += 1
                figures["pupils"] += session.pupils
                figures["girls"] += session.girls if known else 0
                figures["boys"] += session.boys if known else 0
                figures["gender_known_pupils"] += session.pupils if known else 0
                figures["teachers"] += session.teachers or 0

    def counted(figures):
        return {k: len(v) if isinstance(v, set) else v for k, v in figures.items()}

    return {str(k): counted(v) for k, v in rows.items()}, counted(totals)


@pytest.mark.parametrize("group_by", GROUP_BY)
def test_the_sql_figures_equal_a_python_count(random_reach, group_by):
    programmes = random_reach["programmes"]
    coordinator = make_user("coordinator-b", "coordinator", programmes=[programmes[1]])
    workshop = random_reach["workshops"][1]
    users = [(None, {p.id for p in programmes}), (coordinator, {programmes[1].id})]
    filters = [{}, {"workshop_id": workshop.id}, {"school_type": "so"}]
    for (user, programme_ids), narrowed in itertools.product(users, filters):
        report = impact_report(period=SY, group_by=group_by, user=user, **narrowed)
        expected_rows, expected_totals = _reference(
            group_by=group_by, programme_ids=programme_ids, **narrowed
        )
        rows = {
            row["key"]: {name: row[name] for name in FIGURES}
            for row in report["rows"]
            if row["visits"]  # a covered programme without visits is listed with zeros
        }
        assert {name: report["totals"][name] for name in FIGURES} == expected_totals, (
            user,
            narrowed,
        )
        assert rows == expected_rows, (user, narrowed)
        assert expected_totals["visits"] > 0
