"""The scheduled work, as tasks (run by the worker; enqueued by `manage.py lifecycle_scheduler`)."""

from django_tasks import task

from lifecycle.daily import daily_run


@task()
def daily_lifecycle() -> dict[str, int]:
    return daily_run()
