"""The task worker for the configured backend (TW_TASKS_BACKEND; e-mails, the daily run, planning
jobs): `db_worker` for the database backend, an rq worker for Redis. Production runs this as its
own process (README)."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker of the configured task backend."

    def handle(self, *args, **options):
        backend = settings.TW_TASKS_BACKEND
        if backend == "db":
            call_command("db_worker", reload=False, queue_name="default")
        elif backend == "rq":
            call_command("rqworker", "default", job_class="django_tasks_rq.backend.Job")
        else:
            self.stdout.write("TW_TASKS_BACKEND=immediate: tasks run in the web process.")
            while True:
                time.sleep(3600)
