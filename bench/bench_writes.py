"""Confirming a booking against GET /api/v1/me/, measured in the same run (issue 15: a
confirmation sends at most 15 statements and serves at least 0.4× the requests per second of /me).

    DEBUG=1 .venv/bin/python bench/bench_writes.py             # file SQLite in /tmp (rebuilt)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_confirm_bench DEBUG=1 \
        .venv/bin/python bench/bench_writes.py                 # PostgreSQL (created; use a fresh one)

`--root PATH` measures another checkout (e.g. a `git worktree` of the commit before) with this
script: run both, alternating, for before/after figures from one sitting. TW_BENCH_DB names the
SQLite file (default /tmp/tw_bench_writes.sqlite3).

A depot with two wagons, 30 robots and 38 requested visits (two per school day, one per wagon,
so half the confirmations find their day already locked and holding kit). Each confirmation
(Django test Client, logged-in coordinator) is timed and its statements counted (SAVEPOINTs not
counted); a GET /me follows each one, so both see the same database and machine load. Prints the
statements, the median req/s of each and their ratio.
"""

import argparse
import datetime as dt
import os
import statistics
import time

from _setup import bootstrap, join_programmes  # noqa: E402  (bench/ is on sys.path as a script)

_parser = argparse.ArgumentParser()
_parser.add_argument("--root", help="the checkout to measure (default: this one)")
ARGS = _parser.parse_args()
DB = os.environ.get("TW_BENCH_DB", "/tmp/tw_bench_writes.sqlite3")
if not os.environ.get("DATABASE_URL") and os.path.exists(DB):
    os.remove(DB)
bootstrap(f"sqlite:///{DB}", root=ARGS.root)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

DAYS = 19  # school days from 1 March 2027, before Good Friday (26 March)
TARGET_STATEMENTS = 15
TARGET_RATIO = 0.4


def school_days(start: dt.date, count: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def build():
    call_command("migrate", verbosity=0)
    from bookings.models import Booking
    from tests.factories import (
        BookingFactory,
        BookingSessionFactory,
        ItemFactory,
        KitRuleFactory,
        KitTypeFactory,
        SchoolFactory,
        WagonFactory,
        WorkshopFactory,
        make_user,
    )

    if Booking.objects.filter(reference__startswith="BENCH-W").exists():
        raise SystemExit("bench data exists: use a fresh DATABASE_URL")
    school = SchoolFactory(name="Bench school")
    depot = school.depot
    wagons = [WagonFactory(depot=depot, max_visits_per_day=2) for _ in range(2)]
    robot = KitTypeFactory(name="Bench robot", spare_units=1)
    for n in range(30):
        ItemFactory(asset_tag=f"BENCH-R-{n:03d}", kit_type=robot, depot=depot)
    workshop = WorkshopFactory(name="Bench robots", duration_minutes=90, max_pupils=32)
    KitRuleFactory(workshop=workshop, kit_type=robot, per_pupils=2)
    bookings = []
    # Early March 2027: school days in every region, after the lead time.
    for index, day in enumerate(school_days(dt.date(2027, 3, 1), DAYS)):
        for number, wagon in enumerate(wagons):
            booking = BookingFactory(
                reference=f"BENCH-W{index:02d}{number}",
                school=SchoolFactory(depot=depot) if number else school,
                wagon=wagon,
                date=day,
            )
            BookingSessionFactory(
                booking=booking, workshop=workshop, pupils=24, start_time=dt.time(9, 0)
            )
            bookings.append(booking.pk)
    coordinator = make_user("bench-coord", "coordinator")
    join_programmes(coordinator)
    return coordinator, bookings


def main() -> None:
    coordinator, bookings = build()
    client = Client()
    client.force_login(coordinator)
    client.get("/api/v1/me/")  # warm up
    statements, confirm_times, me_times, refused = [], [], [], 0
    for pk in bookings:
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.post(
                f"/api/v1/bookings/{pk}/confirm/", content_type="application/json"
            )
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            refused += 1
            continue
        confirm_times.append(elapsed)
        statements.append(sum(1 for q in context.captured_queries if "SAVEPOINT" not in q["sql"]))
        started = time.perf_counter()
        assert client.get("/api/v1/me/").status_code == 200
        me_times.append(time.perf_counter() - started)
    if not confirm_times:
        raise SystemExit(f"no confirmation succeeded ({refused} refused)")
    confirm_rps = 1 / statistics.median(confirm_times)
    me_rps = 1 / statistics.median(me_times)
    ratio = confirm_rps / me_rps
    print(f"checkout: {ARGS.root or 'this one'}")
    print(f"database: {connection.vendor}; {len(confirm_times)} confirmations, {refused} refused")
    print(
        f"confirm statements: median {statistics.median(statements):.0f}, "
        f"min {min(statements)}, max {max(statements)} (target ≤ {TARGET_STATEMENTS})"
    )
    print(f"confirm: {confirm_rps:7.1f} req/s")
    print(f"GET /me: {me_rps:7.1f} req/s")
    print(f"ratio:   {ratio:7.2f} (target ≥ {TARGET_RATIO})")


if __name__ == "__main__":
    main()
