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
from django.db import connections
from django.db.models import Count, F, Q, Sum
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
    # int(): PostgreSQL's SUM of integers is a numeric (a Decimal in Python).
    return {column: int(row[f"{prefix}_{column}"] or 0) for column in COLUMNS}


def rolled_up(inner, levels: list[tuple[tuple[str, ...], dict[str, str]]], order=()) -> list:
    """Rows of `levels` of SQL aggregation over `inner` (a `values()` queryset), each level
    `(group by columns, {name: aggregate SQL})` over the one before, in one statement.

    The report's figures are unique counts (a visit once per row, a school once per row). Rather
    than a COUNT(DISTINCT) per figure — a sort of every joined session each — the innermost
    query is one row per visit (and row key), the next one row per school, and the counts
    become plain COUNT(*)/SUM over rows that are unique by construction. Every level groups
    few columns, so PostgreSQL streams the visits in id order (merge join of the bookings' and
    the sessions' indexes) and SQLite walks the sessions' covering index per visit."""
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        # Nothing can match (a user without programmes): no groups, or one row of nothing.
        group, aggregates = levels[-1]
        return [] if group else [dict.fromkeys(aggregates)]
    connection = connections[inner.db]
    quote = connection.ops.quote_name
    for depth, (group, aggregates) in enumerate(levels):
        columns = [quote(name) for name in group]
        columns += [f"{expression} AS {quote(name)}" for name, expression in aggregates.items()]
        sql = f"SELECT {', '.join(columns)} FROM ({sql}) {quote(f'level_{depth}')}"
        if group:
            sql += f" GROUP BY {', '.join(quote(name) for name in group)}"
    if order:
        sql += f" ORDER BY {', '.join(quote(name) for name in order)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _when(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _grouped(bookings, key_fields: list[str]) -> list[dict]:
    """The report's rows: visits, unique schools, sessions and pupils per key (`key_fields`:
    the key and its label/programme fields), as `{"k0": key, ..., "n_visits": ...}`.

    One row per (visit, key) first — a session key (school type, workshop) gives a visit one
    row per key it had sessions of — then one per (key, school), then one per key. A grouping by
    a visit's own field (its school, wagon...) keeps the visits without sessions (LEFT JOIN)."""
    keys = {f"k{index}": F(field) for index, field in enumerate(key_fields)}
    inner = (
        bookings.values(v_id=F("id"), v_school=F("school_id"), **keys)
        .annotate(v_sessions=Count("sessions__pupils"), v_pupils=Sum("sessions__pupils"))
        .order_by()
    )
    key_names = tuple(keys)
    return rolled_up(
        inner,
        [
            (
                (*key_names, "v_school"),
                {
                    "s_visits": "COUNT(*)",
                    "s_sessions": 'SUM("v_sessions")',
                    "s_pupils": 'SUM("v_pupils")',
                },
            ),
            (
                key_names,
                {
                    "n_visits": 'SUM("s_visits")',
                    "n_schools": "COUNT(*)",
                    "n_sessions": 'SUM("s_sessions")',
                    "n_pupils": 'SUM("s_pupils")',
                },
            ),
        ],
        order=key_names,
    )


def _totals(bookings) -> dict:
    """The whole selection's figures and those per sector, in one query.

    One row per visit with its sessions and pupils per sector (a visit is in a sector when it
    had a session of it), then one per school, then the totals: a visit and a school count
    once in every sector they had a group of, and once overall."""
    sector_aggregates = {}
    for sector, types in SECTORS.items():
        of_sector = Q(sessions__school_type__in=types)
        sector_aggregates[f"v_{sector}_sessions"] = Count("sessions__pupils", filter=of_sector)
        sector_aggregates[f"v_{sector}_pupils"] = Sum("sessions__pupils", filter=of_sector)
    inner = (
        bookings.values(v_id=F("id"), v_school=F("school_id"))
        .annotate(
            v_sessions=Count("sessions__pupils"),
            v_pupils=Sum("sessions__pupils"),
            **sector_aggregates,
        )
        .order_by()
    )
    per_school = {
        "s_visits": "COUNT(*)",
        "s_sessions": 'SUM("v_sessions")',
        "s_pupils": 'SUM("v_pupils")',
    }
    overall = {
        "n_visits": 'SUM("s_visits")',
        "n_schools": "COUNT(*)",
        "n_sessions": 'SUM("s_sessions")',
        "n_pupils": 'SUM("s_pupils")',
    }
    for sector in SECTORS:
        per_school[f"s_{sector}_visits"] = _when(f'"v_{sector}_sessions" > 0')
        per_school[f"s_{sector}_sessions"] = f'SUM("v_{sector}_sessions")'
        per_school[f"s_{sector}_pupils"] = f'SUM("v_{sector}_pupils")'
        overall[f"{sector}_visits"] = f'SUM("s_{sector}_visits")'
        overall[f"{sector}_schools"] = _when(f'"s_{sector}_visits" > 0')
        overall[f"{sector}_sessions"] = f'SUM("s_{sector}_sessions")'
        overall[f"{sector}_pupils"] = f'SUM("s_{sector}_pupils")'
    (row,) = rolled_up(inner, [(("v_school",), per_school), ((), overall)])
    totals = _figures(row)
    totals["sectors"] = {sector: _figures(row, sector) for sector in SECTORS}
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
    "totals"}` in three queries (four for depot and wagon labels) whatever the number of bookings.

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
    grouped = _grouped(grouped.filter(**{f"{key_field}__isnull": False}), value_fields)
    # Back to the field names `_rows` reads.
    grouped = [
        {**{field: row[f"k{index}"] for index, field in enumerate(value_fields)}, **row}
        for row in grouped
    ]
    rows = _rows(group_by, grouped, programmes, codes, report_code)
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
