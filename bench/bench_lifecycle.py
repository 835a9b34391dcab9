"""The daily lifecycle job over 5,000 bookings, and a confirm request with its e-mail queued vs
sent inline (the pre-queue behaviour), in the same run.

    DEBUG=1 .venv/bin/python bench/bench_lifecycle.py                   # file SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_lifecycle DEBUG=1 \
        .venv/bin/python bench/bench_lifecycle.py                       # PostgreSQL (created)

Uses its own database and rebuilds the data each run. The mail backend simulates a remote SMTP
server with a fixed 100 ms per message (`SLOW_SMTP_MS`), so "inline" shows what a request paid
when it waited for the mail server.
"""

import datetime as dt
import os
import statistics
import time

os.environ.setdefault("TW_TASKS_BACKEND", "db")

from _setup import bootstrap, in_programme, join_programmes, of_depot  # noqa: E402  (bench/ is on sys.path when run as a script)

bootstrap("sqlite:////tmp/tw_bench_lifecycle.sqlite3")

from django.conf import settings  # noqa: E402
from django.core.mail.backends.locmem import EmailBackend  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bookings.models import Booking, BookingSession, KitReservation, School, Workshop  # noqa: E402
from bookings.selectors import today  # noqa: E402
from inventory.models import Depot, Wagon  # noqa: E402
from lifecycle.daily import daily_run  # noqa: E402
from outbox.models import Notice, OutgoingEmail  # noqa: E402

BOOKINGS = 5000
SPAN_DAYS = 240  # from 30 days ago to 210 days ahead: about 21 bookings a day
SLOW_SMTP_MS = 100
CONFIRMS = 40


class SlowSMTP(EmailBackend):
    def send_messages(self, messages):
        time.sleep(SLOW_SMTP_MS / 1000 * len(messages))
        return super().send_messages(messages)


def build():
    call_command("migrate", verbosity=0)
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        for model in (Notice, OutgoingEmail, DBTaskResult, KitReservation, BookingSession):
            model.objects.all().delete()
        Booking.objects.all().delete()
        School.objects.filter(name__startswith="Bench").delete()
        Workshop.objects.filter(name__startswith="Bench").delete()
        Wagon.objects.filter(name__startswith="Bench").delete()
        School.objects.filter(name__startswith="Bench").delete()
        depot, _ = Depot.objects.get_or_create(name="Bench depot", defaults=in_programme())
        wagon = Wagon.objects.create(
            name="Bench wagon",
            plate="BE-001-LC",
            depot=depot,
            depot_address="Bench",
            depot_lat=51.9,
            depot_lon=4.5,
            max_visits_per_day=40,
        )
        schools = [
            School.objects.create(
                name=f"Bench school {n}",
                brin=f"9{n % 10}ZZ{n:02d}",
                school_types=["po"],
                address="Benchweg 1",
                postcode="3032 AD",
                city="Rotterdam",
                lat=51.9,
                lon=4.5,
                holiday_region="midden",
                depot=depot,
                **of_depot(depot),
                contact_email=f"school{n}@example.org",
            )
            for n in range(50)
        ]
        workshop = Workshop.objects.create(
            name="Bench workshop",
            duration_minutes=60,
            max_pupils=32,
            school_types=["po"],
            **in_programme(),
        )
        start = today() - dt.timedelta(days=30)
        statuses = ["confirmed"] * 6 + ["completed", "requested", "cancelled", "packed"]
        bookings = Booking.objects.bulk_create(
            Booking(
                reference=f"BENCH-{n:05d}",
                school=schools[n % len(schools)],
                wagon=wagon,
                date=start + dt.timedelta(days=n % SPAN_DAYS),
                status="completed"
                if start + dt.timedelta(days=n % SPAN_DAYS) < today()
                else statuses[n % len(statuses)],
                contact_name="Bench",
                contact_email=f"contact{n}@example.org",
            )
            for n in range(BOOKINGS)
        )
        BookingSession.objects.bulk_create(
            BookingSession(
                booking=b,
                workshop=workshop,
                group_label="groep 7",
                school_type="po",
                year=7,
                pupils=24,
                start_time=dt.time(9, 0),
            )
            for b in bookings
        )
        # Requests to confirm in the request benchmark: their own depot, wagon and school, one a
        # weekday (a holiday refuses: not counted).
        other_depot, _ = Depot.objects.get_or_create(name="Bench depot 2", defaults=in_programme())
        Wagon.objects.create(
            name="Bench wagon 2",
            plate="BE-002-LC",
            depot=other_depot,
            depot_address="Bench",
            depot_lat=51.9,
            depot_lon=4.5,
        )
        confirm_school = School.objects.create(
            name="Bench school confirm",
            brin="98YY00",
            school_types=["po"],
            address="Benchweg 2",
            postcode="3032 AD",
            city="Rotterdam",
            lat=51.9,
            lon=4.5,
            holiday_region="midden",
            depot=other_depot,
            **of_depot(other_depot),
        )
        days = [today() + dt.timedelta(days=40 + n) for n in range(CONFIRMS * 2)]
        days = [d for d in days if d.weekday() < 5]
        to_confirm = Booking.objects.bulk_create(
            Booking(
                reference=f"BENCH-C{n:04d}",
                school=confirm_school,
                date=day,
                status="requested",
                contact_name="Bench",
                contact_email=f"confirm{n}@example.org",
            )
            for n, day in enumerate(days)
        )
        BookingSession.objects.bulk_create(
            BookingSession(
                booking=b,
                workshop=workshop,
                group_label="groep 7",
                school_type="po",
                year=7,
                pupils=24,
                start_time=dt.time(9, 0),
            )
            for b in to_confirm
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(
        username="bench-coordinator", defaults={"email": "planning@example.org"}
    )
    group, _ = Group.objects.get_or_create(name="coordinator")
    user.groups.add(group)
    join_programmes(user)
    return user


def timed_run():
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        t0 = time.perf_counter()
        counts = daily_run()
        elapsed = time.perf_counter() - t0
    return counts, elapsed, len(queries)


def confirm_timings(client, tasks_backend: str, runs: int = 12) -> list[float]:
    """Confirm requested bookings until `runs` succeeded; the request's time includes its
    on-commit work."""
    requested = list(
        Booking.objects.filter(status="requested", reference__startswith="BENCH-C")
        .order_by("id")
        .values_list("pk", flat=True)
    )
    timings = []
    with override_settings(
        TASKS={"default": {"BACKEND": tasks_backend}},
        EMAIL_BACKEND="bench_lifecycle.SlowSMTP",
    ):
        for pk in requested:
            t0 = time.perf_counter()
            response = client.post(f"/api/v1/bookings/{pk}/confirm/")
            elapsed = (time.perf_counter() - t0) * 1000
            if response.status_code == 200:  # a closed day (holiday) refuses: not counted
                timings.append(elapsed)
                if len(timings) == runs:
                    break
    return timings


def main():
    user = build()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"engine={engine} bookings={BOOKINGS} over {SPAN_DAYS} days")
    counts, elapsed, queries = timed_run()
    messages = sum(counts.values())
    print(f"daily job, first run:  {elapsed:.2f} s, {queries} queries, queued {counts}")
    counts2, elapsed2, queries2 = timed_run()
    print(f"daily job, second run: {elapsed2:.2f} s, {queries2} queries, queued {counts2}")
    print(
        f"  per message: {(queries - queries2) / max(messages, 1):.1f} queries "
        f"(constant part {queries2} queries for {len(counts)} kinds)"
    )
    client = APIClient()
    client.force_authenticate(user=user)
    inline = confirm_timings(client, "django_tasks.backends.immediate.ImmediateBackend")
    queued = confirm_timings(client, "django_tasks_db.DatabaseBackend")
    for label, timings in (("inline (immediate)", inline), ("queued (db backend)", queued)):
        timings.sort()
        print(
            f"confirm request, e-mail {label}: median {statistics.median(timings):.1f} ms, "
            f"max {timings[-1]:.1f} ms over {len(timings)} requests "
            f"(simulated SMTP {SLOW_SMTP_MS} ms)"
        )


if __name__ == "__main__":
    main()
