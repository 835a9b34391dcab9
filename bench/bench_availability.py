"""Availability for 90 days, 2 wagons, 12 kit types, 500 confirmed bookings, via the API client.

    DEBUG=1 .venv/bin/python bench/bench_availability.py                 # file SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_avail DEBUG=1 \
        .venv/bin/python bench/bench_availability.py                     # PostgreSQL (created)

Uses its own database (never the dev database), rebuilds the data each run and prints the
median and p95 per request and the query count for 1, 30 and 90 days.
"""

import datetime as dt
import statistics
import time

from _setup import bootstrap  # noqa: E402  (bench/ is on sys.path when run as a script)

bootstrap("sqlite:////tmp/tw_bench_availability.sqlite3")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bookings.models import (  # noqa: E402
    Booking,
    BookingSession,
    KitReservation,
    KitRule,
    School,
    Workshop,
)
from inventory.models import Depot, Item, KitType, Wagon  # noqa: E402

START = dt.date.today() + dt.timedelta(days=14)
DAYS = 90
BOOKINGS = 500


def build():
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        for model in (KitReservation, BookingSession, Booking, KitRule, Workshop, School, Item):
            model.objects.all().delete()
        Wagon.objects.filter(name__startswith="Bench").delete()
        KitType.objects.filter(name__startswith="Bench").delete()
        depot, _ = Depot.objects.get_or_create(name="Bench depot")
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
            for n in range(2)
        ]
        kit_types = [KitType.objects.create(name=f"Bench kit {n}") for n in range(12)]
        Item.objects.bulk_create(
            Item(asset_tag=f"BENCH-{k.pk}-{i}", kit_type=k, depot=depot)
            for k in kit_types
            for i in range(400)
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
        )
        workshop = Workshop.objects.create(
            name="Bench workshop", duration_minutes=60, max_pupils=32, school_types=["po"]
        )
        for k in kit_types:
            KitRule.objects.create(workshop=workshop, kit_type=k, per_pupils=2)
        bookings = Booking.objects.bulk_create(
            Booking(
                reference=f"BENCH-{n:05d}",
                school=school,
                wagon=wagons[n % 2],
                date=START + dt.timedelta(days=n % DAYS),
                status="confirmed",
                contact_name="Bench",
                contact_email="bench@example.org",
            )
            for n in range(BOOKINGS)
        )
        KitReservation.objects.bulk_create(
            KitReservation(booking=b, kit_type=k, depot=depot, date=b.date, quantity=5)
            for b in bookings
            for k in kit_types
        )
    if connection.vendor == "postgresql":
        # Fresh bulk data has no planner statistics yet; autovacuum would gather them shortly.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username="bench-coordinator")
    group, _ = Group.objects.get_or_create(name="coordinator")
    user.groups.add(group)
    return school, workshop, user


def measure(client, school, workshop, days, runs=30):
    params = {
        "school": school.pk,
        "date_from": START.isoformat(),
        "date_to": (START + dt.timedelta(days=days - 1)).isoformat(),
        "workshop": workshop.pk,
        "pupils": 24,
    }
    client.get("/api/v1/availability/", params)  # warm-up
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get("/api/v1/availability/", params)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content[:300]
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/availability/", params)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def main():
    school, workshop, user = build()
    client = APIClient()
    client.force_authenticate(user=user)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"engine={engine} bookings={BOOKINGS} kit_types=12 wagons=2")
    for days in (1, 30, 90):
        median, p95, queries = measure(client, school, workshop, days)
        print(f"  {days:>3} days: median {median:6.1f} ms  p95 {p95:6.1f} ms  queries {queries}")


if __name__ == "__main__":
    settings.ALLOWED_HOSTS = ["*"]
    main()
