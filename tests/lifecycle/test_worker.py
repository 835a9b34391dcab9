"""The worker processes a real queued task: on the database backend, and on Redis (rq)."""

import os

import pytest
from django.core import mail
from django.core.management import call_command

from outbox.models import OutgoingEmail
from outbox.services import email_queue

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}


def _queue(django_capture_on_commit_callbacks) -> OutgoingEmail:
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(
            kind="test", to=["school@example.nl"], subject="Proef", body="Hallo vanuit de wachtrij"
        )
    email.refresh_from_db()
    assert email.status == "queued"  # enqueued, not run: a worker must do it
    return email


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_a_queued_email(settings, django_capture_on_commit_callbacks):
    settings.TASKS = DB_TASKS
    from django_tasks_db.models import DBTaskResult

    email = _queue(django_capture_on_commit_callbacks)
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    email.refresh_from_db()
    assert email.status == "sent"
    assert [m.subject for m in mail.outbox] == ["Proef"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def _redis_or_skip(url: str):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("TW_REQUIRE_REDIS"):  # CI (.ci/run) starts Redis: absent is a failure
            pytest.fail(f"TW_REQUIRE_REDIS is set but Redis at {url} is not reachable")
        pytest.skip(f"needs Redis at {url} (TW_REDIS_URL); CI runs a Redis service")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_sends_a_queued_email(settings, django_capture_on_commit_callbacks):
    url = settings.TW_REDIS_URL.rsplit("/", 1)[0] + "/15"  # a database of its own
    _redis_or_skip(url)
    import django_rq

    settings.TASKS = RQ_TASKS
    settings.RQ_QUEUES = {"default": {"URL": url}}
    django_rq.get_connection("default").flushdb()
    email = _queue(django_capture_on_commit_callbacks)
    assert django_rq.get_queue("default").count == 1
    # A SimpleWorker works in this process (no fork), so it sees this test's database and outbox.
    call_command(
        "rqworker",
        "default",
        burst=True,
        worker_class="rq.SimpleWorker",
        job_class="django_tasks_rq.backend.Job",
    )
    email.refresh_from_db()
    assert email.status == "sent"
    assert [m.subject for m in mail.outbox] == ["Proef"]
    django_rq.get_connection("default").flushdb()
