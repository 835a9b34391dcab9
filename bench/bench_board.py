"""The planning board with a busy month: 200 visits (2 wagons, weekdays of one month), week and
month views, and the same views with 50 visits to show the query count does not grow with visits.

    DEBUG=1 .venv/bin/python bench/bench_board.py                     # file SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_w13_bench_board DEBUG=1 \
        .venv/bin/python bench/bench_board.py                         # PostgreSQL (created)

Uses its own database, rebuilds the data each run and prints median / p95 server time, HTML bytes
and queries per view.
"""

import datetime as dt
import statistics
import time

from _setup import bootstrap, in_programme, join_programmes, of_depot  # noqa: E402  (bench/ is on sys.path when run as a script)

bootstrap("sqlite:////tmp/tw_w13_bench_board.sqlite3")

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bookings.models import Booking, BookingSession, School, Workshop  # noqa: E402
from inventory.models import Depot, Wagon  # noqa: E402

MONTH = dt.date(2027, 3, 1)  # 23 weekdays
PREFIX = "BOARDB"


def weekdays(first: dt.date) -> list[dt.date]:
    days, day = [], first
    while day.month == first.month:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def build(visits: int):
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        BookingSession.objects.filter(booking__reference__startswith=PREFIX).delete()
        Booking.objects.filter(reference__startswith=PREFIX).delete()
        School.objects.filter(name__startswith="Board bench").delete()
        Wagon.objects.filter(name__startswith="Board bench").delete()
        depot, _ = Depot.objects.get_or_create(name="Board bench depot", defaults=in_programme())
        wagons = [
            Wagon.objects.create(
                name=f"Board bench wagon {n}",
                plate=f"BB-{n:03d}-NC",
                depot=depot,
                depot_address="Bench",
                depot_lat=51.9,
                depot_lon=4.5,
                max_visits_per_day=6,
            )
            for n in range(2)
        ]
        schools = [
            School.objects.create(
                name=f"Board bench school with a long name {n}",
                brin=f"{50 + n:02d}BB00",
                school_types=["po"],
                address=f"Benchweg {n}",
                postcode="3032 AD",
                city="Rotterdam",
                lat=51.9 + n / 100,
                lon=4.5 + n / 100,
                holiday_region="midden",
                depot=depot,
                **of_depot(depot),
            )
            for n in range(10)
        ]
        workshop, _ = Workshop.objects.get_or_create(
            name="Board bench workshop",
            defaults={"duration_minutes": 60, "max_pupils": 32, "school_types": ["po"]},
        )
        days = weekdays(MONTH)
        statuses = ["requested", "confirmed", "confirmed", "packed"]
        for n in range(visits):
            booking = Booking.objects.create(
                reference=f"{PREFIX}-{n:05d}",
                school=schools[n % len(schools)],
                wagon=wagons[n % 2],
                date=days[(n // 2) % len(days)],
                status=statuses[n % len(statuses)],
                contact_name="Bench",
                contact_email="bench@example.org",
            )
            BookingSession.objects.create(
                booking=booking,
                workshop=workshop,
                group_label="groep 6",
                school_type="po",
                year=6,
                pupils=24,
                start_time=dt.time(9, 0),
            )
    user, _ = User.objects.get_or_create(username="board-bench")
    user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    join_programmes(user)
    return user


def measure(client, url, runs=15):
    response = client.get(url)  # warm-up
    assert response.status_code == 200, response.status_code
    size = len(response.content)
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], size, len(queries)


def main():
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    for visits in (50, 200):
        user = build(visits)
        client = Client()
        client.force_login(user)
        print(f"engine={engine} visits in March 2027={visits}")
        for label, url in (
            ("week ", f"/planning/board/?start={MONTH + dt.timedelta(days=7)}"),
            ("month", f"/planning/board/?start={MONTH}&span=month"),
            ("print", f"/planning/board/?start={MONTH}&span=month&print=1"),
        ):
            median, p95, size, queries = measure(client, url)
            print(
                f"  board {label}: median {median:6.1f} ms  p95 {p95:6.1f} ms  "
                f"HTML {size / 1024:6.1f} KiB  queries {queries}"
            )


if __name__ == "__main__":
    settings.ALLOWED_HOSTS = ["*"]
    main()
