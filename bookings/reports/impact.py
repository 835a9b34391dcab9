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

Everything is aggregated in SQL, in a fixed number of queries whatever the number of visits:
the covered programmes, then per programme three (reach figures — visits, schools, sessions,
pupils, girls/boys, teachers —, partners, feedback; every visit, school, partner and response
belongs to one programme, so the totals are the rows' sums); per workshop or school type two for
the rows (reach figures; partners and feedback from one session per visit and group — the lowest
id — so a visit with two groups of the same workshop counts once there) and three for the
totals.
"""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

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


def _reach_aggregates(*, sessions: str, booking: str) -> dict:
    """Visits, schools, completed visits and the session figures, over bookings joined to their
    sessions (`sessions` "sessions__", `booking` "") or over sessions (`sessions` "",
    `booking` "booking__"). A session row appears once in either join, so only visits and
    schools need DISTINCT — as in the reach report's own query."""
    booking_id = f"{booking}id"
    known = Q(**{f"{sessions}girls__isnull": False, f"{sessions}boys__isnull": False})
    return {
        "n_visits": Count(booking_id, distinct=True),
        "n_schools": Count(f"{booking}school_id", distinct=True),
        "n_completed_visits": Count(
            booking_id, distinct=True, filter=Q(**{f"{booking}status": Booking.Status.COMPLETED})
        ),
        # By pupils (never null): the sessions' covering index holds every figure but the id.
        "n_sessions": Count(f"{sessions}pupils"),
        "n_pupils": Sum(f"{sessions}pupils"),
        "n_girls": Sum(f"{sessions}girls", filter=known),
        "n_boys": Sum(f"{sessions}boys", filter=known),
        "n_gender_known_pupils": Sum(f"{sessions}pupils", filter=known),
        "n_teachers": Sum(f"{sessions}teachers"),
    }


def _partner_aggregates() -> dict:
    return {"n_partner_participations": Count("id"), "n_partner_hours": Sum("hours")}


def _feedback_aggregates() -> dict:
    aggregates = {
        "n_responses": Count("id"),
        "n_book_again": Count("id", filter=Q(book_again=True)),
    }
    # Sums, not averages: the average is taken in `_figures`, and sums of rows add up to totals.
    for rating in RATINGS:
        aggregates[f"n_{rating}_sum"] = Sum(rating)
    return aggregates


def _per_visit_tables():
    """partners.Participation and feedback.FeedbackResponse through Booking's reverse relations,
    resolved at call time: `bookings` never imports the apps that depend on it."""
    participation = Booking._meta.get_field("participations").related_model
    feedback = Booking._meta.get_field("feedback").related_model
    return participation.objects.all(), feedback.objects.filter(
        booking__status=Booking.Status.COMPLETED
    )


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
        total = row.get(f"n_{rating}_sum")
        responses = figures["responses"]
        figures[rating] = round(float(total) / responses, 2) if responses and total else None
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
    "totals"}` in four queries per programme, six per workshop or school type, whatever the
    number of visits.

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
        # IN over the matching sessions, not a correlated EXISTS: SQLite runs it once, where an
        # EXISTS nested in the subqueries below ran once per row (a minute at 20,000 visits).
        bookings = bookings.filter(id__in=sessions.values("booking_id"))
    participations, responses = _per_visit_tables()
    participations = participations.filter(booking__in=bookings.values("id"))
    responses = responses.filter(booking__in=bookings.values("id"))
    programmes = covered_programmes(user, programme_id)
    report_code = programmes[0]["project_code"] if len(programmes) == 1 else None

    if group_by == "programme":
        # A visit's own group. Straight from the visits without a session filter: a visit without
        # sessions still counts, as in the reach report.
        key = group = "booking__school__programme_id"
        if session_filter:
            grouped = sessions.values(key).annotate(
                **_reach_aggregates(sessions="", booking="booking__")
            )
        else:
            key = "school__programme_id"
            grouped = bookings.values(key).annotate(
                **_reach_aggregates(sessions="sessions__", booking="")
            )
        extras = [
            participations.values(group).annotate(**_partner_aggregates()).order_by(),
            responses.values(group).annotate(**_feedback_aggregates()).order_by(),
        ]
    else:
        key = _SESSION_KEY[group_by]
        labels = ["workshop__name", "workshop__programme_id"] if group_by == "workshop" else []
        grouped = sessions.values(key, *labels).annotate(
            **_reach_aggregates(sessions="", booking="booking__")
        )
        # A visit counts once in each group it had a session of: join its partners and feedback
        # to one session per visit and group (the lowest id), not to every session.
        # The first: no lower id of the same visit and group among the matching sessions. An
        # anti-join on the sessions' index, where IN over a GROUP BY MIN(id) was misestimated
        # (200 rows for 300,000) into a nested loop of seconds at national scale.
        earlier = BookingSession.objects.filter(
            booking_id=OuterRef("booking_id"),
            id__lt=OuterRef("id"),
            # Same group (which, filtered on the group's own field, is the filter's value too).
            **{**session_filter, key: OuterRef(key)},
        )
        first = sessions.filter(~Exists(earlier)).values(key)
        group = key
        answered = Q(booking__status=Booking.Status.COMPLETED, booking__feedback__isnull=False)
        participation = participations.model.objects.filter(
            booking_id=OuterRef("booking_id")
        ).order_by()
        per_visit = participation.values("booking_id")
        # One pass over the first sessions: the feedback joins one-to-one; the partners come
        # from a subquery per visit (a join would repeat the visit's feedback per partner).
        per_visit_rows = first.annotate(
            n_partner_participations=Sum(Subquery(per_visit.annotate(n=Count("id")).values("n"))),
            n_partner_hours=Sum(Subquery(per_visit.annotate(h=Sum("hours")).values("h"))),
            n_responses=Count("booking__feedback__id", filter=answered),
            n_book_again=Count(
                "booking__feedback__id", filter=answered & Q(booking__feedback__book_again=True)
            ),
            **{
                f"n_{rating}_sum": Sum(f"booking__feedback__{rating}", filter=answered)
                for rating in RATINGS
            },
        )
        extras = [per_visit_rows]
    per_group = {row[key]: row for row in grouped.order_by()}
    for extra in extras:
        for row in extra.order_by():
            # Every partner's or response's group has sessions, so is a row already.
            per_group[row[group]].update(row)

    if group_by == "programme":
        # Every visit, school, partner and response belongs to exactly one programme (its
        # school's): the totals are the rows' sums, no second pass over the visits.
        totals = {}
        for row in per_group.values():
            for name, value in row.items():
                if name.startswith("n_") and value is not None:
                    totals[name] = totals.get(name, 0) + value
    else:
        if session_filter:
            totals = sessions.aggregate(**_reach_aggregates(sessions="", booking="booking__"))
        else:
            totals = bookings.aggregate(**_reach_aggregates(sessions="sessions__", booking=""))
        totals.update(participations.aggregate(**_partner_aggregates()))
        totals.update(responses.aggregate(**_feedback_aggregates()))

    rows = _rows(group_by, programmes, per_group, report_code)
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
        "totals": _figures(totals),
    }


def _rows(group_by, programmes, per_group, report_code) -> list[dict]:
    codes = {p["id"]: p["project_code"] for p in programmes}
    if group_by == "programme":
        # Every covered programme, zeros where it had no visits (programmes side by side).
        return [
            {
                "key": str(p["id"]),
                "label": p["name"],
                "project_code": p["project_code"],
                **_figures(per_group.get(p["id"], {})),
            }
            for p in programmes
        ]
    rows = []
    for key, row in per_group.items():
        if group_by == "workshop":
            label = row["workshop__name"]
            code = codes.get(row["workshop__programme_id"])
        else:
            label = _SCHOOL_TYPE_LABELS.get(key, key)
            code = report_code
        rows.append({"key": str(key), "label": label, "project_code": code, **_figures(row)})
    if group_by == "school_type":
        return sorted(rows, key=lambda r: _SCHOOL_TYPE_ORDER.get(r["key"], 99))
    return sorted(rows, key=lambda r: (r["label"], r["key"]))
