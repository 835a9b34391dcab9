"""Reads over routes: stops with their bookings, computed times and every problem of a day.

`evaluate_routes` judges any number of routes in a fixed number of queries: the calendar
(blackouts), the kit pool per depot-day (reserved units plus planned-but-unconfirmed stops against
the available items) are loaded once for all of them.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from bookings.calendar_rules import blackouts_filter, closed_day_reasons, programmes_by_id
from bookings.kit import pool
from bookings.models import Blackout, Booking
from bookings.selectors import bookings_with_details, kit_need_for
from inventory.models import Depot, KitType
from inventory.selectors import available_counts_by_depot
from routes import timing
from routes.models import Route, RouteStop
from routes.travel import TravelModel, get_travel_model

INACTIVE = (Booking.Status.DECLINED, Booking.Status.CANCELLED)


def need_of(booking):
    """Kit need of a booking with prefetched sessions, remembered on the instance."""
    need = getattr(booking, "_route_kit_need", None)
    if need is None:
        need = booking._route_kit_need = kit_need_for(booking)
    return need


def routes_with_stops():
    return Route.objects.select_related("wagon__depot").prefetch_related(
        Prefetch(
            "stops",
            queryset=RouteStop.objects.order_by("position").prefetch_related(
                Prefetch("booking", queryset=bookings_with_details())
            ),
        )
    )


@dataclass
class DayPlan:
    """A route's content, saved or only proposed: a wagon, a date and bookings in order."""

    wagon: object
    date: dt.date
    bookings: list
    id: int | None = None
    evaluation: dict = field(default_factory=dict)


def day_plan_of(route: Route) -> DayPlan:
    return DayPlan(
        wagon=route.wagon,
        date=route.date,
        bookings=[stop.booking for stop in route.stops.all()],
        id=route.pk,
    )


def _kit_pool_problems(plans: list[DayPlan]) -> dict[int, list[dict]]:
    """{index of plan: kit_shortage problems} for the depot-days the plans touch.

    PRODUCT.md rule 1 as `bookings.kit.pool` counts it: a depot's need on a day is the sum over
    its wagon-days of the maximum over their stops. The plans' stops count on the plans' wagons
    (moved or not yet confirmed); every other reserving booking on its own wagon. A plan's
    problem names, per kit type, `needed` its wagon-day need, `available` the units the other
    wagon-days leave free and `total` the depot's available items.
    """
    keys = {(p.wagon.depot_id, p.date) for p in plans}
    if not keys:
        return {}
    # (depot, date) -> wagon key -> {kit_type: units}
    days: dict[tuple[int, dt.date], dict] = defaultdict(lambda: defaultdict(dict))

    def add(key, wagon_key, kit_type_id, units):
        wagon_day = days[key][wagon_key]
        wagon_day[kit_type_id] = max(wagon_day.get(kit_type_id, 0), units)

    planned = set()
    for plan in plans:
        for booking in plan.bookings:
            if booking.status in INACTIVE or (booking.pk, plan.date) in planned:
                continue
            planned.add((booking.pk, plan.date))
            for kit_type_id, units in need_of(booking).kit.items():
                add((plan.wagon.depot_id, plan.date), plan.wagon.pk, kit_type_id, units)
    planned_ids = {booking_id for booking_id, _day in planned}
    for depot_id, day, kit_type_id, wagon_id, booking_id, quantity in pool.stop_rows(
        dates={d for _depot, d in keys}, exclude=planned_ids
    ):
        wagon_key = wagon_id if wagon_id is not None else ("loose", booking_id)
        add((depot_id, day), wagon_key, kit_type_id, quantity)
    available = available_counts_by_depot()
    names = dict(KitType.objects.values_list("id", "name"))
    result: dict[int, list[dict]] = defaultdict(list)
    for index, plan in enumerate(plans):
        key = (plan.wagon.depot_id, plan.date)
        mine = days[key].get(plan.wagon.pk, {})
        depot_need = pool.depot_need_of(days[key])
        for kit_type_id in sorted(mine):
            found = pool.shortage(
                kit_type_id=kit_type_id,
                needed=mine[kit_type_id],
                depot_need=depot_need.get(kit_type_id, 0) - mine[kit_type_id],
                total=available.get(plan.wagon.depot_id, {}).get(kit_type_id, 0),
                names=names,
            )
            if found:
                result[index].append(found)
    return result


def evaluate_plans(plans: list[DayPlan], *, travel: TravelModel | None = None) -> list[DayPlan]:
    """Fill each plan's `evaluation`: times (`timing.RouteTimes`), `problems`, `feasible`."""
    travel = travel or get_travel_model()
    if not plans:
        return plans
    lo = min(p.date for p in plans)
    hi = max(p.date for p in plans)
    wagon_ids = {p.wagon.pk for p in plans}
    # Each school's programme sets its calendar policy; a day without stops follows the wagon's.
    depot_programme = dict(
        Depot.objects.filter(pk__in={p.wagon.depot_id for p in plans}).values_list(
            "pk", "programme_id"
        )
    )
    schools = {b.school.pk: b.school for p in plans for b in p.bookings}
    programmes = programmes_by_id(
        {*depot_programme.values(), *(s.programme_id for s in schools.values())}
    )
    blackouts = list(
        Blackout.objects.filter(date_from__lte=hi, date_to__gte=lo).filter(
            blackouts_filter(programme_ids=programmes, wagon_ids=wagon_ids, school_ids=schools)
        )
    )
    kit_problems = _kit_pool_problems(plans)
    for index, plan in enumerate(plans):
        times = timing.compute(
            timing.wagon_day(plan.wagon), [timing.stop_input(b) for b in plan.bookings], travel
        )
        problems = list(times.problems)
        visited = sorted({b.school.pk: b.school for b in plan.bookings}.items())
        calendars = [
            (s.holiday_region, programmes.get(s.programme_id), pk) for pk, s in visited
        ] or [("", programmes.get(depot_programme.get(plan.wagon.depot_id)), None)]
        seen = set()
        for region, programme, school_id in calendars:
            for reason in closed_day_reasons(
                day=plan.date,
                region=region,
                today=plan.date,
                blackouts=blackouts,
                wagon_ids=[plan.wagon.pk],
                programme=programme,
                school_id=school_id,
            ):
                if reason["code"] == "lead_time" or reason["detail"] in seen:
                    continue
                seen.add(reason["detail"])
                problems.append(
                    {"code": "closed_day", "reason": reason["code"], "detail": reason["detail"]}
                )
        for booking in plan.bookings:
            if booking.date != plan.date:
                problems.append(
                    {
                        "code": "wrong_date",
                        "detail": f"{booking.reference} staat op {booking.date:%Y-%m-%d}.",
                        "booking": booking.pk,
                    }
                )
            if booking.status in INACTIVE:
                problems.append(
                    {
                        "code": "booking_inactive",
                        "detail": f"{booking.reference} is {booking.get_status_display().lower()}.",
                        "booking": booking.pk,
                    }
                )
        problems.extend(kit_problems.get(index, []))
        plan.evaluation = {"times": times, "problems": problems, "feasible": not problems}
    return plans


def route_data(plan: DayPlan) -> dict:
    """The API shape of a (saved or proposed) route."""
    ev = plan.evaluation
    times: timing.RouteTimes = ev["times"]
    bookings = {b.pk: b for b in plan.bookings}
    stops = []
    for stop in times.stops:
        booking = bookings[stop.booking_id]
        stops.append(
            {
                "booking": stop.booking_id,
                "reference": booking.reference,
                "school": booking.school_id,
                "school_name": booking.school.name,
                "address": f"{booking.school.address}, {booking.school.postcode} "
                f"{booking.school.city}",
                "status": booking.status,
                "position": stop.position,
                "arrive": timing.fmt(stop.arrive),
                "start": timing.fmt(stop.start),
                "end": timing.fmt(stop.end),
                "depart": timing.fmt(stop.depart),
                "drive_minutes_from_previous": stop.drive_minutes_from_previous,
                "km_from_previous": stop.km_from_previous,
            }
        )
    return {
        "id": plan.id,
        "wagon": plan.wagon.pk,
        "programme": plan.wagon.depot.programme_id,
        "date": plan.date,
        "stops": stops,
        "leave_depot": timing.fmt(times.leave_depot),
        "return_depot": timing.fmt(times.return_depot),
        "drive_minutes_to_depot": times.drive_minutes_to_depot,
        "km_to_depot": times.km_to_depot,
        "total_km": times.total_km,
        "total_drive_minutes": times.total_drive_minutes,
        "feasible": ev["feasible"],
        "problems": ev["problems"],
    }


def routes_data(routes) -> list[dict]:
    plans = evaluate_plans([day_plan_of(r) for r in routes])
    return [route_data(p) for p in plans]


def packing_totals(route: Route) -> dict:
    """Only the wagon-day's packing totals (kit, consumables, standard): what the day sheet
    prints, in a few grouped queries however many lines the stops hold."""
    from bookings.packing.selectors import packing_totals_for_wagon_day

    order = [stop.booking_id for stop in route.stops.all()]
    return packing_totals_for_wagon_day(wagon=route.wagon, date=route.date, bookings=order)


def packing_summary(route: Route) -> dict:
    """The wagon-day's packing list (bookings' packing lists combined, in route order)."""
    from bookings.packing.selectors import packing_list_for_wagon_day

    order = [stop.booking_id for stop in route.stops.all()]
    return packing_list_for_wagon_day(wagon=route.wagon, date=route.date, bookings=order)
