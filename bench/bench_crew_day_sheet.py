"""The crew day sheet with a busy month: 2 wagons × 31 days × 4 visits of 2 sessions, half of the
days planned as routes (so their times come from the route computation).

    DEBUG=1 .venv/bin/python bench/bench_crew_day_sheet.py                # file SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_crew DEBUG=1 \
        .venv/bin/python bench/bench_crew_day_sheet.py                    # PostgreSQL (created)

Uses its own database, rebuilds the data each run and prints median / p95 per page and the query
count for 1, 7 and 31 days, plus the visit page shell.
"""

import datetime as dt
import statistics
import time

from _setup import bootstrap, in_programme, join_programmes, of_depot  # noqa: E402  (bench/ is on sys.path when run as a script)

bootstrap("sqlite:////tmp/tw_bench_crew.sqlite3")

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bookings.models import Booking, BookingSession, School, Workshop  # noqa: E402
from inventory.models import Depot, Wagon  # noqa: E402
from routes.models import Route, RouteStop  # noqa: E402

DAYS = 31
PER_WAGON_DAY = 4


def build():
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    with transaction.atomic():
        RouteStop.objects.all().delete()
        Route.objects.all().delete()
        BookingSession.objects.filter(booking__reference__startswith="CREWB").delete()
        Booking.objects.filter(reference__startswith="CREWB").delete()
        School.objects.filter(name__startswith="Crew bench").delete()
        Wagon.objects.filter(name__startswith="Crew bench").delete()
        depot, _ = Depot.objects.get_or_create(name="Crew bench depot", defaults=in_programme())
        wagons = [
            Wagon.objects.create(
                name=f"Crew bench wagon {n}",
                plate=f"CB-{n:03d}-NC",
                depot=depot,
                depot_address="Bench",
                depot_lat=51.9,
                depot_lon=4.5,
                max_visits_per_day=PER_WAGON_DAY,
            )
            for n in range(2)
        ]
        schools = [
            School.objects.create(
                name=f"Crew bench school {n}",
                brin=f"{80 + n:02d}CB00",
                school_types=["po"],
                address=f"Benchweg {n}",
                postcode="3032 AD",
                city="Rotterdam",
                lat=51.9 + n / 100,
                lon=4.5 + n / 100,
                holiday_region="midden",
                depot=depot,
                **of_depot(depot),
                site_notes="Parkeren achter de school.",
            )
            for n in range(PER_WAGON_DAY)
        ]
        workshop, _ = Workshop.objects.get_or_create(
            name="Crew bench workshop",
            defaults={"duration_minutes": 60, "max_pupils": 32, "school_types": ["po"]},
        )
        n = 0
        for day in range(DAYS):
            date = today + dt.timedelta(days=day)
            for wagon in wagons:
                route = Route.objects.create(wagon=wagon, date=date) if day % 2 == 0 else None
                for slot, school in enumerate(schools):
                    n += 1
                    booking = Booking.objects.create(
                        reference=f"CREWB-{n:05d}",
                        school=school,
                        wagon=wagon,
                        date=date,
                        status="confirmed",
                        contact_name="Bench",
                        contact_email="bench@example.org",
                        contact_phone="010-1234567",
                    )
                    for s in range(2):
                        BookingSession.objects.create(
                            booking=booking,
                            workshop=workshop,
                            group_label=f"groep {s + 5}",
                            school_type="po",
                            year=5 + s,
                            pupils=24,
                            start_time=dt.time(8 + slot * 2, 30 + s * 0),
                        )
                    if route is not None:
                        RouteStop.objects.create(route=route, booking=booking, position=slot + 1)
    user, _ = User.objects.get_or_create(username="crew-bench")
    user.groups.add(Group.objects.get_or_create(name="crew")[0])
    join_programmes(user)
    return user, Booking.objects.filter(reference__startswith="CREWB").first()


def measure(client, url, runs=20):
    assert client.get(url).status_code == 200  # warm-up
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def main():
    user, booking = build()
    client = Client()
    client.force_login(user)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    total = Booking.objects.filter(reference__startswith="CREWB").count()
    print(f"engine={engine} visits={total} wagons=2 routes={Route.objects.count()}")
    for days in (1, 7, 31):
        median, p95, queries = measure(client, f"/crew/?days={days}")
        visits = days * 2 * PER_WAGON_DAY
        print(
            f"  day sheet {days:>2} days ({visits:>3} visits): median {median:6.1f} ms  "
            f"p95 {p95:6.1f} ms  queries {queries}"
        )
    median, p95, queries = measure(client, f"/crew/visits/{booking.id}/")
    print(
        f"  visit page shell:                 median {median:6.1f} ms  p95 {p95:6.1f} ms  queries {queries}"
    )


if __name__ == "__main__":
    settings.ALLOWED_HOSTS = ["*"]
    main()
