"""Reads over schools, workshops and bookings: kit need, availability, visibility, risk.

Availability (PRODUCT.md rule 2) is computed for a whole date range in a fixed number of queries:
the depot's wagons, blackouts, booked slots per wagon-day, reserved units per day and kit type, and
the available items of the depot — never one query per day or per booking.
"""

import datetime as dt

from django.db.models import Count, IntegerField, Prefetch, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.roles import COORDINATOR, CREW, SCHOOL, role_of, school_id_of
from bookings import at_risk
from bookings.calendar_rules import (
    blackouts_filter,
    closed_day_reasons,
    holiday_language,
    reason,
)
from bookings.kit import busy, pool

# The kit rule lives in bookings.kit; these names stay importable from here for callers.
from bookings.kit.need import KitNeed, kit_need_for, need_for, need_for_workshops  # noqa: F401
from bookings.models import (
    Blackout,
    Booking,
    BookingSession,
    KitRule,
    Workshop,
)
from inventory.models import Wagon
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
    """Coordinators see their programmes' bookings, crew those confirmed-and-later, a school its
    own (`Booking.objects.restrict`). `queryset`
    (default: bookings with details) is narrowed to what `user` may see."""
    role = role_of(user)
    qs = (bookings_with_details() if queryset is None else queryset).restrict(user)
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


def _daterange(date_from: dt.date, date_to: dt.date):
    day = date_from
    while day <= date_to:
        yield day
        day += dt.timedelta(days=1)


def _slot_takers(*, wagon_ids, date_from: dt.date, date_to: dt.date, exclude_booking=None):
    """What takes a wagon's visit slot on a day: bookings in SLOT_STATUSES, and waiting-list
    offers holding one until they expire (two querysets; the rule `booked_slots` counts)."""
    qs = Booking.objects.filter(
        wagon_id__in=wagon_ids,
        date__gte=date_from,
        date__lte=date_to,
        status__in=SLOT_STATUSES,
    )
    if exclude_booking is not None:
        qs = qs.exclude(pk=exclude_booking.pk)
    offers = pool.live_offers().filter(
        offer_wagon_id__in=wagon_ids, offer_date__gte=date_from, offer_date__lte=date_to
    )
    return qs.order_by(), offers.order_by()


def booked_slots(*, wagon_ids, date_from: dt.date, date_to: dt.date, exclude_booking=None):
    """{(wagon_id, date): visits} for bookings that take a slot, and waiting-list offers holding
    one until they expire (one query)."""
    qs, offers = _slot_takers(
        wagon_ids=wagon_ids, date_from=date_from, date_to=date_to, exclude_booking=exclude_booking
    )
    # COUNT(*), not COUNT(id): the (wagon, date, status) index alone answers it (PostgreSQL
    # reads 50,000 bookings from the index instead of the table).
    rows = (
        qs.values_list("wagon_id", "date")
        .annotate(n=Count("*"))
        .union(offers.values_list("offer_wagon_id", "offer_date").annotate(n=Count("*")), all=True)
    )
    slots: dict = {}
    for wagon_id, day, n in rows:
        slots[(wagon_id, day)] = slots.get((wagon_id, day), 0) + n
    return slots


def _day_slots_and_stops(*, wagon_ids, day: dt.date, exclude_booking=None):
    """One day's `booked_slots` and the stop rows `busy.busy_wagons` judges (`STOP_COLUMNS` of
    the bookings taking a slot, a row per session), in one query: a decision on one day reads
    its wagons' visits once."""
    qs, offers = _slot_takers(
        wagon_ids=wagon_ids, date_from=day, date_to=day, exclude_booking=exclude_booking
    )
    none = [Value(None, output_field=IntegerField())] * (len(busy.STOP_COLUMNS) - 2)
    rows = qs.values_list(*busy.STOP_COLUMNS).union(
        offers.values_list(Value(None, output_field=IntegerField()), "offer_wagon_id", *none),
        all=True,
    )
    slots: dict = {}
    stops, seen = [], set()
    for row in rows:
        booking_id, wagon_id = row[0], row[1]
        if booking_id is None or booking_id not in seen:  # an offer, or a booking's first row
            slots[(wagon_id, day)] = slots.get((wagon_id, day), 0) + 1
        if booking_id is not None:
            seen.add(booking_id)
            stops.append(row)
    return slots, stops


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
    rank_wagons: bool = True,
    held_days: dict | None = None,
) -> list[dict]:
    """Per day `{"date", "available", "wagons", "reasons"}` for a visit to `school`.

    The visit's kit need comes from `need`, or `sessions` (booking sessions), or `workshops` +
    `pupils`. Kit is judged per wagon (PRODUCT.md rule 1): on a wagon with a free slot the visit
    joins that wagon-day and adds only what the wagon does not carry yet; the day is available
    if some free wagon fits. Internal keys for the services: `free_wagons` (wagons with a slot
    whose kit fits, best first: the least added to the depot's need), `slot_wagons` (wagons with
    a slot), `kit_reasons` ({wagon id: kit_shortage reasons}) and, when the range is one day,
    `stops` (the rows `busy.busy_wagons` takes for the wagons asked about: read with the
    slots). `rank_wagons=False` (a caller that only shows the days, not placing a visit):
    `free_wagons` on a day where the visit fits everywhere are in id order, which spares reading
    what each wagon already carries. `held_days`: {(depot_id, date): DayHeld} of every day in
    the range, already read (a decision under the day lock, `pool.day_rows`): the kit pool is
    not read again. Queries: a fixed handful, independent of the number of days and bookings.
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
    # The school's programme decides its holidays and lead time; its closed days are the
    # programme's, its wagons' and the school's own (studiedagen).
    programme = school.programme
    blackouts = list(
        Blackout.objects.filter(date_from__lte=date_to, date_to__gte=date_from).filter(
            blackouts_filter(
                programme_ids=[school.programme_id], wagon_ids=wagon_ids, school_ids=[school.pk]
            )
        )
    )
    if date_from == date_to:
        # One day (a visit being placed): its wagons' visits are read as rows, which `_place`
        # hands on to `busy.busy_wagons` (`stops`).
        slots, stops = _day_slots_and_stops(
            wagon_ids=wagon_ids, day=date_from, exclude_booking=exclude_booking
        )
    else:
        slots, stops = (
            booked_slots(
                wagon_ids=wagon_ids,
                date_from=date_from,
                date_to=date_to,
                exclude_booking=exclude_booking,
            ),
            None,
        )
    check_kit = depot_id is not None and bool(need.kit)
    if check_kit:
        available = available_counts(depot_id=depot_id)
        names = pool.LazyKitNames(need.kit)
        exclude = [exclude_booking.pk] if exclude_booking is not None else []
        # Per day only the depot's need and what each wagon already carries of this visit's
        # kit (one query on the summary); a day where the visit fits even without reuse fits
        # on every wagon. The others are judged in full below; the days of the booking being
        # decided are summed from the reservations without it.
        total_need = sum(need.kit.values())
        empty_fits = all(limit >= 0 for limit in pool.fit_limits(need, available))
        if held_days is not None:
            if any((depot_id, day) not in held_days for day in _daterange(date_from, date_to)):
                raise ValueError("held_days must hold every day of the range")
            range_days, redone = {}, held_days
        else:
            range_days = pool.need_by_day(
                depot_id=depot_id,
                date_from=date_from,
                date_to=date_to,
                need=need,
                available=available,
                saved=rank_wagons,
            )
            redone = pool.excluded_days(
                depot_ids=[depot_id], date_from=date_from, date_to=date_to, exclude=exclude
            )
            redone = pool.held_from_reservations(redone, exclude=exclude) if redone else {}
    # Looked up once, not per day (the active language lives in a context-local).
    language = holiday_language()
    past_text = _("Deze datum ligt in het verleden.")
    no_wagon_text = _("Er is geen techniekwagen voor deze school.")
    full_text = _("De techniekwagen heeft op deze dag geen plek meer.")
    wagon_blackouts = [b for b in blackouts if b.wagon_id is not None]
    days = []
    for day in _daterange(date_from, date_to):
        reasons = closed_day_reasons(
            day=day,
            region=school.holiday_region,
            today=current,
            blackouts=blackouts,
            wagon_ids=wagon_ids,
            programme=programme,
            school_id=school.pk,
            language=language,
        )
        if not check_lead_time:
            reasons = [r for r in reasons if r["code"] != "lead_time"]
            if day < current:
                reasons.append(reason("past", past_text))
        open_wagons = (
            [
                w
                for w in wagons
                if not any(
                    b.wagon_id == w.id and b.date_from <= day <= b.date_to for b in wagon_blackouts
                )
            ]
            if wagon_blackouts
            else wagons
        )
        with_slot = [w.id for w in open_wagons if slots.get((w.id, day), 0) < w.max_visits_per_day]
        if not wagons:
            reasons.append(reason("no_wagon", no_wagon_text))
        elif open_wagons and not with_slot:
            reasons.append(reason("wagon_full", full_text))
        fitting, kit_reasons = with_slot, {}
        range_day = range_days.get(day) if check_kit else None
        day_held = redone.get((depot_id, day)) if check_kit else None
        if (
            check_kit
            and day_held is None
            and (not range_day.tight if range_day is not None else empty_fits)
        ):
            saved = range_day.saved if range_day is not None else {}
            kit_reasons = {w: [] for w in with_slot}
            if saved:  # else every wagon adds the whole need: id order, as they come
                fitting = sorted(with_slot, key=lambda w: total_need - saved.get(w, 0))
        elif check_kit:
            if day_held is None:
                day_held = range_day.day_held if range_day is not None else pool.DayHeld()
            free_units = day_held.free(available)
            adds = {w: pool.increase(need, day_held, w) for w in with_slot}
            # Reasons are only built for wagons that can't take the visit (the rare case).
            kit_reasons = {
                w: []
                if all(n <= free_units.get(kt, 0) for kt, n in adds[w].items())
                else pool.shortages(need, day_held, w, available, names)
                for w in with_slot
            }
            fitting = sorted(
                (w for w in with_slot if not kit_reasons[w]), key=lambda w: sum(adds[w].values())
            )
            if not fitting:
                # Name the shortage of the wagon that comes closest, or of a wagon-day of its
                # own when no wagon has a slot.
                closest = min(
                    with_slot,
                    key=lambda w: (len(kit_reasons[w]), sum(adds[w].values())),
                    default=None,
                )
                reasons.extend(
                    kit_reasons[closest]
                    if closest is not None
                    else pool.shortages(need, day_held, None, available, names)
                )
        days.append(
            {
                "date": day,
                "available": not reasons,
                "wagons": sorted(fitting) if not reasons else [],
                "free_wagons": fitting,
                "slot_wagons": with_slot,
                "kit_reasons": kit_reasons,
                "reasons": reasons,
                "stops": stops,
            }
        )
    return days


def at_risk_bookings(*, queryset=None, on: dt.date | None = None) -> list[Booking]:
    """Confirmed/packed bookings from today on whose stop no longer fits their depot's pool
    (items turned defect or lost), judged by the one rule in `bookings.at_risk` (the list's
    `at_risk` filter asks the same). Each gets `at_risk=True` and `shortage` rows (`needed` on
    board, `available` free for its wagon-day, `total` available items), by kit type."""
    current = on or today()
    found = at_risk.shortages(on=current)
    if not found:
        return []
    base = queryset if queryset is not None else bookings_with_details()
    result = list(at_risk.at_risk_filter(base, on=current, found=found))
    for booking in result:
        booking.at_risk = True
        booking.shortage = found[booking.pk]
    return result


def wagon_visits(*, wagon: Wagon):
    """Confirmed-and-later visits of a wagon for its calendar feed."""
    return bookings_with_details().filter(wagon=wagon, status__in=SLOT_STATUSES)
