"""Benchmark: the tour planner against a greedy baseline on a realistic instance.

40 requests at the demo schools (Rotterdam and Deventer/Twello), each with 1–3 alternative dates,
2 wagons, 4 weeks. The planner (CP-SAT over exact day routes) and a greedy baseline (first come
first served on the first free allowed date, stops in nearest-neighbour order) are measured in the
same run on the same data; time to plan is the median of several runs.

Run: DEBUG=1 .venv/bin/python bench/bench_planner.py   (uses a throwaway SQLite file in /tmp)
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DB = "/tmp/tw_bench_planner.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402

REQUESTS = 40
RUNS = 5
TODAY = dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.UTC)  # plan the four weeks from 1 February


def setup() -> tuple[list, dt.date, dt.date]:
    from bookings.calendar_rules import closed_day_reasons
    from bookings.models import Booking, BookingSession, School, Workshop
    from bookings.selectors import need_for_workshops
    from inventory.models import Wagon
    from inventory.selectors import available_counts

    if os.path.exists(DB):
        os.remove(DB)
    call_command("migrate", verbosity=0)
    import bookings.demo
    import inventory.demo
    import programmes.demo

    programmes.demo.load()
    inventory.demo.load()
    bookings.demo.load()
    # Only the demo's kit, wagons and schools: its visits would be other weeks anyway.
    Booking.objects.all().delete()
    rng = random.Random(40)
    date_from = dt.date(2027, 2, 1)
    date_to = date_from + dt.timedelta(days=27)
    schools = list(School.objects.filter(depot__isnull=False).order_by("brin"))
    workshops = list(Workshop.objects.filter(active=True).order_by("name"))
    days = [date_from + dt.timedelta(days=i) for i in range(28)]
    starts = [dt.time(8, 45), dt.time(9, 0), dt.time(10, 30), dt.time(12, 30), dt.time(13, 0)]
    made = 0
    while made < REQUESTS:
        school = rng.choice(schools)
        kind = (school.school_types or ["po"])[0]
        fitting = [
            w
            for w in workshops
            if w.programme_id == school.programme_id
            and (not w.school_types or kind in w.school_types)
        ]
        open_days = [
            d
            for d in days
            if not closed_day_reasons(
                day=d, region=school.holiday_region, today=date_from, blackouts=[],
                programme=school.programme,
            )
            or d.weekday() < 5
            and all(r["code"] == "lead_time" for r in closed_day_reasons(
                day=d, region=school.holiday_region, today=date_from, blackouts=[],
                programme=school.programme))
        ]  # fmt: skip
        if len(open_days) < 4 or not fitting:
            continue
        chosen = rng.sample(open_days, k=1 + rng.randint(1, 3))
        workshop = rng.choice(fitting)
        pupils = min(rng.randint(12, 20), workshop.max_pupils)
        # A request the depot's kit could never serve is refused when it is made; skip those.
        need = need_for_workshops([workshop], pupils).kit
        have = available_counts(depot_id=school.depot_id)
        if any(n > have.get(kt, 0) for kt, n in need.items()):
            continue
        wagon = Wagon.objects.filter(depot=school.depot).first()
        booking = Booking.objects.create(
            reference=f"TW-BENCH-{made:03d}",
            school=school,
            wagon=wagon,
            date=chosen[0],
            contact_name="Bench",
            contact_email="bench@school.nl",
            alternative_dates=[d.isoformat() for d in chosen[1:]],
        )
        start = rng.choice(starts)
        if dt.datetime.combine(date_from, start) + dt.timedelta(
            minutes=workshop.duration_minutes
        ) > dt.datetime.combine(date_from, school.day_end):
            start = dt.time(9, 0)
        BookingSession.objects.create(
            booking=booking,
            workshop=workshop,
            group_label="groep 7",
            school_type=kind,
            year=2,
            pupils=pupils,
            start_time=start,
        )
        made += 1
    return list(Wagon.objects.filter(active=True)), date_from, date_to


def greedy(problem):
    """First come first served on the first free allowed date; stops in nearest-neighbour order
    (falling back to clock order when the nearest-neighbour order does not fit the day)."""
    from routes.planner import Legs, best_order

    legs = Legs(problem.travel)
    parking = problem.travel.parking_minutes
    days: dict[tuple, list] = {}
    used: dict[tuple, dict[int, int]] = {}
    order = sorted(problem.bookings, key=lambda b: (b.tier, b.created, b.id))

    def drive_of(wagon, stops):
        here, total = wagon.day.depot, 0
        for s in stops:
            total += legs.minutes(here, s.point)
            here = s.point
        return total + legs.minutes(here, wagon.day.depot)

    def nearest_neighbour(wagon, stops):
        left, here, path = list(stops), wagon.day.depot, []
        while left:
            nxt = min(left, key=lambda s: legs.minutes(here, s.point))
            path.append(nxt)
            left.remove(nxt)
            here = nxt.point
        return path

    def fits(wagon, stops):
        """The stop order the baseline drives, or None."""
        nn = nearest_neighbour(wagon, stops)
        if best_order_exact(wagon, nn):
            return nn
        clock = sorted(stops, key=lambda s: s.start)
        return clock if best_order_exact(wagon, clock) else None

    def best_order_exact(wagon, stops):
        # The order is fixed: check it by asking for the best order of a prefix chain.
        found = best_order(stops, wagon.day, legs, parking)
        if found is None:
            return False
        return [s.booking_id for s in found[1]] == [s.booking_id for s in stops] or (
            len(stops) <= 1
        )

    routes = {}
    served = 0
    for b in order:
        for wagon_id, day in sorted(b.options, key=lambda o: (o[1], o[0])):
            wagon = problem.wagons[wagon_id]
            stops = days.get((wagon_id, day), [])
            pool = used.setdefault((wagon.depot_id, day), {})
            cap = problem.capacity.get((wagon.depot_id, day), {})
            if any(pool.get(kt, 0) + n > cap.get(kt, 0) for kt, n in b.need.items()):
                continue
            path = fits(wagon, [*stops, b.stop])
            if path is None:
                continue
            days[(wagon_id, day)] = path
            for kt, n in b.need.items():
                pool[kt] = pool.get(kt, 0) + n
            routes[(wagon_id, day)] = path
            served += 1
            break
    drive = sum(drive_of(problem.wagons[w], stops) for (w, _d), stops in routes.items())
    return served, drive


def main():
    from routes import planner

    with time_machine.travel(TODAY, tick=False):
        wagons, date_from, date_to = setup()
        today = TODAY.date()
        timings, result = [], None
        for _ in range(RUNS):
            started = time.perf_counter()
            problem = planner.build_problem(
                wagons=wagons, date_from=date_from, date_to=date_to, today=today
            )
            result = planner.solve(problem)
            timings.append(time.perf_counter() - started)
        g_started = time.perf_counter()
        g_served, g_drive = greedy(
            planner.build_problem(wagons=wagons, date_from=date_from, date_to=date_to, today=today)
        )
        g_time = time.perf_counter() - g_started
    requests = sum(1 for b in problem.bookings if b.tier == 2)
    print(f"instance: {requests} requests (+{len(problem.bookings) - requests} demo visits), "
          f"{len(wagons)} wagons, {date_from} – {date_to}")  # fmt: skip
    print(f"planner : median {statistics.median(timings):.2f} s over {RUNS} runs "
          f"(min {min(timings):.2f}, max {max(timings):.2f}), solver status {result.status}")  # fmt: skip
    print(f"planner : served {result.served}, driving {result.total_drive_minutes} min, "
          f"{len(result.routes)} routes")  # fmt: skip
    print(f"greedy  : served {g_served}, driving {g_drive} min ({g_time:.2f} s)")
    if g_drive:
        saving = 100 * (g_drive - result.total_drive_minutes) / g_drive
        per_visit_p = result.total_drive_minutes / max(result.served, 1)
        per_visit_g = g_drive / max(g_served, 1)
        print(f"driving : {saving:+.1f}% less in total; per visit {per_visit_p:.1f} vs "
              f"{per_visit_g:.1f} min")  # fmt: skip


if __name__ == "__main__":
    main()
