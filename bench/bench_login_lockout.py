"""Password guessing against the token endpoint: 50 wrong passwords for one user from one IP.

    DEBUG=1 .venv/bin/python bench/bench_login_lockout.py [--attempts 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_bench_lockout DEBUG=1 \
        .venv/bin/python bench/bench_login_lockout.py                      # PostgreSQL (created)

Sends the requests through the full request cycle (axes middleware included) with the test
client and prints how many were answered "wrong password" (400) and how many were refused by the
lock-out (429), whether the right password is refused too, whether another IP address still gets
in, and the time per attempt before and during the lock-out.
"""

import argparse
import logging
import statistics
import time

from _setup import bootstrap  # noqa: E402  (bench/ is on sys.path when run as a script)

bootstrap("sqlite:////tmp/tw_bench_lockout.sqlite3")

from axes.models import AccessAttempt, AccessLog  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

USERNAME = "bench-crew"
PASSWORD = "bench-password-123"
URL = "/api/v1/auth/token/"


def setup() -> None:
    call_command("migrate", verbosity=0)
    AccessAttempt.objects.all().delete()
    AccessLog.objects.all().delete()
    User.objects.filter(username=USERNAME).delete()
    User.objects.create_user(USERNAME, password=PASSWORD)


def attempt(client: Client, password: str, ip: str) -> tuple[int, float]:
    start = time.perf_counter()
    response = client.post(
        URL,
        {"username": USERNAME, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )
    return response.status_code, time.perf_counter() - start


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms" if values else "-"


def main() -> None:
    logging.disable(logging.WARNING)  # axes and django.request log every refused attempt
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=50)
    args = parser.parse_args()
    setup()
    client = Client()
    results = [attempt(client, f"guess-{n}", "203.0.113.7") for n in range(args.attempts)]
    statuses = [status for status, _ in results]
    wrong = statuses.count(400)
    refused = statuses.count(429)
    first_refused = statuses.index(429) + 1 if refused else None
    right_status, _ = attempt(client, PASSWORD, "203.0.113.7")
    other_ip_status, _ = attempt(client, PASSWORD, "198.51.100.9")

    print(
        f"lock-out after {settings.AXES_FAILURE_LIMIT} failures per user + IP, "
        f"cool-off {settings.AXES_COOLOFF_TIME}"
    )
    print(f"{args.attempts} wrong passwords to {URL}:")
    print(f"  answered 'wrong password' (400): {wrong}")
    print(f"  refused by the lock-out (429):   {refused} (from attempt {first_refused} on)")
    print(f"  other answers:                   {args.attempts - wrong - refused}")
    print(f"  the right password, same IP:     {right_status} (429 = still locked out)")
    print(f"  the right password, other IP:    {other_ip_status} (200 = not locked out)")
    print(
        f"  time per attempt: {ms([t for s, t in results if s == 400])} before, "
        f"{ms([t for s, t in results if s == 429])} during the lock-out"
    )
    ok = refused == args.attempts - wrong and right_status == 429 and other_ip_status == 200
    if not ok:
        raise SystemExit("lock-out did not behave as configured")


if __name__ == "__main__":
    main()
