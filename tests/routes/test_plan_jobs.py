"""Planning as a job (API.md, issue 15): POST answers 202 with a job URL before anything is
planned; GET on the job gives its state and the proposal; the same input gives the same proposal;
the job plans as well as the synchronous planner did; OR-Tools stays out of the web process."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from routes import jobs, planner, services
from routes.models import PlanJob, Route
from tests.factories import make_user
from tests.routes.helpers import MONDAY, World
from tests.routes.test_planner import random_instance

pytestmark = pytest.mark.django_db

URL = "/api/v1/routes/plan/"
WEEK = {"date_from": MONDAY.isoformat(), "date_to": (MONDAY + dt.timedelta(days=4)).isoformat()}
ROOT = Path(__file__).resolve().parents[2]


def start(client, **body):
    response = client.post(URL, {**WEEK, **body}, format="json")
    assert response.status_code == 202, response.data
    assert response.data["job"].endswith(f"/api/v1/routes/plan/jobs/{response.data['id']}/")
    assert response["Location"] == response.data["job"]
    return response.data


def result_of(client, job_url):
    job = client.get(job_url)
    assert job.status_code == 200 and job.data["status"] == "done", job.data
    return job.data["result"]


def test_a_plan_request_answers_202_before_the_job_has_run(coordinator_client, settings):
    settings.TW_PLAN_JOBS = "manual"
    world = World()
    booking = world.booking(0)
    queued = start(coordinator_client)
    assert queued["status"] == "queued" and queued["result"] is None
    waiting = coordinator_client.get(queued["job"]).data
    assert waiting["status"] == "queued" and waiting["result"] is None
    jobs.plan_job_run(queued["id"])
    result = result_of(coordinator_client, queued["job"])
    assert [s["booking"] for r in result["routes"] for s in r["stops"]] == [booking.pk]
    assert result["committed"] is False and Route.objects.count() == 0


def test_a_job_runs_once(coordinator_client, settings):
    settings.TW_PLAN_JOBS = "manual"
    World().booking(0)
    job_id = start(coordinator_client, commit=True)["id"]
    first = jobs.plan_job_run(job_id)
    again = jobs.plan_job_run(job_id)
    assert first.status == again.status == "done" and again.finished == first.finished
    assert Route.objects.count() == 1


def test_the_same_input_gives_the_same_proposal(coordinator_client):
    random_instance(3, n=16, wagons=2, days=5, bots=16)
    first = result_of(coordinator_client, start(coordinator_client)["job"])
    second = result_of(coordinator_client, start(coordinator_client)["job"])
    assert first["served"] > 0
    assert first == second


def _today_solver(parameters, *, columns, time_limit):
    """The synchronous planner's settings before issue 15: 8 threads, 10 s, no interleaving."""
    parameters.max_time_in_seconds = 10.0
    parameters.num_workers = 8
    parameters.random_seed = 1


@pytest.mark.parametrize("seed", range(6))
def test_the_job_plans_as_well_as_the_synchronous_planner(coordinator_client, monkeypatch, seed):
    world, bookings, week = random_instance(seed, n=16, wagons=2, days=5, bots=16)
    job = result_of(coordinator_client, start(coordinator_client)["job"])
    with monkeypatch.context() as m:
        m.setattr(planner, "configure_solver", _today_solver)
        today = services.plan_propose(
            wagons=world.wagons,
            date_from=week[0],
            date_to=week[-1],
            today=dt.date(2026, 11, 21),
            allow_moves=False,
        ).result
    assert job["served"] == today.served
    assert job["total_drive_minutes"] <= today.total_drive_minutes * 1.02


def test_the_solver_uses_the_cores_it_has_and_a_budget_by_size():
    from ortools.sat.python import cp_model

    parameters = cp_model.CpSolver().parameters
    planner.configure_solver(parameters, columns=40, time_limit=None)
    assert (
        parameters.num_workers
        == planner.solver_workers()
        <= 2 * len(__import__("os").sched_getaffinity(0))
    )
    assert parameters.interleave_search and parameters.random_seed == 1
    small = planner.deterministic_budget(40)
    assert small < planner.deterministic_budget(4000) <= 20


def test_only_its_requester_reads_a_job(coordinator_client, crew_client):
    World().booking(0)
    url = start(coordinator_client)["job"]
    other = APIClient()
    other.force_authenticate(make_user("andere-planner", "coordinator"))
    assert other.get(url).status_code == 404
    assert crew_client.get(url).status_code == 403
    assert coordinator_client.get("/api/v1/routes/plan/jobs/999999/").status_code == 404
    huge = "/api/v1/routes/plan/jobs/" + "9" * 30 + "/"
    assert coordinator_client.get(huge).status_code == 404


def test_a_failing_plan_makes_a_failed_job_not_a_500(coordinator_client, monkeypatch):
    World().booking(0)

    def broken(**kwargs):
        raise RuntimeError("solver weg")

    monkeypatch.setattr(services, "plan_propose", broken)
    url = start(coordinator_client)["job"]
    job = coordinator_client.get(url).data
    assert job["status"] == "failed" and "solver weg" in job["error"] and job["result"] is None


@pytest.mark.django_db(transaction=True)
def test_a_pooled_job_plans_after_the_request_has_answered(settings):
    settings.TW_PLAN_JOBS = "thread"
    world = World()
    booking = world.booking(0)
    client = APIClient()
    client.force_authenticate(make_user("planner", "coordinator"))
    queued = start(client)
    assert queued["status"] == "queued"
    jobs.plan_job_wait(queued["id"], timeout=120)
    result = result_of(client, queued["job"])
    assert [s["booking"] for r in result["routes"] for s in r["stops"]] == [booking.pk]
    assert PlanJob.objects.get().finished is not None


def test_the_web_process_does_not_import_ortools():
    code = (
        "import sys, django; django.setup();"
        "import backend.wsgi, backend.urls;"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "import routes.views, routes.jobs, routes.planner;"
        "print('ortools' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "backend.test_settings",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False", out.stderr


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_queued_job_waits_for_the_task_worker_and_it_plans_it(
    settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TW_PLAN_JOBS = "queue"
    settings.TASKS = DB_TASKS
    booking = World().booking(0)
    client = APIClient()
    client.force_authenticate(make_user("planner", "coordinator"))
    with django_capture_on_commit_callbacks(execute=True):
        queued = start(client)
    assert queued["status"] == "queued"
    task = DBTaskResult.objects.get()
    assert task.task_path == "routes.tasks.run_plan_job" and task.args_kwargs["args"] == [
        queued["id"]
    ]
    assert PlanJob.objects.get().status == "queued"  # nothing plans it but the worker
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    result = result_of(client, queued["job"])
    assert [s["booking"] for r in result["routes"] for s in r["stops"]] == [booking.pk]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_on_the_immediate_backend_the_queued_job_is_planned_after_commit(
    coordinator_client, settings, django_capture_on_commit_callbacks
):
    settings.TW_PLAN_JOBS = "queue"  # test settings: TW_TASKS_BACKEND=immediate
    booking = World().booking(0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = start(coordinator_client)
    assert queued["status"] == "queued" and len(callbacks) == 1
    callbacks[0]()
    result = result_of(coordinator_client, queued["job"])
    assert [s["booking"] for r in result["routes"] for s in r["stops"]] == [booking.pk]


def test_a_job_that_cannot_be_enqueued_fails_with_the_reason(
    coordinator_client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from routes import tasks

    settings.TW_PLAN_JOBS = "queue"
    World().booking(0)

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis weg")

    monkeypatch.setattr(type(tasks.run_plan_job), "enqueue", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        queued = start(coordinator_client)
    job = coordinator_client.get(queued["job"]).data
    assert job["status"] == "failed" and "wachtrij" in job["error"]
    assert Route.objects.count() == 0
