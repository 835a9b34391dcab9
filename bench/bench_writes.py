"""Confirming a booking against GET /api/v1/me/, measured in the same run (issue 15: a
confirmation sends at most 15 statements and serves at least 0.4× the requests per second of /me).

    DEBUG=1 .venv/bin/python bench/bench_writes.py             # file SQLite in /tmp (rebuilt)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_confirm_bench DEBUG=1 \
        .venv/bin/python bench/bench_writes.py                 # PostgreSQL (<name>_new, rebuilt)
    ... bench/bench_writes.py --old /path/to/checkout         # and the commit before, same run

A depot with two wagons, 30 robots and 38 requested visits (two per school day, one per wagon,
so half the confirmations find their day already locked and holding kit). Each confirmation
(Django test Client, logged-in coordinator) is timed and its statements counted (SAVEPOINTs not
counted; BEGIN and COMMIT are); a GET /me follows each one, so both see the same database and
machine load. Prints the statements, the median req/s of each and their ratio, by the clock and
by the process's CPU time.

Each checkout runs in its own subprocess on its own database (suffix `_new`/`_old`: a SQLite file
next to TW_BENCH_DB, default /tmp/tw_bench_writes.sqlite3, or a PostgreSQL database, dropped and
created); with `--old` (e.g. a `git worktree add --detach` of the commit before) the two take
turns, two confirmations at a time, so load from elsewhere on the machine hits both alike.
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
DAYS = 19  # school days from 1 March 2027, before Good Friday (26 March)
TARGET_STATEMENTS = 15
TARGET_RATIO = 0.4
TURN = 2  # confirmations per turn when two checkouts alternate


def school_days(start: dt.date, count: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def build():
    from _setup import join_programmes
    from django.core.management import call_command

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


def worker(root: str) -> None:
    """Build the data, then answer `measure N` lines on stdin: N confirmations (each followed by
    a GET /me), one RESULT line each."""
    sys.path.insert(0, str(HERE))
    from _setup import bootstrap

    bootstrap(os.environ["DATABASE_URL"], root=root)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    coordinator, bookings = build()
    client = Client()
    client.force_login(coordinator)
    client.get("/api/v1/me/")  # warm up
    print("RESULT " + json.dumps({"vendor": connection.vendor}), flush=True)
    waiting = iter(bookings)
    for line in sys.stdin:
        result = {"statements": [], "confirm": [], "me": [], "confirm_cpu": [], "me_cpu": []}
        result["refused"] = 0
        for _n, pk in zip(range(int(line.split()[1])), waiting, strict=False):
            with CaptureQueriesContext(connection) as context:
                started, cpu = time.perf_counter(), time.process_time()
                response = client.post(
                    f"/api/v1/bookings/{pk}/confirm/", content_type="application/json"
                )
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            if response.status_code != 200:
                result["refused"] += 1
                continue
            result["confirm"].append(elapsed)
            result["confirm_cpu"].append(cpu)
            result["statements"].append(
                sum(1 for q in context.captured_queries if "SAVEPOINT" not in q["sql"])
            )
            started, cpu = time.perf_counter(), time.process_time()
            assert client.get("/api/v1/me/").status_code == 200
            result["me"].append(time.perf_counter() - started)
            result["me_cpu"].append(time.process_time() - cpu)
        print("RESULT " + json.dumps(result), flush=True)


def database_url(which: str) -> str:
    """The database of one checkout: rebuilt from nothing."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        stem = os.environ.get("TW_BENCH_DB", "/tmp/tw_bench_writes.sqlite3").removesuffix(
            ".sqlite3"
        )
        path = Path(f"{stem}_{which}.sqlite3")
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    server, name = base.rsplit("/", 1)
    name = f"{name}_{which}"
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


class Worker:
    def __init__(self, root: Path, which: str):
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(root)],
            env={**os.environ, "DATABASE_URL": database_url(which)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(root),
        )
        self.info = self.read()
        self.got = {"refused": 0}

    def read(self) -> dict:
        for line in self.proc.stdout:
            if line.startswith("RESULT "):
                return json.loads(line.removeprefix("RESULT "))
        sys.exit(f"bench worker failed (exit {self.proc.wait()})")

    def turn(self, count: int) -> None:
        self.proc.stdin.write(f"measure {count}\n")
        self.proc.stdin.flush()
        for key, value in self.read().items():
            self.got[key] = self.got.get(key, type(value)()) + value

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", help="another checkout, measured in the same run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    workers = {"new": Worker(REPO, "new")}
    if args.old:
        workers["old"] = Worker(Path(args.old).resolve(), "old")
    for _turn in range(DAYS * 2 // TURN):
        for worker_ in workers.values():
            worker_.turn(TURN)
    print(f"database: {workers['new'].info['vendor']}")
    rates = {}
    for which, worker_ in workers.items():
        worker_.close()
        got = worker_.got
        if not got.get("confirm"):
            raise SystemExit(f"{which}: no confirmation succeeded ({got['refused']} refused)")
        confirm_rps = 1 / statistics.median(got["confirm"])
        me_rps = 1 / statistics.median(got["me"])
        rates[which] = confirm_rps
        statements = got["statements"]
        print(
            f"{which}: {len(got['confirm'])} confirmations, {got['refused']} refused; "
            f"statements median {statistics.median(statements):.0f} (min {min(statements)}, "
            f"max {max(statements)}; target ≤ {TARGET_STATEMENTS}); confirm "
            f"{confirm_rps:6.1f} req/s, GET /me {me_rps:6.1f} req/s, ratio "
            f"{confirm_rps / me_rps:.2f} (target ≥ {TARGET_RATIO}); by this process's CPU "
            f"time (steadier on a busy machine; SQLite runs in the process, a PostgreSQL server "
            f"does not): confirm {1 / statistics.median(got['confirm_cpu']):6.1f}/s, /me "
            f"{1 / statistics.median(got['me_cpu']):6.1f}/s, ratio "
            f"{statistics.median(got['me_cpu']) / statistics.median(got['confirm_cpu']):.2f}"
        )
    if "old" in rates:
        print(f"confirm req/s new/old: {rates['new'] / rates['old']:.2f}×")


if __name__ == "__main__":
    main()
