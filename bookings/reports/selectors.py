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

The figures are read from the reach facts (`ReachFact`, kept by `bookings.reports.facts`): a row
per counted visit and per school type, workshop and sector of its sessions, so each figure is a
scan of one kind of row. They select exactly the visits `reach_bookings` selects.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce

from bookings.models import Booking, HolidayRegion, ReachFact, SchoolType
from inventory.models import Depot, Wagon
from programmes.models import Programme

PLANNED = ("confirmed", "packed")
GROUP_BY = ("school_type", "holiday_region", "workshop", "school", "programme", "depot", "wagon")
# Groupings whose every row belongs to one programme (the row carries its project code); the
# others (school type, holiday region) may mix programmes.
PER_PROGRAMME = ("workshop", "school", "programme", "depot", "wagon")
# group_by → (field path from a ReachFact to group on, field path to its label, path to its
# programme). A workshop's name is unique in its programme: one row per workshop.
_GROUP_FIELDS = {
    "school_type": ("key", None, None),
    "holiday_region": ("school__holiday_region", None, None),
    "workshop": ("workshop__name", None, "workshop__programme_id"),
    "school": ("school__brin", "school__name", "school__programme_id"),
    "programme": ("school__programme_id", None, None),
    "depot": ("depot_key", None, None),
    "wagon": ("wagon_id", None, None),
}
# group_by → the kind of fact row it reads (the rest: one row per visit).
_FACT_KIND = {"school_type": "school_type", "workshop": "workshop"}
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


def reach_bookings(**selection):
    """The counted visits (`_selection`)."""
    return _selection(Booking, **selection)


def reach_facts(**selection):
    """The facts (`ReachFact`) of the visits `reach_bookings(**selection)` selects."""
    return _selection(ReachFact, **selection)


def _selection(
    model,
    *,
    period: Period,
    planned: bool = False,
    user=None,
    programme_id: int | None = None,
    depot_id: int | None = None,
    wagon_id: int | None = None,
):
    """The counted visits in `period`, within `user`'s programmes (None: every programme — for
    code that has already decided, never for a request) and the optional filters; as bookings
    or as their facts, which carry the same date, status, school and wagon."""
    rows = model.objects.restrict(user) if user is not None else model.objects.all()
    rows = rows.filter(
        date__gte=period.date_from,
        date__lte=period.date_to,
        status__in=counted_statuses(planned=planned),
    )
    if programme_id is not None:
        rows = rows.filter(school__programme_id=programme_id)
    if wagon_id is not None:
        rows = rows.filter(wagon_id=wagon_id)
    if depot_id is not None:
        rows = rows.alias(depot_of=DEPOT_OF).filter(depot_of=depot_id)
    return rows


def _figures(row: dict, prefix: str = "n") -> dict:
    # int(): PostgreSQL sums counts into numeric (Decimal).
    return {column: int(row[f"{prefix}_{column}"] or 0) for column in COLUMNS}


def _key_figures(facts, keys: list[str], order: bool = False) -> list[dict]:
    """Visits, unique schools, sessions and pupils (`n_*`) per value of `keys` — fields or
    annotations of `facts`, all of one kind — in one query over the facts alone.

    A fact row is one visit of its key (a visit's school type, workshop or sector, or the visit
    itself), so a key's visits are its rows; its schools are counted as the rows of one row per
    (key, school), summed from there (no unique count over every row)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(key) for key in keys)
    per_school = (
        facts.values(*keys, "school_id")
        .annotate(
            school_visits=Count("*"),
            school_sessions=Sum("sessions"),
            school_pupils=Sum("pupils"),
        )
        .order_by()
    )
    try:
        per_school, params = per_school.query.sql_with_params()
    except EmptyResultSet:  # no programme in scope, or none at all (`.none()`)
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


def _totals(facts) -> dict:
    """The whole selection's figures (its visit rows) and those per sector (its sector rows:
    a visit and its school count in every sector it had a group of), in two queries — one
    grouping each, which PostgreSQL estimates well enough to hash (grouped together by kind,
    key and school it expected ten times the groups there are, and sorted them on disk)."""
    zero = dict.fromkeys(COLUMNS, 0)
    [whole] = _key_figures(facts.filter(kind="visit"), ["kind"]) or [None]
    totals = _figures(whole) if whole else dict(zero)
    per_sector = {
        row["key"]: _figures(row) for row in _key_figures(facts.filter(kind="sector"), ["key"])
    }
    totals["sectors"] = {sector: per_sector.get(sector, dict(zero)) for sector in SECTORS}
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
    facts = reach_facts(
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
    grouped = facts.filter(kind=_FACT_KIND.get(group_by, "visit"))
    grouped = grouped.annotate(depot_key=DEPOT_OF) if group_by == "depot" else grouped
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
        "totals": _totals(facts),
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
