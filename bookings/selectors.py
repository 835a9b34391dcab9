"""Reads over schools, workshops and bookings: kit need, availability, visibility, risk.

Availability (PRODUCT.md rule 2) is computed for a whole date range in a fixed number of queries:
the depot's wagons, blackouts, booked slots per wagon-day, reserved units per day and kit type, and
the available items of the depot — never one query per day or per booking.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from backend.roles import COORDINATOR, CREW, SCHOOL, role_of, school_id_of
from bookings.calendar_rules import closed_day_reasons, reason
from bookings.kit_need import KitNeed, need_for_sessions
from bookings.models import Blackout, Booking, BookingSession, KitReservation, KitRule, Workshop
from inventory.models import KitType, Wagon
from inventory.selectors import available_counts

# Statuses that take one of the wagon's visit slots on their date.
SLOT_STATUSES = (*Booking.RESERVING, Booking.Status.COMPLETED)
# What crew may see: confirmed and later.
CREW_STATUSES = SLOT_STATUSES


def today() -> dt.date:
    return timezone.localdate()


def workshops_with_rules():
    return Workshop.objects.prefetch_related(
        Prefetch("kit_rules", queryset=KitRule.objects.select_related("kit_type")),
        "consumable_rules",
    )


# The rows a booking's version (ETag, pages' hidden field) covers besides its own: its sessions.
BOOKING_VERSION_RELATED = ("sessions",)


def bookings_with_details():
    """Bookings with everything the serializer and `kit_need_for` read, in a fixed query count."""
    return Booking.objects.select_related("school", "wagon").prefetch_related(
        Prefetch(
            "sessions",
            queryset=BookingSession.objects.select_related("workshop").prefetch_related(
                Prefetch(
                    "workshop__kit_rules", queryset=KitRule.objects.select_related("kit_type")
                ),
                "workshop__consumable_rules",
            ),
        )
    )


def bookings_visible_to(user, queryset=None):
    """Coordinators see every booking, crew confirmed-and-later, a school its own. `queryset`
    (default: bookings with details) is narrowed to what `user` may see."""
    role = role_of(user)
    qs = bookings_with_details() if queryset is None else queryset
    if role == COORDINATOR:
        return qs
    if role == CREW:
        return qs.filter(status__in=CREW_STATUSES)
    if role == SCHOOL:
        school_id = school_id_of(user)
        if school_id is None:
            return qs.none()
        return qs.filter(school_id=school_id)
    return qs.none()


def _spare_units(sessions) -> dict[int, int]:
    spare = {}
    for session in sessions:
        for rule in session.workshop.kit_rules.all():
            spare[rule.kit_type_id] = rule.kit_type.spare_units
    return spare


def need_for(sessions) -> KitNeed:
    """Kit need of sessions whose workshops have kit rules (with kit_type) prefetched."""
    sessions = list(sessions)
    return need_for_sessions(sessions, _spare_units(sessions))


def kit_need_for(booking: Booking) -> KitNeed:
    """PRODUCT.md rule 1 for one booking; uses prefetched sessions when they are there."""
    cache = getattr(booking, "_prefetched_objects_cache", {})
    if "sessions" in cache:
        sessions = cache["sessions"]
    else:
        sessions = BookingSession.objects.filter(booking=booking).select_related("workshop")
        sessions = sessions.prefetch_related(
            Prefetch("workshop__kit_rules", queryset=KitRule.objects.select_related("kit_type")),
            "workshop__consumable_rules",
        )
    return need_for(sessions)


@dataclass
class _Session:
    """A look-alike session for availability questions ("these workshops, this many pupils")."""

    workshop: Workshop
    pupils: int


def need_for_workshops(workshops, pupils: int) -> KitNeed:
    return need_for([_Session(workshop=w, pupils=pupils) for w in workshops])


def _daterange(date_from: dt.date, date_to: dt.date):
    day = date_from
    while day <= date_to:
        yield day
        day += dt.timedelta(days=1)


def reserved_units(*, depot_id: int, date_from: dt.date, date_to: dt.date, exclude_booking=None):
    """{date: {kit_type_id: units}} held by reserving bookings in the depot (one query)."""
    qs = KitReservation.objects.filter(
        depot_id=depot_id,
        date__gte=date_from,
        date__lte=date_to,
        booking__status__in=Booking.RESERVING,
    )
    if exclude_booking is not None:
        qs = qs.exclude(booking_id=exclude_booking.pk)
    result: dict[dt.date, dict[int, int]] = defaultdict(dict)
    for row in qs.values("date", "kit_type_id").annotate(n=Sum("quantity")):
        result[row["date"]][row["kit_type_id"]] = row["n"]
    return result


def booked_slots(*, wagon_ids, date_from: dt.date, date_to: dt.date, exclude_booking=None):
    """{(wagon_id, date): visits} for bookings that take a slot (one query)."""
    qs = Booking.objects.filter(
        wagon_id__in=wagon_ids,
        date__gte=date_from,
        date__lte=date_to,
        status__in=SLOT_STATUSES,
    )
    if exclude_booking is not None:
        qs = qs.exclude(pk=exclude_booking.pk)
    return {
        (row["wagon_id"], row["date"]): row["n"]
        for row in qs.values("wagon_id", "date").annotate(n=Count("id"))
    }


def kit_shortages(need: KitNeed, reserved: dict[int, int], available: dict[int, int], names):
    """Reason objects for every kit type where reserved + need exceeds the available items."""
    reasons = []
    for kit_type_id, units in sorted(need.kit.items()):
        have = available.get(kit_type_id, 0)
        total = reserved.get(kit_type_id, 0) + units
        if total > have:
            free = max(have - reserved.get(kit_type_id, 0), 0)
            name = names.get(kit_type_id, str(kit_type_id))
            reasons.append(
                reason(
                    "kit_shortage",
                    f"{name}: {units} nodig, {free} vrij (van {have} beschikbaar).",
                    kit_type=kit_type_id,
                    kit_type_name=name,
                    needed=units,
                    available=free,
                    total=have,
                )
            )
    return reasons


def availability_for(
    *,
    school,
    date_from: dt.date,
    date_to: dt.date,
    need: KitNeed | None = None,
    sessions=None,
    workshops=None,
    pupils: int = 0,
    wagon: Wagon | None = None,
    exclude_booking: Booking | None = None,
    check_lead_time: bool = True,
    on: dt.date | None = None,
) -> list[dict]:
    """Per day `{"date", "available", "wagons", "reasons"}` for a visit to `school`.

    The visit's kit need comes from `need`, or `sessions` (booking sessions), or `workshops` +
    `pupils`. Queries: a fixed handful, independent of the number of days and bookings.
    """
    if need is None:
        if sessions is not None:
            need = need_for(sessions)
        elif workshops is not None:
            need = need_for_workshops(workshops, pupils)
        else:
            need = KitNeed()
    current = on or today()
    if wagon is not None:
        wagons = [wagon] if wagon.active else []
        depot_id = wagon.depot_id
    else:
        depot_id = school.depot_id
        wagons = list(Wagon.objects.filter(depot_id=depot_id, active=True).order_by("id"))
    wagon_ids = [w.id for w in wagons]
    blackouts = list(
        Blackout.objects.filter(date_from__lte=date_to, date_to__gte=date_from).filter(
            Q(wagon__isnull=True) | Q(wagon_id__in=wagon_ids)
        )
    )
    slots = booked_slots(
        wagon_ids=wagon_ids, date_from=date_from, date_to=date_to, exclude_booking=exclude_booking
    )
    if depot_id is not None and need.kit:
        reserved = reserved_units(
            depot_id=depot_id, date_from=date_from, date_to=date_to, exclude_booking=exclude_booking
        )
        available = available_counts(depot_id=depot_id)
        names = dict(KitType.objects.filter(pk__in=need.kit).values_list("id", "name"))
    else:
        reserved, available, names = {}, {}, {}

    days = []
    for day in _daterange(date_from, date_to):
        reasons = closed_day_reasons(
            day=day,
            region=school.holiday_region,
            today=current,
            blackouts=blackouts,
            wagon_ids=wagon_ids,
        )
        if not check_lead_time:
            reasons = [r for r in reasons if r["code"] != "lead_time"]
            if day < current:
                reasons.append(reason("past", "Deze datum ligt in het verleden."))
        open_wagons = [
            w
            for w in wagons
            if not any(b.wagon_id == w.id and b.date_from <= day <= b.date_to for b in blackouts)
        ]
        free = [w.id for w in open_wagons if slots.get((w.id, day), 0) < w.max_visits_per_day]
        if not wagons:
            reasons.append(reason("no_wagon", "Er is geen techniekwagen voor deze school."))
        elif open_wagons and not free:
            reasons.append(
                reason("wagon_full", "De techniekwagen heeft op deze dag geen plek meer.")
            )
        if depot_id is not None:
            reasons.extend(kit_shortages(need, reserved.get(day, {}), available, names))
        days.append(
            {
                "date": day,
                "available": not reasons,
                "wagons": free if not reasons else [],
                "free_wagons": free,
                "reasons": reasons,
            }
        )
    return days


def at_risk_bookings(*, queryset=None, on: dt.date | None = None) -> list[Booking]:
    """Confirmed/packed bookings from today on whose day's reserved kit now exceeds the items
    available (items turned defect or lost). Each gets `at_risk=True` and `shortage` rows
    `{kit_type, needed, available}`, needed being all units reserved that day in the depot."""
    current = on or today()
    base = queryset if queryset is not None else bookings_with_details()
    candidates = list(
        base.filter(
            status__in=(Booking.Status.CONFIRMED, Booking.Status.PACKED), date__gte=current
        ).prefetch_related("reservations")
    )
    if not candidates:
        return []
    # Reserved per depot-day over the candidates' days: one query.
    dates = {b.date for b in candidates}
    totals: dict[tuple[int, dt.date], dict[int, int]] = defaultdict(dict)
    rows = (
        KitReservation.objects.filter(date__in=dates, booking__status__in=Booking.RESERVING)
        .values("depot_id", "date", "kit_type_id")
        .annotate(n=Sum("quantity"))
    )
    for row in rows:
        totals[(row["depot_id"], row["date"])][row["kit_type_id"]] = row["n"]
    from inventory.selectors import available_counts_by_depot

    available = available_counts_by_depot()
    result = []
    for booking in candidates:
        shortage = []
        for res in booking.reservations.all():
            needed = totals.get((res.depot_id, res.date), {}).get(res.kit_type_id, 0)
            have = available.get(res.depot_id, {}).get(res.kit_type_id, 0)
            if needed > have:
                shortage.append({"kit_type": res.kit_type_id, "needed": needed, "available": have})
        if shortage:
            booking.at_risk = True
            booking.shortage = sorted(shortage, key=lambda s: s["kit_type"])
            result.append(booking)
    return result


def wagon_visits(*, wagon: Wagon):
    """Confirmed-and-later visits of a wagon for its calendar feed."""
    return bookings_with_details().filter(wagon=wagon, status__in=SLOT_STATUSES)
