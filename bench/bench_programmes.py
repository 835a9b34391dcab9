"""Programme scoping at scale (issue 14): the bookings list and availability for a coordinator of
one programme, with 20 programmes × 500 bookings in the database versus one programme with 500
bookings — time and query count should be equal (±10 %), measured in the same run.

    DEBUG=1 .venv/bin/python bench/bench_programmes.py                  # file SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_prog DEBUG=1 \\
        .venv/bin/python bench/bench_programmes.py                      # PostgreSQL (created)

Each scenario runs in its own subprocess on its own database (suffix `_one` / `_twenty`), built
with bulk_create (bookings confirmed, kit reservations and the per-day summary written); the
parent interleaves the two round by round so load from elsewhere hits both alike, and prints
medians, p95, query counts and the ratio twenty/one.
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
SCENARIOS = {"one": 1, "twenty": 20}
BOOKINGS_PER_PROGRAMME = 500
SPAN_DAYS = 90
KIT_TYPES = 6
ROUNDS = 5
RUNS = 40


def build(programmes: int):
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection, transaction

    from bookings.kit.pool import day_needs_rebuild
    from bookings.models import Booking, BookingSession, KitReservation, KitRule, School, Workshop
    from inventory.models import Depot, Item, KitType, Wagon
    from programmes.models import Programme

    call_command("migrate", verbosity=0)
    start = dt.date.today() + dt.timedelta(days=14)
    with transaction.atomic():
        if Programme.objects.filter(name="Bench 0").exists():
            return _existing(start)
        kit_types = [KitType.objects.create(name=f"Bench kit {n}") for n in range(KIT_TYPES)]
        for p in range(programmes):
            programme = Programme.objects.create(name=f"Bench {p}", project_code=f"STO{p:05d}")
            depot = Depot.objects.create(name=f"Bench depot {p}", programme=programme)
            wagons = [
                Wagon.objects.create(
                    name=f"Bench wagon {p}-{n}",
                    plate=f"B{p:02d}-{n}-NC",
                    depot=depot,
                    depot_address="Bench",
                    depot_lat=51.9,
                    depot_lon=4.5,
                    max_visits_per_day=20,
                )
                for n in range(2)
            ]
            Item.objects.bulk_create(
                Item(asset_tag=f"B{p}-{k.pk}-{i}", kit_type=k, depot=depot)
                for k in kit_types
                for i in range(200)
            )
            school = School.objects.create(
                name=f"Bench school {p}",
                brin=f"{10 + p:02d}ZZ00",
                school_types=["po"],
                address="Benchweg 1",
                postcode="3032 AD",
                city="Rotterdam",
                lat=51.9,
                lon=4.5,
                holiday_region="midden",
                depot=depot,
                programme=programme,
            )
            workshop = Workshop.objects.create(
                name="Bench workshop",
                programme=programme,
                duration_minutes=60,
                max_pupils=32,
                school_types=["po"],
            )
            for k in kit_types:
                KitRule.objects.create(workshop=workshop, kit_type=k, per_pupils=2)
            bookings = Booking.objects.bulk_create(
                Booking(
                    reference=f"B{p:02d}-{n:05d}",
                    school=school,
                    wagon=wagons[n % 2],
                    date=start + dt.timedelta(days=n % SPAN_DAYS),
                    status="confirmed",
                    contact_name="Bench",
                    contact_email="bench@example.org",
                )
                for n in range(BOOKINGS_PER_PROGRAMME)
            )
            BookingSession.objects.bulk_create(
                BookingSession(
                    booking=b,
                    workshop=workshop,
                    group_label="groep 7",
                    school_type="po",
                    year=7,
                    pupils=6,
                    start_time=dt.time(9, 0),
                )
                for b in bookings
            )
            KitReservation.objects.bulk_create(
                KitReservation(booking=b, kit_type=k, depot=depot, date=b.date, quantity=3)
                for b in bookings
                for k in kit_types
            )
            user = User.objects.create(username=f"bench-coordinator-{p}")
            user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
            programme.members.add(user)
        day_needs_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return _existing(start)


def _existing(start):
    from django.contrib.auth.models import User

    from bookings.models import School, Workshop

    return (
        start,
        School.objects.get(name="Bench school 0"),
        Workshop.objects.filter(programme__name="Bench 0").get(),
        User.objects.get(username="bench-coordinator-0"),
    )


def measure(client, start, school, workshop, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    asks = {
        "bookings list": ("/api/v1/bookings/", {"page_size": 50}),
        "availability 90 days": (
            "/api/v1/availability/",
            {
                "school": school.pk,
                "date_from": start.isoformat(),
                "date_to": (start + dt.timedelta(days=SPAN_DAYS - 1)).isoformat(),
                "workshop": workshop.pk,
                "pupils": 24,
            },
        ),
    }
    out = {}
    for name, (url, params) in asks.items():
        assert client.get(url, params).status_code == 200  # warm-up
        timings = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.content[:300]
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url, params).json()
        rows = body.get("count", len(body.get("days", [])))
        out[name] = {"timings": timings, "queries": len(queries), "rows": rows}
    return out


def worker(scenario: str) -> None:
    sys.path.insert(0, str(HERE))
    from _setup import bootstrap

    bootstrap("sqlite:////tmp/tw_bench_programmes.sqlite3")
    from django.conf import settings
    from rest_framework.test import APIClient

    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.perf_counter()
    start, school, workshop, user = build(SCENARIOS[scenario])
    built = time.perf_counter() - t0
    client = APIClient()
    client.force_authenticate(user=user)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print("RESULT " + json.dumps({"engine": engine, "build_s": built}), flush=True)
    for line in sys.stdin:
        print(
            "RESULT " + json.dumps(measure(client, start, school, workshop, int(line))), flush=True
        )


class Worker:
    def __init__(self, url: str, scenario: str):
        if url.startswith("sqlite:"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", scenario],
            env={**os.environ, "DATABASE_URL": url, "DEBUG": "1"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(REPO),
        )
        self.info = self._read()

    def _read(self) -> dict:
        for line in self.proc.stdout:
            if line.startswith("RESULT "):
                return json.loads(line.removeprefix("RESULT "))
        sys.exit(f"bench worker failed (exit {self.proc.wait()})")

    def measure(self, runs: int) -> dict:
        self.proc.stdin.write(f"{runs}\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=list(SCENARIOS))
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    base = os.environ.get("DATABASE_URL", "sqlite:////tmp/tw_bench_programmes.sqlite3")
    workers = {}
    for name in SCENARIOS:
        url = f"{base.removesuffix('.sqlite3')}_{name}" + (".sqlite3" if "sqlite" in base else "")
        workers[name] = Worker(url, name)
    print(
        f"engine={workers['one'].info['engine']}; {BOOKINGS_PER_PROGRAMME} bookings per programme; "
        f"a coordinator of one programme asks; one vs twenty programmes in {ROUNDS} rounds"
    )
    got = {name: {} for name in workers}
    for _round in range(ROUNDS):
        for name, w in workers.items():
            for ask, result in w.measure(RUNS // ROUNDS).items():
                slot = got[name].setdefault(ask, {"timings": []})
                slot["timings"] += result.pop("timings")
                slot.update(result)
    for ask in got["one"]:
        one, twenty = got["one"][ask], got["twenty"][ask]
        m1, m20 = statistics.median(one["timings"]), statistics.median(twenty["timings"])
        print(
            f"  {ask:<22} one: {m1:6.1f} ms q {one['queries']:>2} rows {one['rows']:>4} | "
            f"twenty: {m20:6.1f} ms q {twenty['queries']:>2} rows {twenty['rows']:>4} | "
            f"twenty/one {m20 / m1:.2f}×"
        )
    for w in workers.values():
        w.close()


if __name__ == "__main__":
    main()
