"""Reach report for STO funders: visits, unique schools, sessions and pupils ("leerlingcontacten").

Counts visits that took place (`on_site`, `returned`, `completed`); `planned=True` adds the
visits still to come (`confirmed`, `packed`). Declined, cancelled and requested bookings never count.
A school is counted once per row however often it was visited (unique BRIN + vestiging).

Grouping by school type or workshop is per session, so one visit with a po and an so group counts
as a visit in both rows; the totals are computed over the whole selection, never summed from rows.
The same holds for the totals per sector (po / vo / mbo / so): a school counts once in a sector
however many of its groups were of that sector, and in every sector it had a group of — so the
sectors' school counts need not add up to the total.

Only the programmes the user may see count (`Booking.objects.restrict(user)`): a coordinator of one
programme never gets another's figures; the funder and superusers see every programme.

A visit's depot is its wagon's depot, else its school's (as `bookings.kit.pool.depot_of`).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, Count, F, Sum, Value, When
from django.db.models.functions import Coalesce

from bookings.models import Booking, HolidayRegion, SchoolType
from inventory.models import Depot, Wagon
from programmes.models import Programme

PLANNED = ("confirmed", "packed")
GROUP_BY = ("school_type", "holiday_region", "workshop", "school", "programme", "depot", "wagon")
# Groupings whose every row belongs to one programme (the row carries its project code); the
# others (school type, holiday region) may mix programmes.
PER_PROGRAMME = ("workshop", "school", "programme", "depot", "wagon")
# group_by → (field path from Booking to group on, field path to its label, path to its programme)
_GROUP_FIELDS = {
    "school_type": ("sessions__school_type", None, None),
    "holiday_region": ("school__holiday_region", None, None),
    "workshop": ("sessions__workshop__name", None, "sessions__workshop__programme_id"),
    "school": ("school__brin", "school__name", "school__programme_id"),
    "programme": ("school__programme_id", None, None),
    "depot": ("depot_key", None, None),
    "wagon": ("wagon_id", None, None),
}
_CHOICE_LABELS = {
    "school_type": dict(SchoolType.choices),
    "holiday_region": dict(HolidayRegion.choices),
}
COLUMNS = ("visits", "schools", "sessions", "pupils")

# The sector of a session's school type: what funders report on (PO, VO, MBO, (V)SO).
SECTORS = {
    "po": (SchoolType.PO,),
    "vo": (
        SchoolType.PRO,
        SchoolType.VMBO_BB,
        SchoolType.VMBO_KB,
        SchoolType.VMBO_GT,
        SchoolType.HAVO,
        SchoolType.VWO,
    ),
    "mbo": (SchoolType.MBO_1, SchoolType.MBO_2, SchoolType.MBO_3, SchoolType.MBO_4),
    "so": (SchoolType.SO, SchoolType.VSO),
}
SECTOR_OF = {school_type: sector for sector, types in SECTORS.items() for school_type in types}

# The depot whose kit a visit used: its wagon's, else its school's.
DEPOT_OF = Coalesce(F("wagon__depot_id"), F("school__depot_id"))


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


def reach_bookings(
    *,
    period: Period,
    planned: bool = False,
    user=None,
    programme_id: int | None = None,
    depot_id: int | None = None,
    wagon_id: int | None = None,
):
    """The counted visits in `period`, within `user`'s programmes (None: every programme — for
    code that has already decided, never for a request) and the optional filters."""
    bookings = Booking.objects.restrict(user) if user is not None else Booking.objects.all()
    bookings = bookings.filter(
        date__gte=period.date_from,
        date__lte=period.date_to,
        status__in=counted_statuses(planned=planned),
    )
    if programme_id is not None:
        bookings = bookings.filter(school__programme_id=programme_id)
    if wagon_id is not None:
        bookings = bookings.filter(wagon_id=wagon_id)
    if depot_id is not None:
        bookings = bookings.alias(depot_of=DEPOT_OF).filter(depot_of=depot_id)
    return bookings


def _figures(row: dict, prefix: str = "n") -> dict:
    # int(): PostgreSQL sums counts into numeric (Decimal).
    return {column: int(row[f"{prefix}_{column}"] or 0) for column in COLUMNS}


def _key_figures(bookings, keys: list[str], order: bool = False) -> list[dict]:
    """Visits, unique schools, sessions and pupils (`n_*`) per value of `keys` — fields or
    annotations of `bookings`, on the visit or on its sessions — over the visits left-joined to
    their sessions, in one query.

    No unique count over the whole join (a sort of every joined row, spilling to disk on
    PostgreSQL at national scale): the figures are summed from one row per (key, school), so a
    school is one row of its key and its visits are counted within that small group. PostgreSQL
    counts them as rows of one row per (visit, key), streamed in visit order (ordered by the
    visit, the planner merges the visits with the sessions' covering index, whose order is the
    visit's and then the school type's, instead of hashing every pair and spilling); SQLite sorts for every GROUP BY, so a COUNT(DISTINCT) within the (key, school) group
    is its cheaper way. Sessions are counted by their pupils (never null): a visit without
    sessions adds a visit but no session, and the sessions are read from their covering index
    alone (`session_reach`). A session row appears once per visit in the join."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(key) for key in keys)
    sessions = {"sessions": Count("sessions__pupils"), "pupils": Sum("sessions__pupils")}
    if connection.vendor == "postgresql":
        per_visit = (
            bookings.values("id", "school_id", *keys)
            .annotate(**{f"visit_{name}": value for name, value in sessions.items()})
            .order_by("id")
        )
        try:
            sql, params = per_visit.query.sql_with_params()
        except EmptyResultSet:  # no programme in scope, or none at all (`.none()`)
            return []
        per_school = (
            f"SELECT {columns}, school_id, COUNT(*) AS school_visits, "
            "SUM(visit_sessions) AS school_sessions, SUM(visit_pupils) AS school_pupils "
            f"FROM ({sql}) per_visit GROUP BY {columns}, school_id"
        )
    else:
        per_school = (
            bookings.values(*keys, "school_id")
            .annotate(
                school_visits=Count("id", distinct=True),
                **{f"school_{name}": value for name, value in sessions.items()},
            )
            .order_by()
        )
        try:
            per_school, params = per_school.query.sql_with_params()
        except EmptyResultSet:
            return []
    sql = (
        f"SELECT {columns}, SUM(school_visits) AS n_visits, COUNT(*) AS n_schools, "
        "SUM(school_sessions) AS n_sessions, SUM(school_pupils) AS n_pupils "
        f"FROM ({per_school}) per_school GROUP BY {columns}"
    )
    if order:
        sql += f" ORDER BY {columns}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# The sector of a session, in SQL (None for a visit without sessions).
SECTOR_OF_SESSION = Case(
    *(
        When(sessions__school_type__in=types, then=Value(sector))
        for sector, types in SECTORS.items()
    ),
    default=None,
    output_field=CharField(),
)


def _totals(bookings) -> dict:
    """The whole selection's figures and those per sector, in two queries: the visits and
    schools from the bookings alone (no session join to undo), the rest per sector (a row for
    the visits without sessions too, so the sessions and pupils add up to the whole)."""
    row = bookings.aggregate(n_visits=Count("id"), n_schools=Count("school_id", distinct=True))
    per_sector = {
        sector_row["sector"]: sector_row
        for sector_row in _key_figures(bookings.annotate(sector=SECTOR_OF_SESSION), ["sector"])
    }
    row["n_sessions"] = sum(int(r["n_sessions"] or 0) for r in per_sector.values())
    row["n_pupils"] = sum(int(r["n_pupils"] or 0) for r in per_sector.values())
    totals = _figures(row)
    zero = dict.fromkeys(COLUMNS, 0)
    totals["sectors"] = {
        sector: _figures(per_sector[sector]) if sector in per_sector else dict(zero)
        for sector in SECTORS
    }
    return totals


def covered_programmes(user=None, programme_id: int | None = None) -> list[dict]:
    """The programmes the report covers: the user's, narrowed by the filter (by name)."""
    programmes = Programme.objects.restrict(user) if user is not None else Programme.objects.all()
    if programme_id is not None:
        programmes = programmes.filter(pk=programme_id)
    return list(programmes.order_by("name").values("id", "name", "project_code"))


def _labels(group_by: str, keys: list) -> dict:
    """id → (label, programme id) for the depot and wagon groupings (one small query)."""
    if group_by == "depot":
        rows = Depot.objects.filter(pk__in=keys).values_list("pk", "name", "programme_id")
    else:
        rows = Wagon.objects.filter(pk__in=keys).values_list("pk", "name", "depot__programme_id")
    return {pk: (name, programme_id) for pk, name, programme_id in rows}


def reach_report(
    *,
    period: Period,
    group_by: str = "school_type",
    planned: bool = False,
    user=None,
    programme_id: int | None = None,
    depot_id: int | None = None,
    wagon_id: int | None = None,
) -> dict:
    """`{"date_from", "date_to", "group_by", "planned", "programmes", "project_code", "rows",
    "totals"}` in five queries (six for depot and wagon labels) whatever the number of bookings.

    `programmes` are the programmes covered (the user's, narrowed by `programme_id`); each row's
    `project_code` is its programme's where the row belongs to one (see PER_PROGRAMME), else the
    report's `project_code`: the one covered programme's, or None when it covers several.
    Grouping by programme lists every covered programme, with zeros where it had no visits."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}")
    bookings = reach_bookings(
        period=period,
        planned=planned,
        user=user,
        programme_id=programme_id,
        depot_id=depot_id,
        wagon_id=wagon_id,
    )
    programmes = covered_programmes(user, programme_id)
    codes = {p["id"]: p["project_code"] for p in programmes}
    report_code = programmes[0]["project_code"] if len(programmes) == 1 else None

    key_field, label_field, programme_field = _GROUP_FIELDS[group_by]
    value_fields = [key_field] + [f for f in (label_field, programme_field) if f]
    grouped = bookings.annotate(depot_key=DEPOT_OF) if group_by == "depot" else bookings
    grouped = grouped.filter(**{f"{key_field}__isnull": False})
    rows = _rows(
        group_by, _key_figures(grouped, value_fields, order=True), programmes, codes, report_code
    )
    return {
        "date_from": period.date_from,
        "date_to": period.date_to,
        "group_by": group_by,
        "planned": planned,
        "programmes": programmes,
        "project_code": report_code,
        "rows": rows,
        "totals": _totals(bookings),
    }


def _rows(group_by, grouped, programmes, codes, report_code) -> list[dict]:
    key_field, label_field, programme_field = _GROUP_FIELDS[group_by]
    if group_by == "programme":
        figures = {row[key_field]: _figures(row) for row in grouped}
        zero = dict.fromkeys(COLUMNS, 0)
        return [
            {
                "key": str(p["id"]),
                "label": p["name"],
                "project_code": p["project_code"],
                **figures.get(p["id"], zero),
            }
            for p in programmes
        ]
    if group_by in ("depot", "wagon"):
        labels = _labels(group_by, [row[key_field] for row in grouped])
        rows = []
        for row in grouped:
            label, programme_id = labels[row[key_field]]
            rows.append(
                {
                    "key": str(row[key_field]),
                    "label": label,
                    "project_code": codes.get(programme_id),
                    **_figures(row),
                }
            )
        return sorted(rows, key=lambda r: (r["label"], r["key"]))
    choice_labels = _CHOICE_LABELS.get(group_by, {})
    rows = []
    for row in grouped:
        key = row[key_field]
        rows.append(
            {
                "key": key,
                "label": row[label_field] if label_field else choice_labels.get(key, key),
                "project_code": codes.get(row[programme_field]) if programme_field else report_code,
                **_figures(row),
            }
        )
    return rows
