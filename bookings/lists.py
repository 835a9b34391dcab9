"""Rows for the read-only list endpoints, built from `values()` instead of model instances.

A list page of 1,000 bookings through the ModelSerializer built ~10,000 objects (bookings,
sessions, a workshop per session, its rules and kit types) to print a few columns. Here a page is
three queries — the bookings, their sessions, the kit rules of the workshops on the page — and the
kit need comes from the same rule (`bookings.kit.need.need_for_sessions`) over small look-alikes.
The output equals `BookingSerializer` (tests/bookings/test_list_rows.py holds them together).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from backend.core.sql import ids_in
from bookings.kit.need import need_for_sessions
from bookings.models import BookingSession, KitRule, School, pupils_unspecified

BOOKING_COLUMNS = (
    "id",
    "reference",
    "school_id",
    "wagon_id",
    "date",
    "status",
    "status_reason",
    "pinned",
    "contact_name",
    "contact_email",
    "contact_phone",
    "site_notes",
    "photo_consent",
    "alternative_dates",
    "created",
    "updated",
)
SESSION_COLUMNS = (
    "id",
    "booking_id",
    "workshop_id",
    "group_label",
    "school_type",
    "year",
    "pupils",
    "start_time",
    "girls",
    "boys",
    "teachers",
    "profile",
)

_datetime = serializers.DateTimeField()


def _datetime_format():
    """`DateTimeField().to_representation` for a page: DRF looks up the current time zone for
    every value (a thread-local read); here once. Same text: ISO 8601 in the current zone,
    `Z` for UTC."""
    if api_settings.DATETIME_FORMAT.lower() != ISO_8601 or not settings.USE_TZ:
        return _datetime.to_representation
    zone = timezone.get_current_timezone()

    def represent(value):
        if value is None or value.tzinfo is None:
            return _datetime.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


_MISSING = object()


def _hh_mm(value):
    return None if value is None else value.strftime("%H:%M")


class _NoRules:
    @staticmethod
    def all():
        return ()


@dataclass
class _Rules:
    rules: list = field(default_factory=list)

    def all(self):
        return self.rules


@dataclass(slots=True)
class _Rule:
    kit_type_id: int
    per_pupils: int | None
    fixed: int | None


@dataclass(slots=True)
class _Workshop:
    duration_minutes: int
    kit_rules: _Rules
    # Consumables are not part of a booking's `kit_need`.
    consumable_rules: type = _NoRules


@dataclass(slots=True)
class _Session:
    workshop: _Workshop
    pupils: int
    start_time: object


def _workshops(workshop_ids) -> tuple[dict[int, _Workshop], dict[int, int]]:
    """Look-alike workshops with their kit rules, and {kit_type_id: spare units} (one query)."""
    rows = KitRule.objects.filter(ids_in(KitRule, "workshop_id", workshop_ids)).values_list(
        "workshop_id",
        "workshop__duration_minutes",
        "kit_type_id",
        "per_pupils",
        "fixed",
        "kit_type__spare_units",
    )
    workshops: dict[int, _Workshop] = {}
    spare: dict[int, int] = {}
    for workshop_id, duration, kit_type_id, per_pupils, fixed, spare_units in rows.order_by("id"):
        workshop = workshops.get(workshop_id)
        if workshop is None:
            workshop = workshops[workshop_id] = _Workshop(duration, _Rules())
        workshop.kit_rules.rules.append(_Rule(kit_type_id, per_pupils, fixed))
        spare[kit_type_id] = spare_units
    return workshops, spare


def booking_values(queryset):
    """The columns `booking_rows` needs, as a `values()` queryset that pages in the database."""
    return queryset.select_related(None).prefetch_related(None).values(*BOOKING_COLUMNS)


def booking_rows(bookings) -> list[dict]:
    """`BookingSerializer` output for rows of `booking_values` (usually one page), in order."""
    bookings = list(bookings)
    if not bookings:
        return []
    sessions: dict[int, list[tuple]] = {b["id"]: [] for b in bookings}
    for row in (
        BookingSession.objects.filter(ids_in(BookingSession, "booking_id", sessions))
        .order_by("start_time", "id")
        .values_list(*SESSION_COLUMNS)
    ):
        sessions[row[1]].append(row)
    workshops, spare = _workshops({s[2] for rows in sessions.values() for s in rows})
    no_rules = _Workshop(0, _Rules())  # a workshop without kit rules needs nothing
    times: dict = {}  # start time -> "09:30": a page has few distinct times
    datetime = _datetime_format()
    out = []
    for b in bookings:
        own = sessions[b["id"]]
        # The page's {kit type: spare units} serves every booking: the rule reads it only for
        # the kit types of the booking's own sessions.
        need = need_for_sessions(
            [_Session(workshops.get(s[2], no_rules), s[6], s[7]) for s in own], spare
        )
        out.append(_booking_row(b, own, need, datetime, times))
    return out


def booking_row(booking, need) -> dict:
    """`BookingSerializer` output for one booking instance with its sessions prefetched and its
    kit `need` known (a write's answer: nothing is read). The same row as `booking_rows` builds
    (tests/bookings/test_confirm_queries.py compares the answer with a GET)."""
    values = {column: getattr(booking, column) for column in BOOKING_COLUMNS}
    own = [tuple(getattr(s, column) for column in SESSION_COLUMNS) for s in booking.sessions.all()]
    return _booking_row(values, own, need, _datetime_format(), {})


def _booking_row(b: dict, sessions: list[tuple], need, datetime, times: dict) -> dict:
    """The one shape of a booking's row: `b` holds BOOKING_COLUMNS, `sessions` rows of
    SESSION_COLUMNS, `times` caches formatted start times across rows."""
    rendered = []
    for (
        session_id,
        _booking,
        workshop_id,
        group_label,
        school_type,
        year,
        pupils,
        start_time,
        girls,
        boys,
        teachers,
        profile,
    ) in sessions:
        start = times.get(start_time, _MISSING)
        if start is _MISSING:
            start = times[start_time] = _hh_mm(start_time)
        rendered.append(
            {
                "id": session_id,
                "workshop": workshop_id,
                "group_label": group_label,
                "school_type": school_type,
                "year": year,
                "pupils": pupils,
                "start_time": start,
                "girls": girls,
                "boys": boys,
                "pupils_unspecified": pupils_unspecified(pupils, girls, boys),
                "teachers": teachers,
                "profile": profile,
            }
        )
    return {
        "id": b["id"],
        "reference": b["reference"],
        "school": b["school_id"],
        "wagon": b["wagon_id"],
        "date": b["date"].isoformat(),
        "status": b["status"],
        "status_reason": b["status_reason"],
        "pinned": b["pinned"],
        "sessions": rendered,
        "contact_name": b["contact_name"],
        "contact_email": b["contact_email"],
        "contact_phone": b["contact_phone"],
        "site_notes": b["site_notes"],
        "photo_consent": b["photo_consent"],
        "alternative_dates": list(b["alternative_dates"] or []),
        "kit_need": need.as_list(),
        "created": datetime(b["created"]),
        "updated": datetime(b["updated"]),
    }


# --- schools --------------------------------------------------------------------------------

# The school's fields in `SchoolSerializer`'s order (its `Meta.fields`), and the columns the
# list reads them from: the foreign keys' ids.
SCHOOL_FIELDS = (
    "id",
    "name",
    "brin",
    "school_types",
    "address",
    "postcode",
    "city",
    "lat",
    "lon",
    "holiday_region",
    "programme",
    "depot",
    "contact_name",
    "contact_email",
    "contact_phone",
    "site_notes",
    "day_start",
    "day_end",
)
SCHOOL_COLUMNS = tuple(School._meta.get_field(name).attname for name in SCHOOL_FIELDS)
# Printed through the serializer's own fields for their exact format.
_SCHOOL_FORMATTED = ("lat", "lon", "day_start", "day_end")


def school_rows(rows, *, fields) -> list[dict]:
    """`SchoolSerializer` output for rows of `values_list(*SCHOOL_COLUMNS)`; `fields`: the
    serializer's fields, whose coordinates and times give the exact format."""
    formats = [(name, fields[name].to_representation) for name in _SCHOOL_FORMATTED]
    out = []
    for row in rows:
        school = dict(zip(SCHOOL_FIELDS, row, strict=True))
        school["school_types"] = list(school["school_types"] or [])
        for name, represent in formats:
            school[name] = represent(school[name])
        out.append(school)
    return out


# --- workshops ------------------------------------------------------------------------------

WORKSHOP_COLUMNS = (
    "id",
    "programme",
    "name",
    "description",
    "duration_minutes",
    "max_pupils",
    "school_types",
    "active",
    "po_group_min",
    "po_group_max",
    "vo_year_min",
    "vo_year_max",
)


def workshop_values(queryset):
    return queryset.select_related(None).prefetch_related(None).values(*WORKSHOP_COLUMNS)


def workshop_rows(workshops, *, per_pupil_field, stock) -> list[dict]:
    """`WorkshopSerializer` output for rows of `workshop_values`: the page's kit rules (with
    their kit types) and consumable rules in one query each, the warnings from the same rule
    (`bookings.catalogue.capacity_warnings_of`) over the rule rows."""
    from bookings.catalogue import capacity_warnings_of
    from bookings.models import ConsumableRule

    workshops = list(workshops)
    ids = [w["id"] for w in workshops]
    # (kit_type_id, per_pupils, fixed, kit type name, spare units) per workshop, by rule id.
    kit_rules: dict[int, list[tuple]] = {pk: [] for pk in ids}
    for workshop_id, *rule in (
        KitRule.objects.filter(ids_in(KitRule, "workshop_id", ids))
        .order_by("id")
        .values_list(
            "workshop_id",
            "kit_type_id",
            "per_pupils",
            "fixed",
            "kit_type__name",
            "kit_type__spare_units",
        )
    ):
        kit_rules[workshop_id].append(rule)
    consumable_rules: dict[int, list[dict]] = {pk: [] for pk in ids}
    represent = per_pupil_field.to_representation
    for workshop_id, consumable_id, per_pupil in (
        ConsumableRule.objects.filter(ids_in(ConsumableRule, "workshop_id", ids))
        .order_by("id")
        .values_list("workshop_id", "consumable_id", "per_pupil")
    ):
        consumable_rules[workshop_id].append(
            {"consumable": consumable_id, "per_pupil": represent(per_pupil)}
        )
    # Each values() row becomes its answer in place (its columns are already in the
    # serializer's order); the nested lists and the warnings follow.
    for w in workshops:
        rules = kit_rules[w["id"]]
        w["school_types"] = list(w["school_types"] or [])
        w["kit_rules"] = [
            {"kit_type": kit_type_id, "per_pupils": per_pupils, "fixed": fixed}
            for kit_type_id, per_pupils, fixed, _name, _spare in rules
        ]
        w["consumable_rules"] = consumable_rules[w["id"]]
        w["capacity_warnings"] = capacity_warnings_of(
            name=w["name"],
            max_pupils=w["max_pupils"],
            programme_id=w["programme"],
            rules=rules,
            stock=stock,
        )
    return workshops
