"""Reach report over a school year with 2,000 visits at 150 schools (3 sessions each), per
grouping, as JSON and CSV through the full request cycle; plus the planning board and queue pages.

    DEBUG=1 .venv/bin/python bench/bench_reach.py [--visits 2000] [--rounds 20] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_reach DEBUG=1 .venv/bin/python bench/bench_reach.py

Uses its own throwaway database (SQLite file in a temp dir unless DATABASE_URL names PostgreSQL,
which is created if missing) and prints median / p95 per request and the query count, then each
report query's own time and (PostgreSQL) the EXPLAIN ANALYZE of the totals query. `--reuse` keeps
the last run's data (building 200,000 visits takes minutes).
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
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='tw-bench-')) / 'reach.sqlite3'}"
    )
os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings"


from _setup import ensure_pg_database  # noqa: E402

ensure_pg_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bookings.models import Booking, BookingSession, School, Workshop  # noqa: E402
from inventory.models import Depot, Wagon  # noqa: E402
from programmes.models import Programme  # noqa: E402

STATUSES = ["completed"] * 6 + ["returned", "on_site", "confirmed", "cancelled", "declined"]
TYPES = ["po", "so", "vmbo-bb", "vmbo-kb", "pro"]
REGIONS = ["noord", "midden", "zuid"]


def build(visits: int) -> None:
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        programme = Programme.objects.create(name="Bench programme", project_code="STO99999")
        depot = Depot.objects.create(name="Bench depot", address="Rotterdam", programme=programme)
        wagon = Wagon.objects.create(
            name="Bench wagon",
            plate="BE-001-N",
            depot=depot,
            depot_address="Rotterdam",
            depot_lat=51.9,
            depot_lon=4.5,
            max_visits_per_day=50,
            work_start=dt.time(7, 30),
            work_end=dt.time(17, 30),
        )
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
                programme=programme,
                depot=depot,
            )
            for n in range(150)
        )
        workshops = Workshop.objects.bulk_create(
            Workshop(
                name=f"Workshop {n}",
                programme=programme,
                duration_minutes=60,
                max_pupils=32,
                school_types=TYPES,
            )
            for n in range(6)
        )
        start = dt.date(2026, 8, 24)
        bookings = Booking.objects.bulk_create(
            Booking(
                reference=f"TW-B-{n:05d}",
                school=schools[n % len(schools)],
                wagon=wagon,
                date=start + dt.timedelta(days=n % 300),
                status=STATUSES[n % len(STATUSES)],
                contact_name="x",
                contact_email="x@example.nl",
            )
            for n in range(visits)
        )
        BookingSession.objects.bulk_create(
            BookingSession(
                booking=b,
                workshop=workshops[(i + k) % len(workshops)],
                group_label=f"groep {k}",
                school_type=TYPES[(i + k) % len(TYPES)],
                year=5,
                pupils=20 + k,
                start_time=dt.time(9 + k, 0),
            )
            for i, b in enumerate(bookings)
            for k in range(3)
        )
        user = User.objects.create_user("bench-coord", password="x")
        user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
        programme.members.add(user)
    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables have no planner statistics until autovacuum gets to them, and
        # a plan made blind (nested loops over 600,000 sessions) takes minutes, not milliseconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(client: Client, url: str, rounds: int) -> tuple[float, float, int]:
    client.get(url)  # warm up
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the last run (same --visits)"
    )
    args = parser.parse_args()
    if not (args.reuse and User.objects.filter(username="bench-coord").exists()):
        build(args.visits)
    client = Client()
    client.force_login(User.objects.get(username="bench-coord"))
    print(f"{connection.vendor}: {args.visits} visits, {args.visits * 3} sessions, 150 schools")
    print(f"{'request':<70} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    urls = []
    for group_by in (
        "school_type",
        "holiday_region",
        "workshop",
        "school",
        "programme",
        "depot",
        "wagon",
    ):
        base = f"/api/v1/reports/reach/?school_year=2026&group_by={group_by}"
        urls += [base, base + "&format=csv"]
    urls += [
        "/planning/reach/?school_year=2026&group_by=school",
        "/planning/board/?start=2026-09-01&span=month",
        "/planning/",
    ]
    for url in urls:
        median, p95, queries = measure(client, url, args.rounds)
        print(f"{url:<70} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    explain_totals()


def explain_totals() -> None:
    """Each report query's own time, and on PostgreSQL its EXPLAIN ANALYZE (issue 15 asks for
    the plan of the reach query)."""
    from bookings.reports.selectors import reach_report, school_year

    user = User.objects.get(username="bench-coord")
    for group_by in ("school_type", "programme"):
        with CaptureQueriesContext(connection) as ctx:
            reach_report(period=school_year(2026), group_by=group_by, user=user)
        for query in ctx.captured_queries:
            print(f"{float(query['time']) * 1000:>8.1f} ms  {query['sql'][:110]}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + ctx.captured_queries[-1]["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
