"""Reach report for STO funders: visits, unique schools, sessions and pupils ("leerlingcontacten").

Counts visits that took place (`on_site`, `returned`, `completed`); `planned=True` adds the
visits still to come (`confirmed`, `packed`). Declined, cancelled and requested bookings never count.
A school is counted once per row however often it was visited (unique BRIN + vestiging).

Grouping by school type or workshop is per session, so one visit with a po and an so group counts
as a visit in both rows; the totals are computed over the whole selection, never summed from rows.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Sum

from bookings.models import Booking, HolidayRegion, SchoolType

PLANNED = ("confirmed", "packed")
GROUP_BY = ("school_type", "holiday_region", "workshop", "school")
# group_by → (field path from Booking to group on, field path to its label)
_GROUP_FIELDS = {
    "school_type": ("sessions__school_type", None),
    "holiday_region": ("school__holiday_region", None),
    "workshop": ("sessions__workshop__name", None),
    "school": ("school__brin", "school__name"),
}
_CHOICE_LABELS = {
    "school_type": dict(SchoolType.choices),
    "holiday_region": dict(HolidayRegion.choices),
}
COLUMNS = ("visits", "schools", "sessions", "pupils")


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date


def school_year(start_year: int) -> Period:
    """The Dutch school year that starts on 1 August `start_year` (1 Aug – 31 Jul)."""
    return Period(dt.date(start_year, 8, 1), dt.date(start_year + 1, 7, 31))


def calendar_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def school_year_of(day: dt.date) -> Period:
    return school_year(day.year if day.month >= 8 else day.year - 1)


def counted_statuses(*, planned: bool) -> tuple[str, ...]:
    return Booking.TOOK_PLACE + PLANNED if planned else Booking.TOOK_PLACE


def reach_bookings(*, period: Period, planned: bool = False, user=None):
    """The counted bookings of the period; with `user`, only those of the user's programmes."""
    scoped = Booking.objects.all() if user is None else Booking.objects.restrict(user)
    return scoped.filter(
        date__gte=period.date_from,
        date__lte=period.date_to,
        status__in=counted_statuses(planned=planned),
    )


def _figures(row: dict) -> dict:
    return {column: row[f"n_{column}"] or 0 for column in COLUMNS}


def _aggregates() -> dict:
    # Prefixed names: "sessions" is already the relation. Sessions are counted by id so a visit
    # without sessions adds a visit but no session.
    return {
        "n_visits": Count("id", distinct=True),
        "n_schools": Count("school__brin", distinct=True),
        "n_sessions": Count("sessions__id", distinct=True),
        "n_pupils": Sum("sessions__pupils"),
    }


def reach_report(
    *, period: Period, group_by: str = "school_type", planned: bool = False, user=None
) -> dict:
    """`{"date_from", "date_to", "group_by", "planned", "rows": [...], "totals": {...}}` in two
    queries whatever the number of bookings."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
    bookings = reach_bookings(period=period, planned=planned, user=user)
    key_field, label_field = _GROUP_FIELDS[group_by]
    value_fields = [key_field] + ([label_field] if label_field else [])
    grouped = (
        bookings.filter(**{f"{key_field}__isnull": False})
        .values(*value_fields)
        .annotate(**_aggregates())
        .order_by(key_field)
    )
    labels = _CHOICE_LABELS.get(group_by, {})
    rows = []
    for row in grouped:
        key = row[key_field]
        label = row[label_field] if label_field else labels.get(key, key)
        rows.append({"key": key, "label": label, **_figures(row)})
    # Sum over sessions joined to bookings cannot double count: each session belongs to one booking.
    totals = _figures(bookings.aggregate(**_aggregates()))
    return {
        "date_from": period.date_from,
        "date_to": period.date_to,
        "group_by": group_by,
        "planned": planned,
        "rows": rows,
        "totals": totals,
    }
