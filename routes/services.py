"""Every write rule for routes: create, edit stops, delete, and commit a planner proposal.

Routes may be saved while they have problems (a coordinator sees `feasible: false` and the reasons
and decides); what is refused outright is what makes no sense: a booking on a route of another
date, a declined or cancelled booking, the same booking twice.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from backend.core.dates import check_date_window
from backend.core.history import with_acting_user
from bookings.models import Booking
from bookings.reschedule import booking_reschedule, lock_days
from inventory.models import Wagon
from routes import planner
from routes.exceptions import RouteError
from routes.models import MAX_STOPS, Route, RouteStop

INACTIVE = (Booking.Status.DECLINED, Booking.Status.CANCELLED)


def _check_bookings(route: Route, bookings: list[Booking]) -> None:
    """Refuse what makes no sense on this route; the other routes are read once for all."""
    elsewhere = dict(
        RouteStop.objects.filter(booking__in=[b.pk for b in bookings])
        .exclude(route=route)
        .values_list("booking_id", "route_id")
    )
    for booking in bookings:
        if booking.status in INACTIVE:
            raise RouteError(
                f"{booking.reference} is {booking.get_status_display().lower()} en kan niet op een "
                "rit.",
                code="booking_inactive",
                booking=booking.pk,
            )
        if booking.date != route.date:
            raise RouteError(
                f"{booking.reference} staat op {booking.date:%Y-%m-%d}, de rit is op "
                f"{route.date:%Y-%m-%d}.",
                code="wrong_date",
                booking=booking.pk,
            )
        depot_id = booking.school.depot_id
        if depot_id is not None and depot_id != route.wagon.depot_id:
            raise RouteError(
                f"{booking.reference}: deze wagen rijdt niet vanuit het depot van de school.",
                code="wrong_depot",
                booking=booking.pk,
            )
        if booking.pk in elsewhere:
            raise RouteError(
                f"{booking.reference} staat al op een andere rit.",
                code="already_on_route",
                booking=booking.pk,
                route=elsewhere[booking.pk],
            )


def _assign_wagon(route: Route, booking: Booking, acting_user) -> None:
    """A booking on a wagon's route travels with that wagon."""
    if booking.wagon_id != route.wagon_id:
        booking_reschedule(
            booking=booking,
            date=booking.date,
            wagon=route.wagon,
            acting_user=acting_user,
            reason=f"op de rit van {route.wagon.name} gezet",
        )


def _write_positions(route: Route, bookings: list[Booking], acting_user) -> None:
    """Stops in the given order; positions move through a free range first (unique per route).
    A fixed number of statements for any number of stops: the moves are bulk updates and the new
    stops one insert, each with its history rows in one insert."""
    existing = {s.booking_id: s for s in route.stops.select_for_update()}
    wanted = [b.pk for b in bookings]
    for booking_id, stop in existing.items():
        if booking_id not in wanted:
            with_acting_user(stop, acting_user)
            stop.delete()
    offset = 1000
    kept = [stop for stop in existing.values() if stop.booking_id in wanted]
    parked = [stop for stop in kept if stop.position < offset]
    for stop in parked:
        stop.position += offset
    _update_positions(parked, acting_user)
    moved, added = [], []
    for position, booking in enumerate(bookings):
        stop = existing.get(booking.pk)
        if stop is None:
            added.append(
                with_acting_user(
                    RouteStop(route=route, booking=booking, position=position), acting_user
                )
            )
        elif stop.position != position:
            stop.position = position
            moved.append(stop)
    _update_positions(moved, acting_user)
    if added:
        bulk_create_with_history(added, RouteStop, default_user=_user(acting_user))


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _update_positions(stops: list[RouteStop], acting_user) -> None:
    if stops:
        for stop in stops:
            with_acting_user(stop, acting_user)
        bulk_update_with_history(stops, RouteStop, ["position"], default_user=_user(acting_user))


def _load_bookings(ids) -> list[Booking]:
    ids = list(ids)
    if len(set(ids)) != len(ids):
        raise ValidationError({"bookings": ["Een aanvraag staat twee keer in de lijst."]})
    found = Booking.objects.select_related("school", "wagon").in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({"bookings": [f"Onbekende aanvraag: {missing[0]}."]})
    return [found[i] for i in ids]


@transaction.atomic
def route_create(*, wagon: Wagon, date: dt.date, booking_ids, acting_user) -> Route:
    check_date_window(date, field="date")
    if Route.objects.filter(wagon=wagon, date=date).exists():
        raise RouteError(f"{wagon.name} heeft op {date:%Y-%m-%d} al een rit.", code="route_exists")
    route = with_acting_user(Route(wagon=wagon, date=date), acting_user, "aangemaakt")
    route.save()
    bookings = _load_bookings(booking_ids)
    _check_bookings(route, bookings)
    for booking in bookings:
        _assign_wagon(route, booking, acting_user)
    _write_positions(route, bookings, acting_user)
    return route


def _locked(route: Route) -> Route:
    return Route.objects.select_for_update().select_related("wagon").get(pk=route.pk)


@transaction.atomic
def route_reorder(*, route: Route, booking_ids, acting_user) -> Route:
    route = _locked(route)
    current = set(route.stops.values_list("booking_id", flat=True))
    ids = list(booking_ids)
    if set(ids) != current or len(ids) != len(current):
        raise ValidationError(
            {
                "bookings": [
                    "Geef precies de aanvragen die nu op de rit staan, in de nieuwe volgorde."
                ]
            }
        )
    _write_positions(route, _load_bookings(ids), acting_user)
    return route


@transaction.atomic
def route_add_stop(*, route: Route, booking: Booking, position: int | None, acting_user) -> Route:
    route = _locked(route)
    booking = Booking.objects.select_related("school", "wagon").get(pk=booking.pk)
    stops = list(route.stops.select_related("booking").order_by("position"))
    if any(s.booking_id == booking.pk for s in stops):
        raise RouteError(f"{booking.reference} staat al op deze rit.", code="already_on_route")
    if len(stops) >= MAX_STOPS:
        raise RouteError(
            f"Een rit heeft hoogstens {MAX_STOPS} stops.", code="too_many_stops", max=MAX_STOPS
        )
    _check_bookings(route, [booking])
    _assign_wagon(route, booking, acting_user)
    bookings = [s.booking for s in stops]
    position = len(bookings) if position is None else max(0, min(position, len(bookings)))
    bookings.insert(position, booking)
    _write_positions(route, bookings, acting_user)
    return route


@transaction.atomic
def route_remove_stop(*, route: Route, booking: Booking, acting_user) -> Route:
    route = _locked(route)
    stops = list(route.stops.select_related("booking").order_by("position"))
    if not any(s.booking_id == booking.pk for s in stops):
        raise RouteError("Deze aanvraag staat niet op deze rit.", code="not_on_route")
    _write_positions(route, [s.booking for s in stops if s.booking_id != booking.pk], acting_user)
    return route


@transaction.atomic
def route_delete(*, route: Route, acting_user) -> None:
    route = _locked(route)
    for stop in route.stops.all():
        with_acting_user(stop, acting_user)
        stop.delete()
    with_acting_user(route, acting_user, "verwijderd")
    route.delete()


ACTIVE = ("requested", "confirmed", "packed", "on_site")


@dataclass(frozen=True)
class PlanOutcome:
    """A tour plan: the planner's result, the routes saved (empty for a proposal) and the
    bookings it moves (`booking`, `from_date`, `to_date`, `from_wagon`, `to_wagon`)."""

    result: planner.Plan
    routes: list[Route]
    moved: list[dict]


def _positions(date_from: dt.date, today: dt.date) -> dict[int, tuple]:
    return {
        b.pk: (b.date, b.wagon_id)
        for b in Booking.objects.filter(status__in=ACTIVE, date__gte=min(today, date_from)).only(
            "id", "date", "wagon_id"
        )
    }


def _moves(result: planner.Plan, before: dict[int, tuple]) -> list[dict]:
    moved = []
    for planned in result.routes:
        for bid in planned.booking_ids:
            old_date, old_wagon = before.get(bid, (None, None))
            if old_date != planned.date or old_wagon != planned.wagon_id:
                moved.append(
                    {
                        "booking": bid,
                        "from_date": old_date,
                        "to_date": planned.date,
                        "from_wagon": old_wagon,
                        "to_wagon": planned.wagon_id,
                    }
                )
    return moved


def plan_propose(
    *,
    wagons: list[Wagon],
    date_from: dt.date,
    date_to: dt.date,
    today: dt.date,
    allow_moves: bool,
    time_limit: float | None = None,
) -> PlanOutcome:
    """A plan for the wagons in the period, nothing saved: what `plan_commit` would do now."""
    before = _positions(date_from, today)
    result = planner.plan(
        wagons=wagons,
        date_from=date_from,
        date_to=date_to,
        today=today,
        allow_moves=allow_moves,
        time_limit=time_limit,
    )
    return PlanOutcome(result=result, routes=[], moved=_moves(result, before))


@transaction.atomic
def plan_commit(
    *,
    wagons: list[Wagon],
    date_from: dt.date,
    date_to: dt.date,
    today: dt.date,
    allow_moves: bool,
    acting_user,
    time_limit: float | None = None,
) -> PlanOutcome:
    """Plan under the depot-day locks and save the result, so no confirmation can slip in
    between the plan and its routes. Replaces the planned wagons' routes in the period."""
    depots = sorted({w.depot_id for w in wagons})
    days = [date_from + dt.timedelta(days=i) for i in range((date_to - date_from).days + 1)]
    lock_days([(d, day) for d in depots for day in days])
    before = _positions(date_from, today)
    result = planner.plan(
        wagons=wagons,
        date_from=date_from,
        date_to=date_to,
        today=today,
        allow_moves=allow_moves,
        time_limit=time_limit,
    )
    wagon_by_id = {w.pk: w for w in wagons}
    for route in Route.objects.filter(
        wagon__in=wagons, date__gte=date_from, date__lte=date_to
    ).select_for_update():
        route_delete(route=route, acting_user=acting_user)
    placed = [bid for r in result.routes for bid in r.booking_ids]
    # A placed booking may sit on an older route elsewhere (another period): take it off.
    for stop in RouteStop.objects.filter(booking_id__in=placed).select_related("route"):
        route_remove_stop(route=stop.route, booking=stop.booking, acting_user=acting_user)
    bookings = Booking.objects.select_related("school", "wagon").in_bulk(placed)
    saved = []
    for planned in result.routes:
        wagon = wagon_by_id[planned.wagon_id]
        for bid in planned.booking_ids:
            booking = bookings[bid]
            if booking.date != planned.date or booking.wagon_id != wagon.pk:
                bookings[bid] = booking_reschedule(
                    booking=booking,
                    date=planned.date,
                    wagon=wagon,
                    acting_user=acting_user,
                    reason="verplaatst door de tourplanner",
                    check_availability=False,
                )
        route = with_acting_user(
            Route(wagon=wagon, date=planned.date), acting_user, "door de tourplanner"
        )
        route.save()
        _write_positions(route, [bookings[bid] for bid in planned.booking_ids], acting_user)
        saved.append(route)
    return PlanOutcome(result=result, routes=saved, moved=_moves(result, before))
