"""Reach report over one school year at national scale — 200,000 visits at 1,500 schools in two
programmes, 3 sessions each (600,000 sessions) — per grouping, as JSON and CSV through the full
request cycle (the funder sees every visit; a coordinator one programme), then each report query's
own time and its plan: EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite (issue 15:
the plans must show the indexes being used). Targets: ≤300 ms PostgreSQL, ≤800 ms SQLite.

    DEBUG=1 .venv/bin/python bench/bench_reach.py [--visits 200000] [--rounds 5] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_reach DEBUG=1 .venv/bin/python bench/bench_reach.py
    DATABASE_URL=sqlite:////tmp/reach.sqlite3 DEBUG=1 .venv/bin/python bench/bench_reach.py --reuse

Before and after, SQLite and PostgreSQL in one run: `--compare --old /tmp/tw_old` runs the old
checkout's own copy of this script and this one, each on its own database per engine
(PostgreSQL: `--pg-url` with `_old` / `_new` appended, skipped when unreachable), prints their
output and a table of every request's median wall and CPU time, old against new.

Uses its own throwaway database (SQLite file in a temp dir unless DATABASE_URL names one; a
PostgreSQL database is created if missing). The rows go in by COPY / executemany (bench/_bulk.py):
building 200,000 visits takes seconds; `--reuse` keeps the last run's data.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "sqlite:")):
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='tw-bench-')) / 'reach.sqlite3'}"
    )
os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings"
os.environ.setdefault("TW_ALLOW_DEV_SECRET", "1")


import _setup  # noqa: E402
from _setup import ensure_pg_database  # noqa: E402

ensure_pg_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from _bulk import (  # noqa: E402
    BOOKING_COLUMNS,
    SESSION_COLUMNS,
    booking_row,
    insert_rows,
    rebuild_reach_facts,
)
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bookings.models import Booking, BookingSession, School, Workshop  # noqa: E402
from inventory.models import Depot, Wagon  # noqa: E402
from programmes.models import Programme  # noqa: E402

STATUSES = ["completed"] * 6 + ["returned", "on_site", "confirmed", "cancelled", "declined"]
TYPES = ["po", "so", "vmbo-bb", "vmbo-kb", "pro", "havo", "mbo-2"]
REGIONS = ["noord", "midden", "zuid"]
SCHOOLS = 1500


def build(visits: int) -> None:
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        programmes = [
            Programme.objects.create(name="Bench Noord", project_code="STO99991"),
            Programme.objects.create(name="Bench Zuid", project_code="STO99992"),
        ]
        depots = [
            Depot.objects.create(name=f"Depot {p.name}", address="Rotterdam", programme=p)
            for p in programmes
        ]
        wagons = [
            Wagon.objects.create(
                name=f"Wagen {n}",
                plate=f"BE-00{n}-N",
                depot=depots[n % 2],
                depot_address="Rotterdam",
                depot_lat=51.9,
                depot_lon=4.5,
                max_visits_per_day=50,
                work_start=dt.time(7, 30),
                work_end=dt.time(17, 30),
            )
            for n in range(4)
        ]
        schools = School.objects.bulk_create(
            School(
                name=f"School {n}",
                brin=f"{10 + n % 90:02d}{chr(65 + n // 90 % 26)}{chr(65 + n % 26)}",
                school_types=[TYPES[n % len(TYPES)]],
                address="Straat 1",
                postcode="3061 AA",
                city="Rotterdam",
                lat=51.9,
                lon=4.5,
                holiday_region=REGIONS[n % 3],
                programme=programmes[n % 2],
                depot=depots[n % 2],
            )
            for n in range(SCHOOLS)
        )
        workshops = Workshop.objects.bulk_create(
            Workshop(
                name=f"Workshop {n}",
                programme=programmes[n % 2],
                duration_minutes=60,
                max_pupils=32,
                school_types=TYPES,
            )
            for n in range(12)
        )
        start = dt.date(2026, 8, 24)
        bookings = []
        sessions = []
        for n in range(visits):
            school = n % SCHOOLS
            # A tenth without a wagon (their depot is the school's).
            wagon = wagons[school % 2 + 2 * (n % 2)].pk if n % 10 else None
            bookings.append(
                booking_row(
                    n + 1,
                    f"TW-B-{n:06d}",
                    schools[school].pk,
                    wagon,
                    start + dt.timedelta(days=n % 300),
                    STATUSES[n % len(STATUSES)],
                )
            )
            for k in range(3):
                sessions.append(
                    (
                        3 * n + k + 1,
                        n + 1,
                        workshops[school % 2 + 2 * ((n + k) % 6)].pk,
                        f"groep {k}",
                        TYPES[(n + k) % len(TYPES)],
                        5,
                        20 + k,
                        dt.time(9 + k, 0),
                        None,
                        None,
                        None,
                        "",
                    )
                )
        insert_rows(Booking, BOOKING_COLUMNS, bookings)
        insert_rows(BookingSession, SESSION_COLUMNS, sessions)
        rebuild_reach_facts()
        user = User.objects.create_user("bench-coord", password="x")
        user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
        programmes[0].members.add(user)
        funder = User.objects.create_user("bench-funder", password="x")
        funder.groups.add(Group.objects.get_or_create(name="funder")[0])
    with connection.cursor() as cursor:
        # Fresh bulk-loaded tables have no planner statistics until autovacuum gets to them, and
        # a plan made blind (nested loops over 600,000 sessions) takes minutes, not milliseconds.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def cpu_seconds() -> float:
    return _setup.cpu_seconds(connection)


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, float, int]:
    """Median and p95 wall time, and the median CPU time (`cpu_seconds`: this process, where
    SQLite runs, plus a local PostgreSQL backend), plus the query count."""
    client.get(url)  # warm up
    times, cpu = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), cpu_seconds()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((cpu_seconds() - c0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, statistics.median(cpu), len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the last run (same --visits)"
    )
    parser.add_argument("--quick", action="store_true", help="only the school_type report")
    parser.add_argument("--compare", action="store_true", help="old against new, both engines")
    parser.add_argument("--old", default="/tmp/tw_old", help="checkout measured as 'old'")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/tw_bench_reach")
    args = parser.parse_args()
    if args.compare:
        compare(args)
        return
    if args.reuse:
        # The data stays; indexes added since the last run are built (and the planner told).
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if not (args.reuse and User.objects.filter(username="bench-funder").exists()):
        t0 = time.perf_counter()
        build(args.visits)
        print(f"built in {time.perf_counter() - t0:.1f} s")
    visits = Booking.objects.count()
    print(
        f"{connection.vendor}: {visits} visits, {BookingSession.objects.count()} sessions, "
        f"{SCHOOLS} schools (target: PG ≤300 ms, SQLite ≤800 ms)"
    )
    print(f"{'request':<78} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>8} {'queries':>8}")
    groupings = (
        ("school_type",)
        if args.quick
        else (
            "school_type",
            "holiday_region",
            "workshop",
            "school",
            "programme",
            "depot",
            "wagon",
        )
    )
    for username in ("bench-funder", "bench-coord"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        urls = []
        for group_by in groupings:
            base = f"/api/v1/reports/reach/?school_year=2026&group_by={group_by}"
            urls.append(base)
        if not args.quick:
            urls += [
                "/api/v1/reports/reach/?school_year=2026&group_by=school&format=csv",
                "/api/v1/reports/reach/?school_year=2026&planned=true",
                "/planning/reach/?school_year=2026&group_by=school",
            ]
        for url in urls:
            median, p95, cpu, queries = measure(client, url, args.rounds)
            print(
                f"{username[6:]:<7}{url:<71} {median:>10.1f} {p95:>8.1f} {cpu:>8.1f} {queries:>8}"
            )
    explain()


def compare(args) -> None:
    """Each tree's own script on each engine's database, then old against new per request."""
    import subprocess

    figures = {}
    extra = ["--visits", str(args.visits), "--rounds", str(args.rounds)]
    extra += ["--quick"] if args.quick else []
    for engine in ("sqlite", "postgresql"):
        for tree, root in (("old", Path(args.old)), ("new", ROOT)):
            if engine == "sqlite":
                url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='tw-bench-')) / 'reach.sqlite3'}"
            else:
                url = f"{args.pg_url}_{tree}"
                try:
                    ensure_pg_database(url)
                except Exception as exc:  # no server: the SQLite figures alone
                    print(f"PostgreSQL skipped: {exc}")
                    break
            env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
            out = subprocess.run(
                [sys.executable, str(root / "bench" / "bench_reach.py"), *extra],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
            )
            print(f"\n===== {engine}, {tree} ({root}) =====\n{out.stdout}{out.stderr[-2000:]}")
            for line in out.stdout.splitlines():
                parts = line.split()
                if len(parts) == 6 and parts[1].startswith("/"):
                    figures[(engine, parts[0], parts[1], tree)] = (float(parts[2]), float(parts[4]))
    print(f"\n{'engine':<11}{'request':<78} {'old ms / cpu':>15} {'new ms / cpu':>15} {'cpu ×':>6}")
    for engine, user, url, tree in figures:
        if tree != "new":
            continue
        new = figures[(engine, user, url, "new")]
        old = figures.get((engine, user, url, "old"))
        shown = f"{old[0]:.0f} / {old[1]:.0f}" if old else "-"
        ratio = f"{old[1] / new[1]:.2f}" if old and new[1] else ""
        now = f"{new[0]:.0f} / {new[1]:.0f}"
        print(f"{engine:<11}{user:<7}{url:<71} {shown:>15} {now:>15} {ratio:>6}")


def explain() -> None:
    """Each report query's own time and its plan (issue 15 asks for the reach query's plan)."""
    from bookings.reports.selectors import reach_report, school_year

    user = User.objects.get(username="bench-funder")
    for group_by in ("school_type", "workshop"):
        with CaptureQueriesContext(connection) as ctx:
            reach_report(period=school_year(2026), group_by=group_by, user=user)
        print(f"\nreach_report group_by={group_by}, funder: each query")
        for query in ctx.captured_queries:
            print(f"{float(query['time']) * 1000:>8.1f} ms  {query['sql'][:110]}")
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            if "GROUP BY" not in query["sql"]:  # the report's figures, not its labels
                continue
            print(f"\n{prefix}{query['sql'][:300]}")
            cursor.execute(prefix + query["sql"])
            rows = cursor.fetchall()
            print("\n".join(str(row[-1]) for row in rows))


if __name__ == "__main__":
    main()
