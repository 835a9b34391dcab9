"""The scheduler: enqueues the daily job at TW_DAILY_JOB_TIME (Europe/Amsterdam) and, every
minute, the sweeps: e-mails due for a retry, waiting-list offers whose 48 hours are over. It only enqueues; the worker runs.
Running two schedulers is harmless: the sent-log makes the daily job's messages once-only."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from bookings.tasks import expire_offers
from lifecycle.tasks import daily_lifecycle
from outbox.tasks import retry_due_emails

TZ = ZoneInfo("Europe/Amsterdam")


def next_run(now: dt.datetime, at: dt.time) -> dt.datetime:
    local = now.astimezone(TZ)
    candidate = dt.datetime.combine(local.date(), at, tzinfo=TZ)
    if candidate <= local:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), at, tzinfo=TZ)
    return candidate


class Command(BaseCommand):
    help = "Enqueue the daily lifecycle job at 07:00 and the e-mail retry sweep every minute."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="seconds between sweeps")

    def handle(self, *args, interval: int, **options):
        at = dt.time.fromisoformat(settings.TW_DAILY_JOB_TIME)
        due = next_run(dt.datetime.now(TZ), at)
        self.stdout.write(f"scheduler: daily job next at {due:%Y-%m-%d %H:%M %Z}")
        try:
            while True:
                retry_due_emails.enqueue()
                expire_offers.enqueue()
                if dt.datetime.now(TZ) >= due:
                    daily_lifecycle.enqueue()
                    if settings.TW_TASKS_BACKEND == "db":
                        # The sweeps add two finished task rows a minute: keep two weeks.
                        call_command("prune_db_task_results", verbosity=0)
                    due = next_run(dt.datetime.now(TZ), at)
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("scheduler: stopped")
