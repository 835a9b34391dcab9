"""The tour planner: which booking on which wagon-day, in which order (issue 6, API.md routes).

Two levels, each solved exactly where that is cheap and by a real solver where it is not:

1. Inside one wagon-day (a handful of stops) the best order is found exactly with Held-Karp
   dynamic programming over (visited set, last stop). A stop's times are fixed by its sessions,
   so whether a leg i → j fits depends only on i and j, and the DP is exact.
2. Across days, every feasible stop set of every wagon-day is a column (its best order, its driving
   minutes); OR-Tools CP-SAT picks at most one column per wagon-day and each booking at most once,
   with the depot's kit pool per day as a capacity constraint, under a time limit.

Objective, lexicographic through weights: (1) serve as many bookings as possible — bookings that
are already packed or on site first, then confirmed ones; (2) among equal counts prefer primary
schools, then bookings requested earlier; (3) minimise total driving minutes.

The kit pool is counted as booking confirmation counts it (`bookings.kit.pool`, PRODUCT.md rule
1: a wagon-day needs the maximum over its stops, the depot the sum over its wagon-days), so a
committed plan never breaks a later confirmation.

`build_problem` reads the database; `solve` is pure. OR-Tools (~90 MB) is imported inside `solve`,
so only the process that actually plans (a planning job, routes/jobs.py) pays for it.

The same problem gives the same plan: CP-SAT runs with a fixed seed and interleaved (deterministic)
search, and stops on a deterministic-time budget sized to the problem; the wall-clock limit
(`TW_PLANNER_TIME_LIMIT`) is only a safety net that a normal run never reaches.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from bookings.calendar_rules import (
    blackouts_filter,
    closed_day_reasons,
    earliest_bookable,
    programmes_by_id,
)
from bookings.kit import pool
from bookings.models import Blackout, Booking
from bookings.selectors import bookings_with_details, kit_need_for
from inventory.selectors import available_counts_by_depot
from routes import timing
from routes.travel import TravelModel, get_travel_model

Status = Booking.Status
PLANNABLE = (Status.REQUESTED, Status.CONFIRMED, Status.PACKED, Status.ON_SITE)
FIXED = (Status.PACKED, Status.ON_SITE)
MAX_COLUMNS_PER_DAY = 5000
MAX_RANGE_DAYS = 92


@dataclass
class PlanBooking:
    id: int
    stop: timing.StopInput
    options: list[tuple[int, dt.date]]  # (wagon_id, date) it may be placed on
    need: dict[int, int]
    tier: int  # 0 fixed (packed/on site), 1 confirmed, 2 requested
    primary: bool
    created: dt.datetime | None
    current: tuple[int | None, dt.date] = (None, dt.date.min)
    rejected: list[dict] = field(default_factory=list)  # why other dates/wagons were not options


@dataclass
class PlanWagon:
    id: int
    depot_id: int
    day: timing.WagonDay


@dataclass
class Problem:
    wagons: dict[int, PlanWagon]
    days: list[dt.date]
    bookings: list[PlanBooking]
    capacity: dict[tuple[int, dt.date], dict[int, int]]  # free units per depot-day
    travel: TravelModel
    # Kit a wagon already carries that day for bookings outside the plan (its stops reuse it).
    on_board: dict[tuple[int, dt.date], dict[int, int]] = field(default_factory=dict)


@dataclass
class PlannedRoute:
    wagon_id: int
    date: dt.date
    booking_ids: list[int]
    drive_minutes: int


@dataclass
class Plan:
    routes: list[PlannedRoute]
    unplanned: list[dict]
    served: int
    total_drive_minutes: int
    status: str
    wall_seconds: float = 0.0
    solve_seconds: float = 0.0  # of which CP-SAT (the rest: building the day routes)


# --- inside one wagon-day -------------------------------------------------------------------


class Legs:
    """Driving minutes between points, memoised (the travel model may be a remote service)."""

    def __init__(self, travel: TravelModel):
        self.travel = travel
        self.cache: dict[tuple, int] = {}

    def minutes(self, a, b) -> int:
        key = (a, b)
        if key not in self.cache:
            self.cache[key] = self.travel.leg(a, b).minutes
        return self.cache[key]


def fits_alone(stop: timing.StopInput, day: timing.WagonDay, legs: Legs, parking: int) -> bool:
    return best_order([stop], day, legs, parking) is not None


def best_order(stops, day: timing.WagonDay, legs: Legs, parking: int):
    """(driving minutes, stops in order) of the shortest feasible route through all `stops`, or
    None when no order fits. Held-Karp over (set, last stop); exact."""
    n = len(stops)
    if n == 0:
        return 0, []
    if n > day.max_visits:
        return None
    for s in stops:
        if s.start < s.school_day_start or s.end > s.school_day_end:
            return None
    arrive = [s.start - day.setup for s in stops]
    depart = [s.end + day.teardown for s in stops]
    dp: dict[tuple[int, int], tuple[int, tuple]] = {}
    for i, s in enumerate(stops):
        drive = legs.minutes(day.depot, s.point)
        if arrive[i] - parking - drive >= day.work_start:
            dp[(1 << i, i)] = (drive, (i,))
    for size in range(1, n):
        for (mask, last), (cost, path) in list(dp.items()):
            if bin(mask).count("1") != size:
                continue
            for j in range(n):
                if mask & (1 << j):
                    continue
                drive = legs.minutes(stops[last].point, stops[j].point)
                if depart[last] + drive + parking > arrive[j]:
                    continue
                key = (mask | (1 << j), j)
                if key not in dp or dp[key][0] > cost + drive:
                    dp[key] = (cost + drive, (*path, j))
    full = (1 << n) - 1
    best = None
    for last in range(n):
        if (full, last) not in dp:
            continue
        cost, path = dp[(full, last)]
        back = legs.minutes(stops[last].point, day.depot)
        if depart[last] + back > day.work_end:
            continue
        if best is None or cost + back < best[0]:
            best = (cost + back, [stops[i] for i in path])
    return best


def column_kit(members, on_board: dict) -> dict[int, int]:
    """What a wagon-day's stops add to the depot's need (PRODUCT.md rule 1): per kit type the
    maximum over the stops (one load serves them all), less what the wagon carries already."""
    need: dict[int, int] = {}
    for b in members:
        for kt, n in b.need.items():
            need[kt] = max(need.get(kt, 0), n)
    return {kt: max(n - on_board.get(kt, 0), 0) for kt, n in need.items()}


def _columns(
    cands: list[PlanBooking], day: timing.WagonDay, cap: dict, legs, parking, on_board=None
):
    """Every feasible stop set of one wagon-day with its best order: [(ids, drive, order)].

    Supersets of an infeasible set are infeasible too (driving times keep the triangle
    inequality, and the kit and visit limits only tighten), so the search stops extending it."""
    cands = sorted(cands, key=lambda b: (b.stop.start, b.id))
    columns = []

    def kit_ok(members):
        return all(n <= cap.get(kt, 0) for kt, n in column_kit(members, on_board or {}).items())

    def extend(start: int, members: list[PlanBooking]):
        for k in range(start, len(cands)):
            if len(columns) >= MAX_COLUMNS_PER_DAY:
                return
            chosen = [*members, cands[k]]
            if len(chosen) > day.max_visits or not kit_ok(chosen):
                continue
            found = best_order([b.stop for b in chosen], day, legs, parking)
            if found is None:
                continue
            drive, order = found
            columns.append(([b.id for b in chosen], drive, [s.booking_id for s in order]))
            extend(k + 1, chosen)

    extend(0, [])
    return columns


# --- across days: CP-SAT --------------------------------------------------------------------


def _priority(bookings: list[PlanBooking]) -> dict[int, int]:
    """Higher is more important: primary schools, then earlier requests (ties by id)."""
    ranked = sorted(
        bookings,
        key=lambda b: (not b.primary, b.created or dt.datetime.max.replace(tzinfo=dt.UTC), b.id),
    )
    return {b.id: len(ranked) - i for i, b in enumerate(ranked)}


def solver_workers() -> int:
    """Solver threads: the cores this process may use, never more (8 threads on 2 cores only
    thrash)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def deterministic_budget(columns: int) -> float:
    """CP-SAT's deterministic time for a problem of this many columns: small problems are solved
    to optimality long before it; 200 requests on 4 wagons (thousands of columns) get the cap."""
    return min(8.0, 1.0 + columns / 1000)


def _greedy(columns, weight: dict, problem: Problem, by_id: dict) -> set[int]:
    """Columns picked best-value-first where the wagon-day, the bookings and the depot's kit pool
    still allow them: a feasible plan in one pass."""
    order = sorted(
        range(len(columns)),
        key=lambda i: (-(sum(weight[b] for b in columns[i][2]) - columns[i][3]), i),
    )
    used_days, used_bookings, chosen = set(), set(), set()
    used_kit: dict[tuple, dict[int, int]] = {}
    for i in order:
        wagon_id, day, ids, _drive, _order = columns[i]
        if (wagon_id, day) in used_days or used_bookings.intersection(ids):
            continue
        depot_id = problem.wagons[wagon_id].depot_id
        adds = column_kit([by_id[b] for b in ids], problem.on_board.get((wagon_id, day), {}))
        cap = problem.capacity.get((depot_id, day), {})
        taken = used_kit.setdefault((depot_id, day), {})
        if any(n > 0 and taken.get(kt, 0) + n > cap.get(kt, 0) for kt, n in adds.items()):
            continue
        for kt, n in adds.items():
            if n > 0:
                taken[kt] = taken.get(kt, 0) + n
        used_days.add((wagon_id, day))
        used_bookings.update(ids)
        chosen.add(i)
    return chosen


def configure_solver(parameters, *, columns: int, time_limit: float | None) -> None:
    limit = (
        time_limit if time_limit is not None else getattr(settings, "TW_PLANNER_TIME_LIMIT", 120)
    )
    parameters.max_time_in_seconds = float(limit)
    parameters.max_deterministic_time = deterministic_budget(columns)
    parameters.num_workers = solver_workers()
    # Interleaved search: the subsolvers take turns in a fixed order, so the answer does not
    # depend on thread timing.
    parameters.interleave_search = True
    parameters.random_seed = 1


def solve(problem: Problem, *, time_limit: float | None = None) -> Plan:
    import time

    from ortools.sat.python import cp_model

    started = time.monotonic()
    legs = Legs(problem.travel)
    parking = problem.travel.parking_minutes
    by_id = {b.id: b for b in problem.bookings}
    per_day: dict[tuple[int, dt.date], list[PlanBooking]] = {}
    for b in problem.bookings:
        for wagon_id, day in b.options:
            per_day.setdefault((wagon_id, day), []).append(b)

    columns = []  # (wagon_id, date, ids, drive, order)
    for (wagon_id, day), cands in sorted(per_day.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        wagon = problem.wagons[wagon_id]
        cap = problem.capacity.get((wagon.depot_id, day), {})
        on_board = problem.on_board.get((wagon_id, day), {})
        for ids, drive, order in _columns(cands, wagon.day, cap, legs, parking, on_board):
            columns.append((wagon_id, day, ids, drive, order))

    model = cp_model.CpModel()
    x = [model.NewBoolVar(f"c{i}") for i in range(len(columns))]
    by_wagon_day: dict[tuple, list[int]] = {}
    by_booking: dict[int, list[int]] = {}
    for i, (wagon_id, day, ids, _drive, _order) in enumerate(columns):
        by_wagon_day.setdefault((wagon_id, day), []).append(i)
        for bid in ids:
            by_booking.setdefault(bid, []).append(i)
    for idx in by_wagon_day.values():
        model.AddAtMostOne(x[i] for i in idx)
    served = {}
    for bid, idx in by_booking.items():
        served[bid] = model.NewBoolVar(f"b{bid}")
        model.Add(sum(x[i] for i in idx) == served[bid])
    # The depot's kit pool per day: the sum over its wagon-days (at most one column each).
    pool_terms: dict[tuple[int, dt.date], dict[int, list]] = {}
    for i, (wagon_id, day, ids, _drive, _order) in enumerate(columns):
        depot_id = problem.wagons[wagon_id].depot_id
        adds = column_kit([by_id[bid] for bid in ids], problem.on_board.get((wagon_id, day), {}))
        for kt, n in adds.items():
            if n > 0:
                pool_terms.setdefault((depot_id, day), {}).setdefault(kt, []).append((n, x[i]))
    for key, per_kit in pool_terms.items():
        cap = problem.capacity.get(key, {})
        for kt, terms in per_kit.items():
            if sum(n for n, _ in terms) > cap.get(kt, 0):
                model.Add(sum(n * var for n, var in terms) <= cap.get(kt, 0))

    priority = _priority(problem.bookings)
    max_drive = sum(
        max(columns[i][3] for i in idx) for idx in by_wagon_day.values()
    )  # an upper bound on any solution's driving
    c_priority = max_drive + 1
    c_count = (sum(priority.values()) + 1) * c_priority
    c_tier = (len(problem.bookings) + 1) * c_count
    weight = {}
    for bid in served:
        b = by_id[bid]
        weight[bid] = c_count + priority[bid] * c_priority + (2 - b.tier) * c_tier
    model.Maximize(
        sum(weight[bid] * var for bid, var in served.items())
        - sum(columns[i][3] * x[i] for i in range(len(columns)))
    )
    # A greedy plan as the solver's starting point: with it CP-SAT has a good answer from the
    # first moment, so stopping on the budget never leaves a large problem with none.
    chosen = _greedy(columns, weight, problem, by_id)
    for i, var in enumerate(x):
        model.AddHint(var, i in chosen)
    placed_hint = {bid for i in chosen for bid in columns[i][2]}
    for bid, var in served.items():
        model.AddHint(var, bid in placed_hint)
    solver = cp_model.CpSolver()
    configure_solver(solver.parameters, columns=len(columns), time_limit=time_limit)
    solve_started = time.monotonic()
    status = solver.Solve(model)
    solve_seconds = time.monotonic() - solve_started
    status_name = solver.StatusName(status).lower()
    routes, placed = [], set()
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for i, (wagon_id, day, ids, drive, order) in enumerate(columns):
            if solver.Value(x[i]):
                routes.append(PlannedRoute(wagon_id, day, order, drive))
                placed.update(ids)
    routes.sort(key=lambda r: (r.date, r.wagon_id))
    unplanned = [
        _why_unplanned(b, has_column=b.id in by_booking)
        for b in problem.bookings
        if b.id not in placed
    ]
    return Plan(
        routes=routes,
        unplanned=unplanned,
        served=len(placed),
        total_drive_minutes=sum(r.drive_minutes for r in routes),
        status=status_name,
        wall_seconds=round(time.monotonic() - started, 3),
        solve_seconds=round(solve_seconds, 3),
    )


def _why_unplanned(b: PlanBooking, *, has_column: bool) -> dict:
    if has_column:
        return {
            "booking": b.id,
            "code": "no_capacity",
            "reason": "Op de toegestane data is de wagen al vol of is het materiaal nodig voor "
            "andere bezoeken.",
        }
    if b.options:
        return {
            "booking": b.id,
            "code": "does_not_fit",
            "reason": "Het bezoek past op geen van de toegestane data in de werkdag van de wagen "
            "of in de materiaalvoorraad.",
            "details": b.rejected,
        }
    if not b.rejected:
        return {
            "booking": b.id,
            "code": "no_date_in_range",
            "reason": "Geen van de gewenste data valt in de gekozen periode.",
        }
    return {
        "booking": b.id,
        "code": "no_open_date",
        "reason": "Alle gewenste data zijn gesloten: "
        + " ".join(sorted({r["detail"] for r in b.rejected})),
        "details": b.rejected,
    }


# --- from the database ------------------------------------------------------------------------


def _parse_dates(values) -> list[dt.date]:
    dates = []
    for value in values or []:
        try:
            dates.append(dt.date.fromisoformat(str(value)))
        except ValueError:
            continue
    return dates


def build_problem(
    *,
    wagons,
    date_from: dt.date,
    date_to: dt.date,
    today: dt.date,
    allow_moves: bool = False,
    travel: TravelModel | None = None,
) -> Problem:
    travel = travel or get_travel_model()
    wagons = [w for w in wagons if w.active]
    plan_wagons = {w.pk: PlanWagon(w.pk, w.depot_id, timing.wagon_day(w)) for w in wagons}
    wagon_ids = set(plan_wagons)
    depots = {w.depot_id for w in wagons}
    days = [date_from + dt.timedelta(days=i) for i in range((date_to - date_from).days + 1)]
    day_set = set(days)
    rows = bookings_with_details().filter(status__in=PLANNABLE, date__gte=min(today, date_from))
    rows = list(
        rows.filter(Q(school__depot_id__in=depots) | Q(wagon_id__in=wagon_ids)).order_by("id")
    )
    # Each school's programme sets its holidays, lead time and programme-wide closed days.
    programmes = programmes_by_id({b.school.programme_id for b in rows})
    blackouts = list(
        Blackout.objects.filter(date_from__lte=date_to, date_to__gte=date_from).filter(
            blackouts_filter(
                programme_ids=programmes,
                wagon_ids=wagon_ids,
                school_ids={b.school_id for b in rows},
            )
        )
    )
    bookings = []
    for booking in rows:
        programme = programmes.get(booking.school.programme_id)
        earliest_move = earliest_bookable(today, programme)
        # Pinned by the coordinator: its date, and its wagon when it has one, whatever allow_moves.
        pinned = booking.pinned
        fixed = booking.status in FIXED
        keep_wagon = fixed or (pinned and booking.wagon_id is not None)
        keep_date = fixed or pinned or (booking.status == Status.CONFIRMED and not allow_moves)
        if (booking.status != Status.REQUESTED or pinned) and booking.wagon_id not in wagon_ids:
            if booking.wagon_id is not None:
                continue  # confirmed on a wagon outside this plan: it stays where it is
        dates = [booking.date]
        if not keep_date:
            dates += [d for d in _parse_dates(booking.alternative_dates) if d != booking.date]
        in_range = [d for d in dates if d in day_set]
        if not in_range:
            continue  # nothing of this booking lies in the planned period
        if keep_wagon:
            eligible = [w for w in wagons if w.pk == booking.wagon_id]
        else:
            depot_id = pool.depot_of(booking)
            eligible = [w for w in wagons if depot_id is None or w.depot_id == depot_id]
        stop = timing.stop_input(booking)
        pb = PlanBooking(
            id=booking.pk,
            stop=stop,
            options=[],
            need=dict(kit_need_for(booking).kit),
            tier=0 if fixed else (1 if booking.status == Status.CONFIRMED else 2),
            primary="po" in (booking.school.school_types or []),
            created=booking.created,
            current=(booking.wagon_id, booking.date),
        )
        for day in in_range:
            if day != booking.date and day < earliest_move:
                pb.rejected.append(
                    {
                        "date": day.isoformat(),
                        "code": "lead_time",
                        "detail": f"{day:%Y-%m-%d} ligt binnen de aanvraagtermijn.",
                    }
                )
                continue
            if day < today:
                continue
            for wagon in eligible:
                reasons = [
                    r
                    for r in closed_day_reasons(
                        day=day,
                        region=booking.school.holiday_region,
                        today=today,
                        blackouts=blackouts,
                        wagon_ids=[wagon.pk],
                        programme=programme,
                        school_id=booking.school_id,
                    )
                    if r["code"] != "lead_time"
                ]
                if reasons:
                    for r in reasons:
                        pb.rejected.append({"date": day.isoformat(), "wagon": wagon.pk, **r})
                    continue
                pb.options.append((wagon.pk, day))
        bookings.append(pb)

    # Free units per depot-day: available items minus the need of bookings outside the plan
    # (bookings.kit.pool: per wagon the maximum over its stops); what a wagon already carries
    # that day serves the plan's stops on it too.
    planned_ids = [b.id for b in bookings]
    available = available_counts_by_depot()
    held = pool.held(depot_ids=depots, date_from=date_from, date_to=date_to, exclude=planned_ids)
    capacity: dict[tuple[int, dt.date], dict[int, int]] = {}
    on_board: dict[tuple[int, dt.date], dict[int, int]] = {}
    for depot_id in depots:
        for day in days:
            day_held = held.get((depot_id, day), pool.DayHeld())
            need = day_held.depot_need()
            free = dict(available.get(depot_id, {}))
            for kt, units in need.items():
                free[kt] = free.get(kt, 0) - units
            capacity[(depot_id, day)] = free
            for wagon_id, carried in day_held.wagons.items():
                on_board[(wagon_id, day)] = carried
    return Problem(
        wagons=plan_wagons,
        days=days,
        bookings=bookings,
        capacity=capacity,
        travel=travel,
        on_board=on_board,
    )


def plan(
    *,
    wagons,
    date_from: dt.date,
    date_to: dt.date,
    today: dt.date,
    allow_moves: bool = False,
    time_limit: float | None = None,
) -> Plan:
    problem = build_problem(
        wagons=wagons, date_from=date_from, date_to=date_to, today=today, allow_moves=allow_moves
    )
    return solve(problem, time_limit=time_limit)
