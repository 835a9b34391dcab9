"""The depot's kit pool on a day (PRODUCT.md rules 1–3): who holds what, and what a visit adds.

Storage: one `KitReservation` per reserving booking and kit type holding that booking's *stop*
need, on the booking's depot and date. The depot's need on a day is per kit type the sum over its
wagons of the maximum over that wagon's stops (a wagon carries one load a day), plus each
reserving booking without a wagon as a wagon-day of its own. `KitDayNeed` keeps that per
depot-day, kit type and wagon (a summary of the reservations, so a year of availability reads a
few thousand rows, not every reservation): it is rewritten for a depot-day whenever its
reservations, or the status or wagon of a booking holding them, change — in the same transaction,
under the depot-day lock (`lock_days`), so two racing decisions cannot both take the last units.
`day_needs_recomputed` is its definition; a test holds the two equal.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.calendar_rules import reason
from bookings.kit.need import KitNeed
from bookings.models import Booking, DayLock, KitDayNeed, KitReservation, WaitingEntry
from inventory.models import KitType
from inventory.selectors import available_counts

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
    takes its lock first.

    One statement for any number of days: an upsert (`INSERT … ON CONFLICT DO UPDATE`) that
    inserts the missing rows and row-locks the existing ones, as `select_for_update` would, in
    the order of its rows (sorted); a row a racing transaction inserts meanwhile is waited for,
    then locked. (On SQLite the IMMEDIATE transaction already serialises writers.)"""
    pairs = sorted({p for p in pairs if p[0] is not None})
    if not pairs:
        return
    DayLock.objects.bulk_create(
        [DayLock(depot_id=depot_id, date=day) for depot_id, day in pairs],
        update_conflicts=True,
        unique_fields=["depot", "date"],
        update_fields=["date"],
    )


# --- writing ------------------------------------------------------------------------------------


@transaction.atomic
def reservations_write(
    *, booking: Booking, need: KitNeed, depot_id: int | None = None, day: "DayRows | None" = None
) -> None:
    """Replace the booking's reservations by its stop need on its (current, maybe unsaved) date,
    wagon and depot; the booking counts as reserving. Call under `lock_days` for its old and new
    depot-day, after the check. One read (`day_rows` of its new depot-day: the booking's old rows
    and the others') — none when the caller read that `day` under the same lock —, the delete,
    the insert and the new day's summary (one upsert where the booking held nothing that day,
    as when it is confirmed; else rewritten); an old day elsewhere adds its own rewrite."""
    depot_id = depot_of(booking) if depot_id is None else depot_id
    if day is None or (day.depot_id, day.date, day.booking_id) != (
        depot_id,
        booking.date,
        booking.pk,
    ):
        day = day_rows(depot_id=depot_id, day=booking.date, booking_id=booking.pk)
    old_days, others = set(day.own_days), day.others
    if old_days:
        KitReservation.objects.filter(booking_id=booking.pk).delete()
    own = [
        KitReservation(
            booking=booking, kit_type_id=kt, depot_id=depot_id, date=booking.date, quantity=n
        )
        for kt, n in sorted(need.kit.items())
        if n > 0
    ]
    if depot_id is not None and own:
        KitReservation.objects.bulk_create(own)
    if depot_id is not None:
        rows = others + [(r.kit_type_id, booking.wagon_id, r.quantity) for r in own]
        if (depot_id, booking.date) in old_days:
            _day_need_write(depot_id, booking.date, rows)
        elif own:
            # The day's summary is the others' (the booking held nothing there): only the rows
            # of the booking's wagon and kit types change, none goes.
            _day_need_upsert(
                depot_id, booking.date, rows, {(r.kit_type_id, booking.wagon_id) for r in own}
            )
    day_needs_refresh(old_days - {(depot_id, booking.date)}, booking=booking, counts=False)


@dataclass
class DayRows:
    """One depot-day as a decision on one booking reads it under the day lock (`day_rows`):
    what the others hold there (`held`, live waiting-list offers included), the other reserving
    bookings' stop rows its summary is made of (`others`), and the depot-days where the booking
    itself holds reservations (`own_days`)."""

    depot_id: int | None
    date: dt.date
    booking_id: int
    held: "DayHeld"
    others: list[tuple[int, int | None, int]]
    own_days: set[tuple[int, dt.date]]


def day_rows(*, depot_id: int | None, day: dt.date, booking_id: int) -> DayRows:
    """The depot-day's reservations and live holds, and the booking's own reservations, in one
    query: what confirming (or moving) one booking there reads of the kit pool. The same rule as
    `held(..., exclude=[booking_id])` (a test holds them equal), from the reservations rather
    than the summary; `reservations_write` takes it instead of reading again."""
    which = Q(depot_id=depot_id, date=day) & (
        Q(booking__status__in=Booking.RESERVING) | live_holds()
    ) | Q(booking_id=booking_id)
    own_days: set[tuple[int, dt.date]] = set()
    others: list[tuple[int, int | None, int]] = []
    counted: list[tuple[int, int | None, int]] = []
    for owner, depot, date, kt, wagon_id, offer_wagon_id, quantity in KitReservation.objects.filter(
        which
    ).values_list(
        "booking_id",
        "depot_id",
        "date",
        "kit_type_id",
        "booking__wagon_id",
        "waiting_entry__offer_wagon_id",
        "quantity",
    ):
        if owner == booking_id:
            own_days.add((depot, date))
        elif owner is None:
            # A live offer holds its kit as one more stop on the wagon it was offered.
            counted.append((kt, offer_wagon_id, quantity))
        else:
            others.append((kt, wagon_id, quantity))
            counted.append((kt, wagon_id, quantity))
    return DayRows(depot_id, day, booking_id, _held_of(counted), others, own_days)


@transaction.atomic
def reservations_release(*, booking: Booking) -> None:
    """Free the booking's kit (cancelled, declined, deleted): its days' summary follows."""
    days = reserved_days(booking)
    if not days:
        return
    lock_days(days)
    KitReservation.objects.filter(booking_id=booking.pk).delete()
    day_needs_refresh(days, booking=booking, counts=False)


@transaction.atomic
def reservations_recount(*, booking: Booking, counts: bool) -> None:
    """The booking's status moved into or out of the reserving ones while it keeps its
    reservations (returned → completed): the summary of its days follows `counts`."""
    days = reserved_days(booking)
    if days:
        lock_days(days)
        day_needs_refresh(days, booking=booking, counts=counts)


def reserved_days(booking: Booking) -> set[tuple[int, dt.date]]:
    return set(KitReservation.objects.filter(booking_id=booking.pk).values_list("depot_id", "date"))


# --- the per-day summary (KitDayNeed) -----------------------------------------------------------


def _summary(rows) -> dict[tuple[int, int | None], list[int]]:
    """{(kit_type_id, wagon_id): [needed, reserved]} from (kit_type_id, wagon_id, quantity)
    stop reservations of one depot-day: a wagon needs the maximum of its stops, bookings
    without a wagon add up."""
    per: dict[tuple[int, int | None], list[int]] = {}
    for kt, wagon_id, quantity in rows:
        entry = per.setdefault((kt, wagon_id), [0, 0])
        entry[0] = entry[0] + quantity if wagon_id is None else max(entry[0], quantity)
        entry[1] += quantity
    return per


def day_needs_refresh(
    pairs: Iterable[tuple[int | None, dt.date]], *, booking: Booking | None = None, counts=False
) -> None:
    """Rewrite the summary of the depot-days `pairs` from their reservations. `booking`: the
    booking being written, whose status and wagon in memory may not be saved yet — its
    reservations count (on `booking.wagon_id`) only if `counts`. Call under `lock_days`."""
    for depot_id, day in sorted({p for p in pairs if p[0] is not None}):
        qs = KitReservation.objects.filter(depot_id=depot_id, date=day)
        reserving = Q(booking__status__in=Booking.RESERVING)
        if booking is not None:
            reserving &= ~Q(booking_id=booking.pk)
            if counts:
                reserving |= Q(booking_id=booking.pk)
        rows = [
            (kt, booking.wagon_id if booking is not None and owner == booking.pk else w, q)
            for owner, kt, w, q in qs.filter(reserving).values_list(
                "booking_id", "kit_type_id", "booking__wagon_id", "quantity"
            )
        ]
        _day_need_write(depot_id, day, rows)


def _day_need_write(depot_id: int, day: dt.date, rows) -> None:
    """Replace one depot-day's summary by the one of `rows` (kit_type_id, wagon_id, quantity)."""
    KitDayNeed.objects.filter(depot_id=depot_id, date=day).delete()
    summary = _summary(rows)
    if summary:
        KitDayNeed.objects.bulk_create(
            KitDayNeed(
                depot_id=depot_id,
                date=day,
                kit_type_id=kt,
                wagon_id=wagon_id,
                needed=needed,
                reserved=reserved,
            )
            for (kt, wagon_id), (needed, reserved) in summary.items()
        )


def _day_need_upsert(depot_id: int, day: dt.date, rows, keys: set[tuple[int, int | None]]):
    """Write the summary rows `keys` ((kit_type_id, wagon_id), one wagon or all None) of one
    depot-day, as `_day_need_write` would compute them from `rows`, in one upsert; the day's
    other rows stay. For a day whose summary only grows (a booking that held nothing there)."""
    summary = _summary(rows)
    [wagon_id] = {w for _kt, w in keys}
    table = KitDayNeed._meta.db_table
    target = (
        "(depot_id, date, kit_type_id) WHERE wagon_id IS NULL"
        if wagon_id is None
        else "(depot_id, date, kit_type_id, wagon_id) WHERE wagon_id IS NOT NULL"
    )
    values = sorted((kt, *summary[(kt, w)]) for kt, w in keys)
    date = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (depot_id, date, kit_type_id, wagon_id, needed, reserved) "
            f"VALUES {', '.join(['(%s, %s, %s, %s, %s, %s)'] * len(values))} "
            f"ON CONFLICT {target} DO UPDATE SET needed = EXCLUDED.needed, "
            "reserved = EXCLUDED.reserved",
            [
                v
                for kt, needed, reserved in values
                for v in (depot_id, date, kt, wagon_id, needed, reserved)
            ],
        )


def day_needs_recomputed(depot_ids: Iterable[int] | None = None) -> set[tuple]:
    """The summary as it must be, from the reservations: {(depot_id, date, kit_type_id,
    wagon_id, needed, reserved)}."""
    qs = KitReservation.objects.filter(booking__status__in=Booking.RESERVING)
    if depot_ids is not None:
        qs = qs.filter(depot_id__in=list(depot_ids))
    days: dict[tuple, list] = defaultdict(list)
    for depot_id, day, kt, wagon_id, quantity in qs.values_list(
        "depot_id", "date", "kit_type_id", "booking__wagon_id", "quantity"
    ):
        days[(depot_id, day)].append((kt, wagon_id, quantity))
    return {
        (depot_id, day, kt, wagon_id, needed, reserved)
        for (depot_id, day), rows in days.items()
        for (kt, wagon_id), (needed, reserved) in _summary(rows).items()
    }


def day_needs_stored(depot_ids: Iterable[int] | None = None) -> set[tuple]:
    qs = KitDayNeed.objects.all()
    if depot_ids is not None:
        qs = qs.filter(depot_id__in=list(depot_ids))
    return set(qs.values_list("depot_id", "date", "kit_type_id", "wagon_id", "needed", "reserved"))


@transaction.atomic
def day_needs_rebuild() -> None:
    """Rebuild the whole summary from the reservations (after bulk loads; never needed by the
    services, which keep it current)."""
    KitDayNeed.objects.all().delete()
    KitDayNeed.objects.bulk_create(
        (
            KitDayNeed(
                depot_id=depot_id,
                date=day,
                kit_type_id=kt,
                wagon_id=wagon_id,
                needed=needed,
                reserved=reserved,
            )
            for depot_id, day, kt, wagon_id, needed, reserved in day_needs_recomputed()
        ),
        batch_size=2000,
    )


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
    """{(depot_id, date): DayHeld} from the summary in one query; `exclude`: booking ids left
    out (the booking being decided) — their days, and the days where a waiting-list offer holds
    kit (holds expire without a write, so the summary leaves them out), are summed from the
    reservations instead (one or two more queries)."""
    depot_ids = list(depot_ids)
    dates = None if dates is None else list(dates)
    qs = _in_range(KitDayNeed.objects.filter(depot_id__in=depot_ids), date_from, date_to, dates)
    redo = excluded_days(
        depot_ids=depot_ids, date_from=date_from, date_to=date_to, dates=dates, exclude=exclude
    )
    result: dict[tuple[int, dt.date], DayHeld] = defaultdict(DayHeld)
    rows = qs.values_list("depot_id", "date", "kit_type_id", "wagon_id", "needed", "reserved")
    for depot_id, day, kt, wagon_id, needed, reserved in rows:
        if (depot_id, day) in redo:
            continue
        _add(result[(depot_id, day)], kt, wagon_id, needed, reserved)
    if redo:
        result.update(held_from_reservations(redo, exclude=exclude))
    return result


def _in_range(qs, date_from, date_to, dates):
    if dates is not None:
        qs = qs.filter(date__in=dates)
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    return qs


def _add(day_held: DayHeld, kt: int, wagon_id: int | None, needed: int, reserved: int) -> None:
    if wagon_id is None:
        day_held.loose[kt] = day_held.loose.get(kt, 0) + needed
    else:
        day_held.wagons.setdefault(wagon_id, {})[kt] = needed
    day_held.stops[kt] = day_held.stops.get(kt, 0) + reserved


def excluded_days(
    *, depot_ids, date_from=None, date_to=None, dates=None, exclude: Iterable[int] = ()
) -> set[tuple[int, dt.date]]:
    """The depot-days in range that the summary can't answer: where the `exclude`d bookings
    hold kit, and where a live waiting-list offer holds kit (one query)."""
    exclude = [pk for pk in exclude if pk is not None]
    # Only the few rows of live offers and excluded bookings, found by their own indexes, and
    # narrowed to the depots and range here: filtered in SQL, the planners walk the depot-date
    # index instead (a year of a national depot: 600,000 reservations).
    which = Q(waiting_entry_id__in=live_offers().values("pk"))
    if exclude:
        which |= Q(booking_id__in=exclude)
    depot_ids = set(depot_ids)
    dates = None if dates is None else set(dates)
    return {
        (depot_id, day)
        for depot_id, day in KitReservation.objects.filter(which).values_list("depot_id", "date")
        if depot_id in depot_ids
        and (dates is None or day in dates)
        and (date_from is None or day >= date_from)
        and (date_to is None or day <= date_to)
    }


def held_from_reservations(
    pairs: set[tuple[int, dt.date]], *, exclude: Iterable[int]
) -> dict[tuple[int, dt.date], DayHeld]:
    qs = KitReservation.objects.filter(
        Q(booking__status__in=Booking.RESERVING) | live_holds(),
        depot_id__in={d for d, _day in pairs},
        date__in={day for _d, day in pairs},
    ).exclude(booking_id__in=[pk for pk in exclude if pk is not None])
    days: dict[tuple, list] = defaultdict(list)
    # A live offer holds its kit as one more stop on the wagon it was offered (or on its own).
    for depot_id, day, kt, wagon_id, quantity in qs.values_list(
        "depot_id",
        "date",
        "kit_type_id",
        Coalesce("booking__wagon_id", "waiting_entry__offer_wagon_id"),
        "quantity",
    ):
        if (depot_id, day) in pairs:
            days[(depot_id, day)].append((kt, wagon_id, quantity))
    result = {pair: DayHeld() for pair in pairs}
    for pair, rows in days.items():
        result[pair] = _held_of(rows)
    return result


def _held_of(rows) -> "DayHeld":
    """A depot-day's DayHeld from its (kit_type_id, wagon_id, quantity) stop rows."""
    day_held = DayHeld()
    for (kt, wagon_id), (needed, reserved) in _summary(rows).items():
        _add(day_held, kt, wagon_id, needed, reserved)
    return day_held


def need_by_day(
    *,
    depot_id: int,
    date_from: dt.date,
    date_to: dt.date,
    need: KitNeed,
    available: dict,
    saved: bool = True,
) -> dict[dt.date, "RangeDay"]:
    """For availability over a range, from the summary of the kit types of `need` only, in one
    query: per day and wagon what a stop there reuses of the visit (`saved`), and only for the
    *tight* days — where the depot's need of some kit type leaves less than the visit needs
    (`fit_limits`), so the visit may not fit everywhere — the wagons' units themselves. On the
    other days the visit fits on every wagon. Days without rows are absent. `saved=False`: no
    `saved` (a caller that doesn't rank the wagons saves a pass over the range).

    Plain SQL, one CASE per summary row (a CASE column per kit type costs SQLite more than the
    rows themselves); the tight days group in the order of the (depot, date, kit type) index."""
    kit_types = sorted(need.kit)
    if not kit_types:
        return {}
    limits = dict(zip(kit_types, fit_limits(need, available), strict=True))
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    table = KitDayNeed._meta.db_table
    when = " ".join(["WHEN %s THEN %s"] * len(kit_types))
    where = (
        "depot_id = %s AND date >= %s AND date <= %s "
        f"AND kit_type_id IN ({', '.join(['%s'] * len(kit_types))})"
    )
    where_params = [depot_id, date_from, date_to, *kit_types]
    # A kit type the depot can't give even with nothing reserved makes every day tight.
    if all(limit >= 0 for limit in limits.values()):
        tight = (
            f"date IN (SELECT date FROM {table} WHERE {where} GROUP BY date, kit_type_id "
            f"HAVING SUM(needed) > CASE kit_type_id {when} END)"
        )
        tight_params = [*where_params, *(v for kt in kit_types for v in (kt, limits[kt]))]
        # The few tight days are looked up by date (not within the range: the planner would
        # walk the whole range again).
        rows_where = f"depot_id = %s AND kit_type_id IN ({', '.join(['%s'] * len(kit_types))})"
        rows_params = [depot_id, *kit_types]
    else:
        tight, tight_params = "1 = 1", []
        rows_where, rows_params = where, where_params
    sql = f"SELECT date, wagon_id, kit_type_id, needed FROM {table} WHERE {rows_where} AND {tight}"
    params = rows_params + tight_params
    if saved:
        sql = (
            f"SELECT date, wagon_id, NULL, SUM({least}(needed, CASE kit_type_id {when} END)) "
            f"FROM {table} WHERE {where} AND wagon_id IS NOT NULL GROUP BY date, wagon_id "
            f"UNION ALL {sql}"
        )
        params = [*(v for kt in kit_types for v in (kt, need.kit[kt])), *where_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    days: dict[dt.date, RangeDay] = {}
    for day, wagon_id, kt, units in rows:
        if isinstance(day, str):  # SQLite hands dates back as text
            day = dt.date.fromisoformat(day)
        range_day = days.get(day)
        if range_day is None:
            range_day = days[day] = RangeDay()
        if kt is None:
            range_day.saved[wagon_id] = units
        else:
            range_day.tight = True
            if units:
                _add(range_day.day_held, kt, wagon_id, units, 0)
    return days


class RangeDay:
    """One day of `need_by_day`: per wagon what a stop there reuses of the visit (`saved`), and
    on a tight day (`tight`) what the wagons (and the bookings without one) carry of the visit's
    kit types (`day_held`, as `held()` gives for these kit types)."""

    __slots__ = ("saved", "tight", "day_held")

    def __init__(self):
        self.saved: dict[int, int] = {}
        self.tight = False
        self.day_held = DayHeld()


def fit_limits(need: KitNeed, available: dict[int, int]) -> list[int]:
    """Per kit type of `need` (sorted), the depot need up to which the visit still fits."""
    return [available.get(kt, 0) - need.kit[kt] for kt in sorted(need.kit)]


def _live_offer(prefix: str = "") -> Q:
    """A waiting-list offer still holding its slot (the rule; `prefix`: the path to the entry)."""
    return Q(
        **{
            f"{prefix}status": WaitingEntry.Status.OFFERED,
            f"{prefix}offer_expires__gt": timezone.now(),
        }
    )


def live_offers():
    """Waiting-list offers still holding their slot."""
    return WaitingEntry.objects.filter(_live_offer())


def live_holds() -> Q:
    """Reservation rows of waiting-list offers still holding their slot."""
    return _live_offer("waiting_entry__")


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
        _("%(name)s: %(needed)s nodig, %(free)s vrij (van %(total)s beschikbaar).")
        % {"name": name, "needed": needed, "free": free, "total": total},
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


class LazyKitNames:
    """`kit_names` read on the first `get` (one query, only when a shortage is named)."""

    def __init__(self, kit_type_ids: Iterable[int]):
        self._ids = list(kit_type_ids)
        self._names: dict[int, str] | None = None

    def get(self, kit_type_id: int, default=None):
        if self._names is None:
            self._names = kit_names(self._ids)
        return self._names.get(kit_type_id, default)


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
