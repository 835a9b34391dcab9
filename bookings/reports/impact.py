"""Impact report for funders (issue 18): who was reached, what teachers thought, which partners
took part — per school year and per programme, workshop or school type.

The visits counted are exactly the reach report's (`selectors.reach_bookings`: `on_site`,
`returned`, `completed` in the period, within the user's programmes), so visits, unique schools
(BRIN + vestiging) and pupils equal the reach report's for the same filters: the totals and a
programme row equal the reach report's totals for that programme, a workshop or school-type row
its row grouped the same way (a visit counts in every workshop or school type it had a group of).

Figures per row:
- sessions, pupils; `girls_share` = girls / (girls + boys) over the sessions where both are known,
  `gender_coverage` = the pupils of those sessions / all pupils (how much the share stands for);
- teachers: the sum of the teachers present (sessions that did not record it add nothing);
- partner participations and hours (partners.Participation, by the relation `participations`);
- feedback (feedback.FeedbackResponse, by the relation `feedback`) on completed visits — the
  link goes out when a visit is completed: the four average ratings, the share that would book
  again, and `response_rate` = responses / completed visits.

`bookings` sits below `partners` and `feedback` in the app graph, so their models are never
imported here: they are reached through Booking's reverse relations at call time.

Everything is aggregated in SQL: two queries for the rows, two for the totals and one for the
covered programmes, whatever the number of visits. Per-visit figures (participations, feedback)
in a per-session grouping are taken from one session per visit and group (the one with the
lowest id), so a visit with two groups of the same workshop counts once.
"""

from decimal import Decimal

from django.db.models import Avg as _Avg
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from bookings.models import Booking, BookingSession, SchoolType
from bookings.reports.selectors import Period, covered_programmes, reach_bookings, school_year

GROUP_BY = ("programme", "workshop", "school_type")
# The session field a grouping keys on (programme: the visit's school's programme).
_SESSION_KEY = {
    "programme": "booking__school__programme_id",
    "workshop": "workshop_id",
    "school_type": "school_type",
}
SESSION_COLUMNS = (
    "sessions",
    "pupils",
    "girls",
    "boys",
    "gender_known_pupils",
    "teachers",
)
VISIT_COLUMNS = (
    "visits",
    "schools",
    "partner_participations",
    "partner_hours",
    "completed_visits",
    "responses",
    "book_again",
)
RATINGS = ("workshop_rating", "crew_rating", "organisation_rating", "enthusiasm")
SHARES = ("girls_share", "gender_coverage", "response_rate", "book_again_share")
# Every figure of a row, in the CSV's order.
COLUMNS = (
    "visits",
    "schools",
    "sessions",
    "pupils",
    "girls",
    "boys",
    "gender_known_pupils",
    "girls_share",
    "gender_coverage",
    "teachers",
    "partner_participations",
    "partner_hours",
    "completed_visits",
    "responses",
    "response_rate",
    *RATINGS,
    "book_again_share",
)
_SCHOOL_TYPE_ORDER = {value: index for index, value in enumerate(SchoolType.values)}
_SCHOOL_TYPE_LABELS = dict(SchoolType.choices)


def _share(part, whole) -> float | None:
    return round(part / whole, 4) if whole else None


def _session_aggregates() -> dict:
    known = Q(girls__isnull=False, boys__isnull=False)
    return {
        "n_sessions": Count("id"),
        "n_pupils": Sum("pupils"),
        "n_girls": Sum("girls", filter=known),
        "n_boys": Sum("boys", filter=known),
        "n_gender_known_pupils": Sum("pupils", filter=known),
        "n_teachers": Sum("teachers"),
    }


def _visit_aggregates(prefix: str, once: Q | None) -> dict:
    """Per-visit figures over a queryset of bookings (`prefix` "") or of sessions (`prefix`
    "booking__", `once` picking one session per visit and group)."""
    booking_id = "id" if not prefix else "booking_id"
    # Reverse relations of Booking, resolved at call time: no import of partners / feedback.
    participation = Booking._meta.get_field("participations").related_model
    per_visit = (
        participation.objects.filter(booking_id=OuterRef(booking_id))
        .order_by()
        .values("booking_id")
    )
    count = Coalesce(
        Subquery(per_visit.annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0
    )
    hours = Subquery(per_visit.annotate(h=Sum("hours")).values("h"))
    completed = Q(**{f"{prefix}status": Booking.Status.COMPLETED})
    answered = completed & Q(**{f"{prefix}feedback__isnull": False})
    if once is not None:
        completed &= once
        answered &= once
    aggregates = {
        "n_visits": Count(booking_id, distinct=True),
        "n_schools": Count(f"{prefix}school_id", distinct=True),
        "n_partner_participations": Sum(count, filter=once),
        "n_partner_hours": Sum(hours, filter=once),
        "n_completed_visits": Count(booking_id, filter=completed),
        "n_responses": Count(booking_id, filter=answered),
        "n_book_again": Count(
            booking_id, filter=answered & Q(**{f"{prefix}feedback__book_again": True})
        ),
    }
    for rating in RATINGS:
        aggregates[f"n_{rating}"] = _Avg(f"{prefix}feedback__{rating}", filter=answered)
    return aggregates


def _once_per_visit(session_filter: dict, key: str | None) -> Exists:
    """True on the lowest-id session of its visit (and of its group, for a per-session key)."""
    earlier = BookingSession.objects.filter(
        booking_id=OuterRef("booking_id"), id__lt=OuterRef("id"), **session_filter
    )
    if key in ("workshop_id", "school_type"):
        earlier = earlier.filter(**{key: OuterRef(key)})
    return ~Exists(earlier)


def _figures(row: dict) -> dict:
    """A row's columns from the aggregated `n_*` values, with the shares derived."""
    get = lambda name: row.get(f"n_{name}") or 0  # noqa: E731
    figures = {name: get(name) for name in SESSION_COLUMNS + VISIT_COLUMNS}
    hours = row.get("n_partner_hours") or Decimal(0)
    figures["partner_hours"] = Decimal(hours).quantize(Decimal("0.01"))
    figures["girls_share"] = _share(figures["girls"], figures["girls"] + figures["boys"])
    figures["gender_coverage"] = _share(figures["gender_known_pupils"], figures["pupils"])
    figures["response_rate"] = _share(figures["responses"], figures["completed_visits"])
    figures["book_again_share"] = _share(figures["book_again"], figures["responses"])
    for rating in RATINGS:
        value = row.get(f"n_{rating}")
        figures[rating] = round(float(value), 2) if value is not None else None
    return {name: figures[name] for name in COLUMNS}


def impact_report(
    *,
    period: Period,
    group_by: str = "programme",
    user=None,
    programme_id: int | None = None,
    workshop_id: int | None = None,
    school_type: str | None = None,
) -> dict:
    """`{"school_year", "date_from", "date_to", "group_by", "programmes", "project_code", "rows",
    "totals"}` in five queries whatever the number of visits.

    `user` None means every programme (for code that has already decided, never a request).
    `workshop_id` / `school_type` narrow to the sessions of that workshop / school type: the
    visits that had one, their pupils only (as the reach report's row for it)."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
    bookings = reach_bookings(period=period, user=user, programme_id=programme_id)
    session_filter = {}
    if workshop_id is not None:
        session_filter["workshop_id"] = workshop_id
    if school_type is not None:
        session_filter["school_type"] = school_type
    sessions = BookingSession.objects.filter(booking__in=bookings.values("id"), **session_filter)
    if session_filter:
        # Only the visits that had a matching session count (as they would in a reach row).
        bookings = bookings.filter(
            Exists(BookingSession.objects.filter(booking_id=OuterRef("id"), **session_filter))
        )
    programmes = covered_programmes(user, programme_id)
    report_code = programmes[0]["project_code"] if len(programmes) == 1 else None

    key = _SESSION_KEY[group_by]
    fields = [key] + (
        ["workshop__name", "workshop__programme_id"] if group_by == "workshop" else []
    )
    per_session = {
        row[key]: row
        for row in sessions.values(*fields).annotate(**_session_aggregates()).order_by()
    }
    if group_by == "programme" and not session_filter:
        # Straight from the visits: a visit without sessions still counts, as in the reach report.
        visit_key = "school__programme_id"
        grouped = bookings.values(visit_key).annotate(**_visit_aggregates("", None))
    else:
        visit_key = key
        grouped = sessions.values(key).annotate(
            **_visit_aggregates("booking__", Q(_once_per_visit(session_filter, key)))
        )
    per_visit = {row[visit_key]: row for row in grouped.order_by()}

    totals_sessions = sessions.aggregate(**_session_aggregates())
    if session_filter:
        totals_visits = sessions.aggregate(
            **_visit_aggregates("booking__", Q(_once_per_visit(session_filter, None)))
        )
    else:
        totals_visits = bookings.aggregate(**_visit_aggregates("", None))

    rows = _rows(group_by, programmes, per_session, per_visit, report_code)
    start = period.date_from.year
    return {
        "school_year": start if school_year(start) == period else None,
        "date_from": period.date_from,
        "date_to": period.date_to,
        "group_by": group_by,
        "filters": {
            "programme": programme_id,
            "workshop": workshop_id,
            "school_type": school_type,
        },
        "programmes": programmes,
        "project_code": report_code,
        "rows": rows,
        "totals": _figures({**totals_sessions, **totals_visits}),
    }


def _rows(group_by, programmes, per_session, per_visit, report_code) -> list[dict]:
    codes = {p["id"]: p["project_code"] for p in programmes}
    if group_by == "programme":
        # Every covered programme, zeros where it had no visits (programmes side by side).
        return [
            {
                "key": str(p["id"]),
                "label": p["name"],
                "project_code": p["project_code"],
                **_figures({**per_session.get(p["id"], {}), **per_visit.get(p["id"], {})}),
            }
            for p in programmes
        ]
    rows = []
    for key, session_row in per_session.items():
        if group_by == "workshop":
            label = session_row["workshop__name"]
            code = codes.get(session_row["workshop__programme_id"])
        else:
            label = _SCHOOL_TYPE_LABELS.get(key, key)
            code = report_code
        rows.append(
            {
                "key": str(key),
                "label": label,
                "project_code": code,
                **_figures({**session_row, **per_visit.get(key, {})}),
            }
        )
    if group_by == "school_type":
        return sorted(rows, key=lambda r: _SCHOOL_TYPE_ORDER.get(r["key"], 99))
    return sorted(rows, key=lambda r: (r["label"], r["key"]))
