"""Impact report over a school year with 200,000 visits at 300 schools (2 sessions each, girls/boys
known for most, teachers recorded), feedback on about 60% of the completed visits and partner
participations on a third: the selector on its own per grouping and filter, then the API (JSON,
CSV), the PDF and the page through the full request cycle, then the plan of each report query
(EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite). Target: under 200 ms for the report,
a query count that does not grow with the visits (the script also measures a tenth of the data
set's school year — the first month — to show the same count).

    DEBUG=1 .venv/bin/python bench/bench_impact.py [--visits 200000] [--rounds 5] [--reuse] [--quick]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_impact DEBUG=1 .venv/bin/python bench/bench_impact.py

Uses its own throwaway database (an SQLite file in a temp dir unless DATABASE_URL names
PostgreSQL, which is created if missing); prints median / p95 in ms and the query count.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    # DATABASE_URL=sqlite:////tmp/impact.sqlite3 keeps the data for --reuse.
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{Path(tempfile.mkdtemp(prefix='tw-bench-')) / 'impact.sqlite3'}"
    )
os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings"
os.environ.setdefault("TW_ALLOW_DEV_SECRET", "1")

from _setup import ensure_pg_database  # noqa: E402

ensure_pg_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from _bulk import BOOKING_COLUMNS, SESSION_COLUMNS, booking_row, insert_rows  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bookings.models import Booking, BookingSession, School, Workshop  # noqa: E402
from bookings.reports.impact import impact_report  # noqa: E402
from bookings.reports.selectors import Period, school_year  # noqa: E402
from feedback.models import FeedbackResponse  # noqa: E402
from inventory.models import Depot, Wagon  # noqa: E402
from partners.models import Participation, Partner  # noqa: E402
from programmes.models import Programme  # noqa: E402

STATUSES = ["completed"] * 7 + ["returned", "on_site", "confirmed", "cancelled"]
TYPES = ["po", "so", "vmbo-bb", "vmbo-kb", "havo", "mbo-2"]
KINDS = ["guest_instructor", "materials", "sponsor"]
SCHOOLS = 300


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
                name=f"Wagen {d.name}",
                plate=f"BE-00{n}-N",
                depot=d,
                depot_address="Rotterdam",
                depot_lat=51.9,
                depot_lon=4.5,
                max_visits_per_day=80,
                work_start=dt.time(7, 30),
                work_end=dt.time(17, 30),
            )
            for n, d in enumerate(depots)
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
                holiday_region="midden",
                programme=programmes[n % 2],
                depot=depots[n % 2],
                contact_name="Geheim",
                contact_email="geheim@example.nl",
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
        partners = Partner.objects.bulk_create(
            Partner(programme=programmes[n % 2], name=f"Bedrijf {n}") for n in range(60)
        )
        start = dt.date(2026, 8, 24)
        # Raw COPY / executemany (bench/_bulk.py): 200,000 visits in seconds, not minutes.
        bookings = [
            booking_row(
                n + 1,
                f"TW-I-{n:06d}",
                schools[n % SCHOOLS].pk,
                wagons[n % SCHOOLS % 2].pk,
                start + dt.timedelta(days=n % 320),
                STATUSES[n % len(STATUSES)],
            )
            for n in range(visits)
        ]
        sessions = []
        for i in range(visits):
            school = i % SCHOOLS
            for k in range(2):
                pupils = 20 + (i + k) % 10
                known = (i + k) % 5 != 0  # a fifth of the sessions without girls/boys
                girls = pupils // 2 - (i % 3) if known else None
                sessions.append(
                    (
                        2 * i + k + 1,
                        i + 1,
                        # Workshops of the school's programme (workshop n: programme n % 2).
                        workshops[(school % 2) + 2 * ((i + k) % 6)].pk,
                        f"groep {k}",
                        TYPES[(i + k) % len(TYPES)],
                        5,
                        pupils,
                        dt.time(9 + k, 0),
                        girls,
                        pupils - girls - 1 if known else None,
                        1 + k if i % 4 else None,
                        "",
                    )
                )
        insert_rows(Booking, BOOKING_COLUMNS, bookings)
        insert_rows(BookingSession, SESSION_COLUMNS, sessions)
        # (id, status) is all the feedback and partners below need of a visit.
        bookings = [Booking(id=row[0], status=row[5]) for row in bookings]
        completed = [b for b in bookings if b.status == "completed"]
        FeedbackResponse.objects.bulk_create(
            (
                FeedbackResponse(
                    booking=b,
                    workshop_rating=1 + n % 5,
                    crew_rating=1 + (n + 1) % 5,
                    organisation_rating=1 + (n + 2) % 5,
                    enthusiasm=1 + (n + 3) % 5,
                    book_again=n % 4 != 0,
                )
                for n, b in enumerate(completed)
                if n % 5 < 3
            ),
            batch_size=5000,
        )
        Participation.objects.bulk_create(
            (
                Participation(
                    booking=b,
                    partner=partners[(n % SCHOOLS % 2) + 2 * (n % 30)],
                    kind=KINDS[n % 3],
                    hours=Decimal(n % 8) / 2,
                )
                for n, b in enumerate(bookings)
                if n % 3 == 0
            ),
            batch_size=5000,
        )
        coordinator = User.objects.create_user("bench-coord", password="x")
        coordinator.groups.add(Group.objects.get_or_create(name="coordinator")[0])
        programmes[0].members.add(coordinator)
        funder = User.objects.create_user("bench-funder", password="x")
        funder.groups.add(Group.objects.get_or_create(name="funder")[0])
    with connection.cursor() as cursor:
        # Bulk-loaded tables have no planner statistics (nor, in PostgreSQL, a visibility map
        # for index-only scans) until autovacuum gets to them.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def timed(call, rounds: int) -> tuple[float, float, int]:
    call()  # warm up
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        call()
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, len(ctx.captured_queries)


def row(label: str, figures: tuple[float, float, int]) -> None:
    median, p95, queries = figures
    print(f"{label:<72} {median:>9.1f} {p95:>8.1f} {queries:>8}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--quick", action="store_true", help="only the per-workshop and per-school-type reports"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the last run (same --visits)"
    )
    args = parser.parse_args()
    if args.reuse:
        # The data stays; indexes added since the last run are built (and the planner told).
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if not (args.reuse and User.objects.filter(username="bench-funder").exists()):
        t0 = time.perf_counter()
        build(args.visits)
        print(f"built in {time.perf_counter() - t0:.1f} s")
    funder = User.objects.get(username="bench-funder")
    coordinator = User.objects.get(username="bench-coord")
    print(
        f"{connection.vendor}: {Booking.objects.count()} visits, "
        f"{BookingSession.objects.count()} sessions, {FeedbackResponse.objects.count()} feedback "
        f"responses, {Participation.objects.count()} partner participations"
    )
    print(f"{'selector / request':<72} {'median ms':>9} {'p95 ms':>8} {'queries':>8}")
    year = school_year(2026)
    first_month = Period(dt.date(2026, 8, 1), dt.date(2026, 9, 23))
    workshop = Workshop.objects.order_by("id").first()
    groupings = (
        ("workshop", "school_type") if args.quick else ("programme", "workshop", "school_type")
    )
    for group_by in groupings:
        for who, user in (("funder", funder), ("coordinator", coordinator)):
            row(
                f"impact_report {group_by}, {who}",
                timed(
                    lambda g=group_by, u=user: impact_report(period=year, group_by=g, user=u),
                    args.rounds,
                ),
            )
        if args.quick:
            continue
        row(
            f"impact_report {group_by}, funder, first month only (fewer visits)",
            timed(
                lambda g=group_by: impact_report(period=first_month, group_by=g, user=funder),
                args.rounds,
            ),
        )
    if args.quick:
        explain(year, funder)
        return
    row(
        "impact_report programme, funder, workshop filter",
        timed(
            lambda: impact_report(period=year, user=funder, workshop_id=workshop.id), args.rounds
        ),
    )
    row(
        "impact_report workshop, funder, school_type=po",
        timed(
            lambda: impact_report(period=year, group_by="workshop", user=funder, school_type="po"),
            args.rounds,
        ),
    )
    client = Client()
    client.force_login(funder)
    for url in (
        "/api/v1/reports/impact/?school_year=2026",
        "/api/v1/reports/impact/?school_year=2026&group_by=workshop",
        "/api/v1/reports/impact/?school_year=2026&group_by=school_type&format=csv",
        "/api/v1/reports/impact.pdf?school_year=2026&group_by=workshop",
        "/planning/reports/impact/?school_year=2026&group_by=workshop",
    ):

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        row(url, timed(get, args.rounds))
    explain(year, funder)


def explain(year, funder) -> None:
    """Each query of the per-workshop report, and the plan of its slowest."""
    with CaptureQueriesContext(connection) as ctx:
        impact_report(period=year, group_by="workshop", user=funder)
    print("\nimpact_report workshop, funder: each query")
    for query in ctx.captured_queries:
        print(f"{float(query['time']) * 1000:>8.1f} ms  {query['sql'][:110]}")
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        print(f"\n{prefix}{slowest['sql'][:300]}")
        cursor.execute(prefix + slowest["sql"])
        print("\n".join(str(r[-1]) for r in cursor.fetchall()))


if __name__ == "__main__":
    main()
