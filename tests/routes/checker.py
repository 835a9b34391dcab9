"""An independent feasibility checker and a brute-force planner for tests.

Written from the rules (PRODUCT.md rule 6, issue 6), not from the planner's code: it recomputes
times from the raw bookings, sessions and wagons and checks every rule itself. Only the travel
model (the project's shared distance function, not part of the planner) is reused.
"""

import datetime as dt
import itertools
import math
from collections import defaultdict

import holidays
from django.conf import settings
from django.db.models import Q

from bookings.models import Blackout, Booking, KitReservation
from inventory.models import Item, Wagon
from routes.travel import get_travel_model

PARKING = 10


def _m(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def visit_window(booking):
    sessions = list(booking.sessions.select_related("workshop"))
    start = min(_m(s.start_time) for s in sessions)
    end = max(_m(s.start_time) + s.workshop.duration_minutes for s in sessions)
    return start, end


def units_needed(booking) -> dict[int, int]:
    need: dict[int, int] = {}
    for s in booking.sessions.select_related("workshop"):
        for rule in s.workshop.kit_rules.select_related("kit_type"):
            units = rule.fixed if rule.fixed else math.ceil(s.pupils / rule.per_pupils)
            units += rule.kit_type.spare_units
            need[rule.kit_type_id] = max(need.get(rule.kit_type_id, 0), units)
    return need


class _SessionLegs:
    """Driving minutes between two points, computed once per test session: the travel model is a
    pure function of the points and settings, and brute force asks the same legs thousands of
    times."""

    def __init__(self):
        self.cache: dict[tuple, object] = {}
        self.models: dict[tuple, object] = {}

    def leg(self, a, b):
        # A test that overrides the travel settings gets legs of its own.
        config = (settings.TW_ROUTING_BACKEND, settings.TW_ROAD_FACTOR)
        key = (a, b, config)
        if key not in self.cache:
            if config not in self.models:
                self.models[config] = get_travel_model()
            self.cache[key] = self.models[config].leg(a, b)
        return self.cache[key]


_LEGS = _SessionLegs()


def day_drive(wagon: Wagon, bookings: list) -> int | None:
    """Driving minutes of `bookings` visited in this order, or None if the day breaks a rule."""
    travel = _LEGS
    depot = (float(wagon.depot_lat), float(wagon.depot_lon))
    if len(bookings) > wagon.max_visits_per_day:
        return None
    here, clock, total, first = depot, None, 0, True
    for b in bookings:
        start, end = visit_window(b)
        if start < _m(b.school.day_start) or end > _m(b.school.day_end):
            return None
        there = (float(b.school.lat), float(b.school.lon))
        drive = travel.leg(here, there).minutes
        must_be_parked = start - wagon.setup_minutes
        if first:
            if must_be_parked - PARKING - drive < _m(wagon.work_start):
                return None
            first = False
        elif clock + drive + PARKING > must_be_parked:
            return None
        total += drive
        clock = end + wagon.teardown_minutes
        here = there
    back = travel.leg(here, depot).minutes
    if bookings and clock + back > _m(wagon.work_end):
        return None
    return total + back if bookings else 0


def allowed_dates(booking: Booking, allow_moves=False) -> set[dt.date]:
    dates = {booking.date}
    if booking.status == "requested" or allow_moves:
        dates |= {dt.date.fromisoformat(d) for d in booking.alternative_dates}
    return dates


def day_is_open(day: dt.date, wagon: Wagon, region: str) -> bool:
    if day.weekday() >= 5:
        return False
    nl = holidays.NL(years=day.year, categories=("public",))
    school = holidays.NL(subdiv=region.capitalize(), years=day.year, categories=("school",))
    if day in nl or day in school:
        return False
    return not Blackout.objects.filter(
        Q(wagon=wagon) | Q(wagon__isnull=True), date_from__lte=day, date_to__gte=day
    ).exists()


def check_plan(routes: list[dict], *, allow_moves=False) -> list[str]:
    """Every broken rule in planner output (API shape), as readable strings."""
    errors = []
    seen = set()
    demand = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    planned = set()
    for route in routes:
        wagon = Wagon.objects.get(pk=route["wagon"])
        day = dt.date.fromisoformat(str(route["date"]))
        bookings = [Booking.objects.get(pk=s["booking"]) for s in route["stops"]]
        for b in bookings:
            if b.pk in seen:
                errors.append(f"{b.pk} planned twice")
            seen.add(b.pk)
            planned.add(b.pk)
            if day not in allowed_dates(b, allow_moves):
                errors.append(f"{b.pk} on {day}, not an allowed date")
            if not day_is_open(day, wagon, b.school.holiday_region):
                errors.append(f"{b.pk} on closed day {day}")
            # PRODUCT.md rule 1: a wagon carries one load a day, so a wagon-day needs the
            # maximum over its stops; the depot's need is the sum over its wagon-days.
            wagon_day = demand[(wagon.depot_id, day)][wagon.pk]
            for kt, n in units_needed(b).items():
                wagon_day[kt] = max(wagon_day[kt], n)
        if day_drive(wagon, bookings) is None:
            errors.append(f"route {wagon.pk} {day} breaks time or visit rules")
    for (depot_id, day), wagon_days in demand.items():
        for res in KitReservation.objects.filter(depot_id=depot_id, date=day).exclude(
            booking_id__in=planned
        ):
            if res.booking.status in Booking.RESERVING:
                key = res.booking.wagon_id or ("loose", res.booking_id)
                wagon_days[key][res.kit_type_id] = max(
                    wagon_days[key][res.kit_type_id], res.quantity
                )
        per_kit = defaultdict(int)
        for wagon_day in wagon_days.values():
            for kt, n in wagon_day.items():
                per_kit[kt] += n
        for kt, n in per_kit.items():
            have = Item.objects.filter(
                depot_id=depot_id, kit_type_id=kt, status="available"
            ).count()
            if n > have:
                errors.append(f"kit {kt} on {day}: {n} needed, {have} available")
    return errors


def brute_force(bookings: list[Booking], wagons: list[Wagon], days: list[dt.date]):
    """(max bookings served, least driving for that many) by trying every assignment."""
    bookings = [Booking.objects.select_related("school").get(pk=b.pk) for b in bookings]
    wagons = [Wagon.objects.get(pk=w.pk) for w in wagons]
    options = []
    for b in bookings:
        opts = [None]
        for w in wagons:
            for d in sorted(allowed_dates(b)):
                if d in days and day_is_open(d, w, b.school.holiday_region):
                    opts.append((w.pk, d))
        options.append(opts)
    wagon_by_id = {w.pk: w for w in wagons}
    pool = {}
    for w in wagons:
        for kt in {kt for b in bookings for kt in units_needed(b)}:
            pool[(w.depot_id, kt)] = Item.objects.filter(
                depot_id=w.depot_id, kit_type_id=kt, status="available"
            ).count()
    needs = {b.pk: units_needed(b) for b in bookings}
    cache: dict = {}

    def best_day(key, members):
        ck = (key, frozenset(m.pk for m in members))
        if ck not in cache:
            best = None
            for order in itertools.permutations(members):
                drive = day_drive(wagon_by_id[key[0]], list(order))
                if drive is not None and (best is None or drive < best):
                    best = drive
            cache[ck] = best
        return cache[ck]

    best = (0, 0)  # (served, -drive)
    for combo in itertools.product(*options):
        groups = defaultdict(list)
        for b, opt in zip(bookings, combo, strict=True):
            if opt is not None:
                groups[opt].append(b)
        served = sum(len(g) for g in groups.values())
        if served < best[0]:
            continue
        kit = defaultdict(int)
        for (wid, d), members in groups.items():
            for kt in {kt for m in members for kt in needs[m.pk]}:
                top = max(needs[m.pk].get(kt, 0) for m in members)  # one load per wagon-day
                kit[(wagon_by_id[wid].depot_id, d, kt)] += top
        if any(n > pool[(depot, kt)] for (depot, _d, kt), n in kit.items()):
            continue
        total = 0
        for key, members in groups.items():
            drive = best_day(key, members)
            if drive is None:
                break
            total += drive
        else:
            best = max(best, (served, -total))
    return best[0], -best[1]
