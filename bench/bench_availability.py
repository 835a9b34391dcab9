"""Availability via the API client, the old commit and this checkout measured in the same run.

    DEBUG=1 .venv/bin/python bench/bench_availability.py                 # file SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_avail DEBUG=1 \\
        .venv/bin/python bench/bench_availability.py                     # PostgreSQL (created)

Options: `--scenario small|national|all` (default all), `--no-old` (this checkout only),
`--old COMMIT` (default f3feadb, the commit before the kit pool; checked out once with
`git worktree add --detach` in /tmp/tw_bench_old_<commit>), `--reuse` (keep the scenario's data
when the database already holds it: no rebuild; the old checkout then reads the same database).

    DEBUG=1 .venv/bin/python bench/bench_availability.py --current [--reuse] [--pg URL]

measures only this checkout, national scenario, 366 days asked, on SQLite and on PostgreSQL
(default postgres://postgres@127.0.0.1:5432/tw_avail_bench), the two engines interleaved in
rounds; prints the median against the targets.

Scenarios (issues 12 and 15):
- small: 2 wagons, 12 kit types, 500 confirmed bookings over 90 days; 1, 30 and 90 days asked;
- national: 8 wagons of one depot, 12 kit types, 50,000 confirmed bookings over 366 days
  (600,000 reservation rows, built with bulk_create); 1, 30 and 366 days asked.
  Target (issue 15): 366 days in ≤ 60 ms on PostgreSQL, ≤ 150 ms on SQLite.

Both checkouts answer the same question; where the old commit refuses days the new kit rule (a
wagon's stops reuse its load) accepts, the line says so. Each checkout runs in its own subprocess on its own database (the suffix `_old`/`_new` and the
scenario are added to the database name), rebuilds the data and prints the median and p95 per
request and the query count; the parent prints both and the ratio new/old.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OLD_COMMIT = "f3feadb"

SCENARIOS = {
    "small": {"wagons": 2, "bookings": 500, "span": 90, "asked": (1, 30, 90), "runs": 40},
    "national": {"wagons": 8, "bookings": 50_000, "span": 366, "asked": (1, 30, 366), "runs": 15},
}
KIT_TYPES = 12
ROUNDS = 5
# The SQLite file (a stem: the checkout and scenario are added); TW_BENCH_DB names another.
SQLITE_BASE = "sqlite:///" + os.environ.get("TW_BENCH_DB", "/tmp/tw_bench_availability.sqlite3")


# --- the worker: one checkout, one scenario, one database ---------------------------------------


def build(scenario: dict):
    from _setup import in_programme, join_programmes, of_depot
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection, transaction

    from bookings.models import (
        Booking,
        BookingSession,
        KitReservation,
        KitRule,
        School,
        Workshop,
    )
    from inventory.models import Depot, Item, KitType, Wagon

    start = dt.date.today() + dt.timedelta(days=14)
    call_command("migrate", verbosity=0)
    if os.environ.get("TW_BENCH_REUSE") and _reusable(scenario, start):
        return (
            start,
            School.objects.get(brin="99ZZ00"),
            Workshop.objects.get(name="Bench workshop"),
            User.objects.get(username="bench-coordinator"),
        )
    with transaction.atomic():
        for model in (KitReservation, BookingSession, Booking, KitRule, Workshop, School, Item):
            model.objects.all().delete()
        Wagon.objects.filter(name__startswith="Bench").delete()
        KitType.objects.filter(name__startswith="Bench").delete()
        depot, _ = Depot.objects.get_or_create(name="Bench depot", defaults=in_programme())
        wagons = [
            Wagon.objects.create(
                name=f"Bench wagon {n}",
                plate=f"BE-{n:03d}-NC",
                depot=depot,
                depot_address="Bench",
                depot_lat=51.9,
                depot_lon=4.5,
                max_visits_per_day=20,
            )
            for n in range(scenario["wagons"])
        ]
        kit_types = [KitType.objects.create(name=f"Bench kit {n}") for n in range(KIT_TYPES)]
        Item.objects.bulk_create(
            (
                Item(asset_tag=f"BENCH-{k.pk}-{i}", kit_type=k, depot=depot)
                for k in kit_types
                for i in range(400)
            ),
            batch_size=2000,
        )
        school = School.objects.create(
            name="Bench school",
            brin="99ZZ00",
            school_types=["po"],
            address="Benchweg 1",
            postcode="3032 AD",
            city="Rotterdam",
            lat=51.9,
            lon=4.5,
            holiday_region="midden",
            depot=depot,
            **of_depot(depot),
        )
        workshop = Workshop.objects.create(
            name="Bench workshop",
            duration_minutes=60,
            max_pupils=32,
            school_types=["po"],
            **of_depot(depot),
        )
        for k in kit_types:
            KitRule.objects.create(workshop=workshop, kit_type=k, per_pupils=2)
        span = scenario["span"]
        bookings = Booking.objects.bulk_create(
            (
                Booking(
                    reference=f"BENCH-{n:06d}",
                    school=school,
                    wagon=wagons[n % len(wagons)],
                    date=start + dt.timedelta(days=n % span),
                    status="confirmed",
                    contact_name="Bench",
                    contact_email="bench@example.org",
                )
                for n in range(scenario["bookings"])
            ),
            batch_size=2000,
        )
        KitReservation.objects.bulk_create(
            (
                KitReservation(
                    booking=b, kit_type=k, depot=depot, date=b.date, quantity=3 + b.pk % 5
                )
                for b in bookings
                for k in kit_types
            ),
            batch_size=5000,
        )
        try:  # a checkout that keeps a per-day summary of the reservations builds it here
            from bookings.kit.pool import day_needs_rebuild
        except ImportError:
            pass
        else:
            day_needs_rebuild()
    # Fresh bulk data has no planner statistics (nor, on PostgreSQL, a visibility map for
    # index-only scans) yet; autovacuum would do this shortly after a load.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    user, _ = User.objects.get_or_create(username="bench-coordinator")
    group, _ = Group.objects.get_or_create(name="coordinator")
    user.groups.add(group)
    join_programmes(user)
    return start, school, workshop, user


def _reusable(scenario: dict, start: dt.date) -> bool:
    """The database holds this scenario's data from an earlier run starting on `start`."""
    from bookings.models import Booking

    bench = Booking.objects.filter(reference__startswith="BENCH-")
    return (
        bench.count() == scenario["bookings"]
        and bench.order_by("date").values_list("date", flat=True).first() == start
    )


def measure(client, start, school, workshop, days, runs):
    """`runs` timed requests (after one warm-up) and the query count of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {
        "school": school.pk,
        "date_from": start.isoformat(),
        "date_to": (start + dt.timedelta(days=days - 1)).isoformat(),
        "workshop": workshop.pk,
        "pupils": 24,
    }
    first = client.get("/api/v1/availability/", params)  # warm-up
    assert first.status_code == 200, first.content[:300]
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get("/api/v1/availability/", params)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content[:300]
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/availability/", params)
    return {
        "timings": timings,
        "queries": len(queries),
        "available_days": sum(1 for d in _days(first.json()) if d.get("available")),
    }


def _days(body):
    return body if isinstance(body, list) else body.get("results", body.get("days", []))


def worker(root: str, name: str) -> None:
    """Build the scenario, then answer `measure DAYS RUNS` lines on stdin, one RESULT line each,
    so the parent can interleave the two checkouts round by round."""
    sys.path.insert(0, str(HERE))
    from _setup import bootstrap

    bootstrap(SQLITE_BASE, root=root)
    from django.conf import settings
    from rest_framework.test import APIClient

    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.perf_counter()
    start, school, workshop, user = build(SCENARIOS[name])
    built = time.perf_counter() - t0
    client = APIClient()
    client.force_authenticate(user=user)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print("RESULT " + json.dumps({"engine": engine, "build_s": built}), flush=True)
    for line in sys.stdin:
        _verb, days, runs = line.split()
        result = measure(client, start, school, workshop, int(days), int(runs))
        print("RESULT " + json.dumps(result), flush=True)


# --- the parent: both checkouts, same run --------------------------------------------------------


def old_tree(commit: str) -> Path:
    path = Path(f"/tmp/tw_bench_old_{commit}")
    if not (path / "manage.py").exists():
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", str(path), commit],
            check=True,
            capture_output=True,
        )
    return path


def database_url(base: str, tree: str, scenario: str) -> str:
    if base.startswith("sqlite:"):
        stem = base.removesuffix(".sqlite3")
        return f"{stem}_{tree}_{scenario}.sqlite3"
    return f"{base}_{tree}_{scenario}"


class Worker:
    """One checkout in a subprocess on its own database."""

    def __init__(self, root: Path, url: str, scenario: str, keep: bool = False):
        self.root = root
        if url.startswith("sqlite:") and not keep:
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(root), "--scenario", scenario],
            env={**os.environ, "DATABASE_URL": url, "DEBUG": "1"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(root),
        )
        self.info = self._read()

    def _read(self) -> dict:
        for line in self.proc.stdout:
            if line.startswith("RESULT "):
                return json.loads(line.removeprefix("RESULT "))
        sys.exit(f"bench in {self.root} failed (exit {self.proc.wait()})")

    def measure(self, days: int, runs: int) -> dict:
        self.proc.stdin.write(f"measure {days} {runs}\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def summary(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)]


TARGETS_MS = {"sqlite3": 150, "postgresql": 60}  # issue 15, 366 days at 50,000 bookings
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/tw_avail_bench"


def current(pg_url: str) -> None:
    """This checkout only, national scenario, 366 days, SQLite and PostgreSQL interleaved."""
    name = "national"
    sc = SCENARIOS[name]
    bases = {
        "sqlite3": SQLITE_BASE,
        "postgresql": pg_url,
    }
    workers = {}
    for engine, base in bases.items():
        url = database_url(base, "new", name)
        workers[engine] = Worker(REPO, url, name, keep=bool(os.environ.get("TW_BENCH_REUSE")))
        print(f"{engine}: ready (build {workers[engine].info['build_s']:.1f} s)", flush=True)
    timings = {engine: [] for engine in workers}
    queries = {}
    for _round in range(ROUNDS):
        for engine, worker_ in workers.items():
            result = worker_.measure(366, 3)
            timings[engine] += result["timings"]
            queries[engine] = result["queries"]
    for engine, worker_ in workers.items():
        median, p95 = summary(timings[engine])
        target = TARGETS_MS[engine]
        verdict = "ok" if median <= target else "OVER"
        print(
            f"  {engine:<10} 366 days, {sc['bookings']} bookings: median {median:6.1f} ms "
            f"p95 {p95:6.1f} ms q {queries[engine]} (target ≤ {target} ms: {verdict}; "
            f"{len(timings[engine])} requests in {ROUNDS} rounds)",
            flush=True,
        )
        worker_.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", default="all", choices=["all", *SCENARIOS])
    parser.add_argument("--no-old", action="store_true")
    parser.add_argument("--old", default=OLD_COMMIT)
    parser.add_argument("--current", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--pg", default=PG_DEFAULT)
    parser.add_argument("--worker")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.scenario)
    if args.reuse:
        os.environ["TW_BENCH_REUSE"] = "1"
    if args.current:
        return current(args.pg)
    base = os.environ.get("DATABASE_URL", SQLITE_BASE)
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    for name in names:
        sc = SCENARIOS[name]
        workers = {"new": Worker(REPO, database_url(base, "new", name), name, keep=args.reuse)}
        if not args.no_old:
            # With --reuse the old checkout reads the same data (this checkout's extra indexes
            # and migrations are there too; the old code ignores them).
            old_db = database_url(base, "new" if args.reuse else "old", name)
            workers["old"] = Worker(old_tree(args.old), old_db, name, keep=args.reuse)
        new = workers["new"].info
        print(
            f"{name}: engine={new['engine']} bookings={sc['bookings']} wagons={sc['wagons']} "
            f"kit_types={KIT_TYPES} over {sc['span']} days (build new {new['build_s']:.1f} s); "
            f"old and new interleaved in {ROUNDS} rounds"
        )
        for days in sc["asked"]:
            got = {key: {"timings": []} for key in workers}
            for _round in range(ROUNDS):  # alternate, so load from elsewhere hits both alike
                for key, worker_ in workers.items():
                    result = worker_.measure(days, max(sc["runs"] // ROUNDS, 1))
                    got[key]["timings"] += result.pop("timings")
                    got[key].update(result)
            n = got["new"]
            n_median, n_p95 = summary(n["timings"])
            line = f"  {days:>3} days: new median {n_median:6.1f} ms p95 {n_p95:6.1f} ms q {n['queries']:>2}"
            if "old" in got:
                o = got["old"]
                o_median, o_p95 = summary(o["timings"])
                # The old commit sums every stop of a day; issue 12's rule reuses a wagon's load.
                same = (
                    ""
                    if o["available_days"] == n["available_days"]
                    else f"  (days available: new {n['available_days']}, old "
                    f"{o['available_days']}: the kit rule of issue 12)"
                )
                line += (
                    f" | old ({args.old}) median {o_median:6.1f} ms p95 {o_p95:6.1f} ms "
                    f"q {o['queries']:>2} | new/old {n_median / o_median:.2f}×{same}"
                )
            print(line, flush=True)
        for worker_ in workers.values():
            worker_.close()


if __name__ == "__main__":
    main()
