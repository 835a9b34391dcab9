"""The depot's kit pool on a day (PRODUCT.md rules 1–3): who holds what, and what a visit adds.

Storage: one `KitReservation` per reserving booking and kit type holding that booking's *stop*
need, on the booking's depot and date. The depot's need on a day is derived, never stored:
per kit type the sum over its wagons of the maximum over that wagon's stops (a wagon carries one
load a day), plus each reserving booking without a wagon as a wagon-day of its own. One aggregate
query answers it for any number of days; the rows are written and checked under the depot-day
lock (`lock_days`), so two racing decisions cannot both take the last units.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from bookings.calendar_rules import reason
from bookings.kit.need import KitNeed
from bookings.models import Booking, DayLock, KitReservation
from inventory.models import KitType
from inventory.selectors import available_counts, available_counts_by_depot

_CURRENT = object()


# --- which depot, and its lock ------------------------------------------------------------------


def depot_of(booking: Booking, wagon=_CURRENT) -> int | None:
    """The depot whose kit a booking uses: its wagon's depot, else its school's depot.
    `wagon` (a Wagon or None) asks for the booking as if it were on that wagon."""
    wagon = booking.wagon if wagon is _CURRENT else wagon
    if wagon is not None:
        return wagon.depot_id
    return booking.school.depot_id


def lock_days(pairs: Iterable[tuple[int | None, dt.date]]) -> None:
    """Take the `DayLock(depot, date)` rows, creating the first ones, in one global order (depot,
    date) so two transactions locking several days never deadlock. Pairs without a depot are
    skipped. Every kit decision for a depot-day (confirm, move, session edit, item assignment)
    takes its lock first."""
    for depot_id, day in sorted({p for p in pairs if p[0] is not None}):
        try:
            with transaction.atomic():
                DayLock.objects.get_or_create(depot_id=depot_id, date=day)
        except IntegrityError:
            pass  # a racing transaction created it; selecting it below waits for that one
        DayLock.objects.select_for_update().get(depot_id=depot_id, date=day)


# --- writing ------------------------------------------------------------------------------------


def reservations_write(*, booking: Booking, need: KitNeed, depot_id: int | None = None) -> None:
    """Replace the booking's reservations by its stop need on its (current) date and depot.
    Call under `lock_days` for that depot-day, after the check."""
    depot_id = depot_of(booking) if depot_id is None else depot_id
    reservations_release(booking=booking)
    if depot_id is None:
        return
    KitReservation.objects.bulk_create(
        KitReservation(
            booking=booking, kit_type_id=kt, depot_id=depot_id, date=booking.date, quantity=n
        )
        for kt, n in sorted(need.kit.items())
        if n > 0
    )


def reservations_release(*, booking: Booking) -> None:
    KitReservation.objects.filter(booking_id=booking.pk).delete()


# --- reading ------------------------------------------------------------------------------------


@dataclass
class DayHeld:
    """What reserving bookings hold in one depot on one day, per kit type."""

    wagons: dict[int, dict[int, int]] = field(default_factory=dict)  # wagon -> kt -> max stop
    loose: dict[int, int] = field(default_factory=dict)  # kt -> sum over bookings without wagon
    stops: dict[int, int] = field(default_factory=dict)  # kt -> sum of all stop needs

    def wagon_need(self, wagon_id: int | None) -> dict[int, int]:
        if wagon_id is None:
            return {}
        return self.wagons.get(wagon_id, {})

    def free(self, available: dict[int, int]) -> dict[int, int]:
        """{kit_type_id: units free} given the depot's available items (never below 0)."""
        need = self.depot_need()
        return {kt: max(n - need.get(kt, 0), 0) for kt, n in available.items()}

    def depot_need(self) -> dict[int, int]:
        total = dict(self.loose)
        for per_kit in self.wagons.values():
            for kt, units in per_kit.items():
                total[kt] = total.get(kt, 0) + units
        return total


_EMPTY = DayHeld()


def held(
    *,
    depot_ids: Iterable[int],
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    dates: Iterable[dt.date] | None = None,
    exclude: Iterable[int] = (),
) -> dict[tuple[int, dt.date], DayHeld]:
    """{(depot_id, date): DayHeld} in one query; `exclude`: booking ids left out (the booking
    being decided)."""
    # Reserving bookings, and waiting-list offers holding their slot until they expire.
    qs = KitReservation.objects.filter(depot_id__in=list(depot_ids)).filter(
        Q(booking__status__in=Booking.RESERVING) | live_holds()
    )
    if dates is not None:
        qs = qs.filter(date__in=list(dates))
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    exclude = [pk for pk in exclude if pk is not None]
    if exclude:
        qs = qs.exclude(booking_id__in=exclude)
    result: dict[tuple[int, dt.date], DayHeld] = defaultdict(DayHeld)
    rows = qs.values_list(
        "depot_id",
        "date",
        "kit_type_id",
        Coalesce("booking__wagon_id", "waiting_entry__offer_wagon_id"),
    ).annotate(top=Max("quantity"), n=Sum("quantity"))
    for depot_id, day, kt, wagon_id, top, n in rows:
        day_held = result[(depot_id, day)]
        if wagon_id is None:
            day_held.loose[kt] = day_held.loose.get(kt, 0) + n
        else:
            day_held.wagons.setdefault(wagon_id, {})[kt] = top
        day_held.stops[kt] = day_held.stops.get(kt, 0) + n
    return result


def live_holds() -> Q:
    """Reservation rows of waiting-list offers still holding their slot."""
    return Q(waiting_entry__status="offered", waiting_entry__offer_expires__gt=timezone.now())


def holds_write(*, entry, need: KitNeed, depot_id: int) -> None:
    """A waiting-list offer holds its need on its date and depot. Call under `lock_days`."""
    holds_release(entry=entry)
    KitReservation.objects.bulk_create(
        KitReservation(
            waiting_entry=entry,
            kit_type_id=kt,
            depot_id=depot_id,
            date=entry.offer_date,
            quantity=n,
        )
        for kt, n in sorted(need.kit.items())
        if n > 0
    )


def holds_release(*, entry) -> None:
    KitReservation.objects.filter(waiting_entry_id=entry.pk).delete()


def kit_pool(depot, dates: Iterable[dt.date], *, exclude: Iterable[int] = ()) -> dict:
    """{date: {kit_type_id: {"needed", "reserved", "free", "total"}}} for a depot (id or Depot):
    `needed` the depot's need by rule 1 (Σ wagons of max over stops), `reserved` the plain sum of
    the stop reservations (what the wagons' reuse saves is `reserved − needed`), `free` the
    available items not needed, `total` the available items. Two queries for any dates."""
    depot_id = getattr(depot, "pk", depot)
    dates = sorted(set(dates))
    if not dates:
        return {}
    by_day = held(depot_ids=[depot_id], date_from=dates[0], date_to=dates[-1], exclude=exclude)
    available = available_counts(depot_id=depot_id)
    result = {}
    for day in dates:
        day_held = by_day.get((depot_id, day), _EMPTY)
        needed = day_held.depot_need()
        result[day] = {
            kt: {
                "needed": needed.get(kt, 0),
                "reserved": day_held.stops.get(kt, 0),
                "free": max(available.get(kt, 0) - needed.get(kt, 0), 0),
                "total": available.get(kt, 0),
            }
            for kt in sorted(set(available) | set(needed))
        }
    return result


# --- deciding -----------------------------------------------------------------------------------


def increase(need: KitNeed, day_held: DayHeld, wagon_id: int | None) -> dict[int, int]:
    """What a stop adds to the depot's need: on a wagon, only what its wagon-day does not carry
    yet; without a wagon, its whole need (a wagon-day of its own)."""
    on_board = day_held.wagon_need(wagon_id)
    return {kt: max(units - on_board.get(kt, 0), 0) for kt, units in need.kit.items()}


def shortage(
    *, kit_type_id: int, needed: int, depot_need: int, total: int, names: dict
) -> dict | None:
    """The one `kit_shortage` reason: `needed` units this visit (or route) adds, `available` the
    free units, `total` the available items in the depot. None when it fits."""
    free = max(total - depot_need, 0)
    if needed <= free:
        return None
    name = names.get(kit_type_id, str(kit_type_id))
    return reason(
        "kit_shortage",
        f"{name}: {needed} nodig, {free} vrij (van {total} beschikbaar).",
        kit_type=kit_type_id,
        kit_type_name=name,
        needed=needed,
        available=free,
        total=total,
    )


def shortages(
    need: KitNeed, day_held: DayHeld, wagon_id: int | None, available: dict, names: dict
) -> list[dict]:
    """Every kit type a stop on `wagon_id` (None: a wagon-day of its own) can't get."""
    adds = increase(need, day_held, wagon_id)
    depot_need = day_held.depot_need()
    reasons = []
    for kt in sorted(adds):
        found = shortage(
            kit_type_id=kt,
            needed=adds[kt],
            depot_need=depot_need.get(kt, 0),
            total=available.get(kt, 0),
            names=names,
        )
        if found:
            reasons.append(found)
    return reasons


def kit_names(kit_type_ids: Iterable[int]) -> dict[int, str]:
    return dict(KitType.objects.filter(pk__in=list(kit_type_ids)).values_list("id", "name"))


def stop_rows(*, dates: Iterable[dt.date], exclude: Iterable[int] = ()):
    """Every reservation of reserving bookings on `dates`, all depots, one query:
    (depot_id, date, kit_type_id, wagon_id, booking_id, quantity)."""
    qs = KitReservation.objects.filter(
        date__in=list(dates), booking__status__in=Booking.RESERVING
    ).exclude(booking_id__in=list(exclude))
    return list(
        qs.values_list(
            "depot_id", "date", "kit_type_id", "booking__wagon_id", "booking_id", "quantity"
        )
    )


def depot_need_of(stops: dict) -> dict[int, int]:
    """Depot need from {wagon key: {kt: units}} wagon-days (keys: wagon ids, or a unique key per
    loose booking)."""
    total: dict[int, int] = {}
    for per_kit in stops.values():
        for kt, units in per_kit.items():
            total[kt] = total.get(kt, 0) + units
    return total


def at_risk_shortages(rows, available_by_depot=None) -> dict[int, list[dict]]:
    """{booking_id: kit_shortage reasons} for reserving bookings whose stop no longer fits the
    pool (items went defect or lost): per kit type, `needed` the units the stop needs on board,
    `available` the units free for its wagon-day (the available items minus the other wagon-days'
    need), `total` the available items. `rows` from `stop_rows`."""
    if available_by_depot is None:
        available_by_depot = available_counts_by_depot()
    # (depot, date, kt) -> wagon key -> [(quantity, booking_id)]
    days: dict[tuple, dict] = defaultdict(lambda: defaultdict(list))
    for depot_id, day, kt, wagon_id, booking_id, quantity in rows:
        key = wagon_id if wagon_id is not None else ("loose", booking_id)
        days[(depot_id, day, kt)][key].append((quantity, booking_id))
    names = kit_names({r[2] for r in rows})
    result: dict[int, list[dict]] = defaultdict(list)
    for (depot_id, _day, kt), wagons in days.items():
        total = available_by_depot.get(depot_id, {}).get(kt, 0)
        tops = {key: max(q for q, _b in stops) for key, stops in wagons.items()}
        depot_need = sum(tops.values())
        if depot_need <= total:
            continue
        for key, stops in wagons.items():
            for quantity, booking_id in stops:
                found = shortage(
                    kit_type_id=kt,
                    needed=quantity,
                    depot_need=depot_need - tops[key],
                    total=total,
                    names=names,
                )
                if found:
                    result[booking_id].append(found)
    return result
