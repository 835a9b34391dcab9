"""GET /healthz for the load balancer (API.md): 200 when the database, the planning queue and the
disk are fine, 503 naming what is not — also when the database cannot be reached at all."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from routes.models import PlanJob
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthy_answers_200_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "queue": "ok", "disk": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_failing_database_answers_503(client, monkeypatch):
    from django.db.utils import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"].startswith("niet bereikbaar") and body["disk"] == "ok"


def test_an_unreachable_database_answers_503():
    # A real server that is not there: nothing listens on port 1.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps([r.status_code, r.json()]))"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "backend.test_settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/tw_nowhere",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr[-2000:]
    status, body = json.loads(out.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["database"] != "ok" and body["queue"] != "ok"


@pytest.mark.django_db
def test_a_full_disk_answers_503(client, settings):
    settings.TW_HEALTH_MIN_FREE_MB = 10**12
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["disk"].startswith("nog ") and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_a_planning_job_stuck_in_the_queue_answers_503(client, settings):
    settings.TW_PLAN_JOBS = "thread"
    job = PlanJob.objects.create(requested_by=make_user("p", "coordinator"), params={})
    assert client.get("/healthz").status_code == 200  # just queued: fine
    PlanJob.objects.filter(pk=job.pk).update(created=timezone.now() - dt.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["queue"] != "ok"


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_a_planning_job_running_for_too_long_answers_503(client, settings):
    settings.TW_PLAN_JOBS = "thread"
    user = make_user("p", "coordinator")
    PlanJob.objects.create(requested_by=user, params={}, status="done")
    job = PlanJob.objects.create(requested_by=user, params={}, status="running")
    assert client.get("/healthz").status_code == 200
    PlanJob.objects.filter(pk=job.pk).update(created=timezone.now() - dt.timedelta(hours=1))
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_a_job_queued_too_long_on_the_task_queue_says_the_worker_is_not_running(client, settings):
    settings.TW_PLAN_JOBS = "queue"
    job = PlanJob.objects.create(requested_by=make_user("p", "coordinator"), params={})
    assert client.get("/healthz").status_code == 200  # just queued: the worker takes it soon
    PlanJob.objects.filter(pk=job.pk).update(created=timezone.now() - dt.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503 and "worker" in response.json()["queue"]
    PlanJob.objects.filter(pk=job.pk).update(status="running")
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_jobs_planned_inline_never_make_the_queue_unhealthy(client, settings):
    settings.TW_PLAN_JOBS = "inline"
    job = PlanJob.objects.create(requested_by=make_user("p", "coordinator"), params={})
    PlanJob.objects.filter(pk=job.pk).update(created=timezone.now() - dt.timedelta(hours=1))
    assert client.get("/healthz").status_code == 200
