"""Planning as a job: `POST /api/v1/routes/plan/` stores a `PlanJob` and answers 202; the plan is
made off the request path and `GET` on the job returns its state and proposal (API.md).

`TW_PLAN_JOBS=queue` (the default) enqueues the task `routes.tasks.run_plan_job` on the task queue
(TW_TASKS_BACKEND) once the job's row is committed; the worker (`manage.py lifecycle_worker`) plans
it. The job's input, state and result live in the database, so any process can run or read it.

`TW_PLAN_JOBS=inline` plans inside `plan_job_start` (tests, scripts); `manual` only stores the job,
for a test that wants to see it queued and then runs it with `plan_job_run`; `thread` is the old
small thread pool in the web process, a fallback for a deployment without a worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from routes.models import PlanJob
from routes.tasks import plan_job_run, run_plan_job

logger = logging.getLogger(__name__)

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_futures: dict[int, Future] = {}

# A job queued or running for longer than this means the worker (or pool) is not running, is stuck
# or its process died (a plan takes at most TW_PLANNER_TIME_LIMIT).
STUCK_AFTER = dt.timedelta(minutes=15)


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.TW_PLAN_WORKERS, thread_name_prefix="plan-job"
            )
        return _pool


def plan_job_start(
    *,
    acting_user,
    wagons: list,
    date_from: dt.date,
    date_to: dt.date,
    commit: bool,
    allow_moves: bool,
    today: dt.date | None = None,
) -> PlanJob:
    """Store a planning job for these wagons and period and hand it to the runner."""
    today = today or timezone.localdate()
    programmes = {w.depot.programme_id for w in wagons}
    job = PlanJob.objects.create(
        requested_by=acting_user,
        programme_id=programmes.pop() if len(programmes) == 1 else None,
        params={
            "wagons": sorted(w.pk for w in wagons),
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "commit": bool(commit),
            "allow_moves": bool(allow_moves),
            "today": today.isoformat(),
        },
    )
    _dispatch(job.pk)
    return job


def _dispatch(job_id: int) -> None:
    mode = settings.TW_PLAN_JOBS
    if mode == "inline":
        plan_job_run(job_id)
    elif mode == "queue":
        # After commit: the worker reads the row through its own connection.
        transaction.on_commit(partial(_enqueue, job_id))
    elif mode == "thread":
        # After commit: the worker thread has its own connection and must see the row.
        transaction.on_commit(lambda: _submit(job_id))


def _enqueue(job_id: int) -> None:
    try:
        run_plan_job.enqueue(job_id)
    except Exception as exc:
        # The broker being down must not fail the request: the job says why it will not run.
        logger.exception("could not enqueue planning job %s", job_id)
        PlanJob.objects.filter(pk=job_id, status=PlanJob.Status.QUEUED).update(
            status=PlanJob.Status.FAILED,
            error=f"niet in de wachtrij gezet ({type(exc).__name__})",
            finished=timezone.now(),
        )


def _submit(job_id: int) -> None:
    _futures[job_id] = _executor().submit(_run_in_thread, job_id)


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        plan_job_run(job_id)
    finally:
        _futures.pop(job_id, None)
        # Jobs are rare and long: the pool's threads hold no connection between them.
        connections.close_all()


def plan_job_wait(job_id: int, timeout: float | None = None) -> None:
    """Block until a pooled job has finished (tests, scripts); returns at once for any other."""
    future = _futures.get(job_id)
    if future is not None:
        future.result(timeout=timeout)


def health() -> str | None:
    """None when jobs get run; otherwise what is wrong (for /healthz).

    On the queue a job still queued after STUCK_AFTER means no worker takes tasks; one running that
    long means its worker hangs or died mid-plan."""
    mode = settings.TW_PLAN_JOBS
    if mode not in {"queue", "thread"}:
        return None
    if mode == "thread" and _pool is not None and getattr(_pool, "_shutdown", False):
        return "de planningswachtrij is gestopt"
    cutoff = timezone.now() - STUCK_AFTER
    old = PlanJob.objects.filter(created__lt=cutoff)
    if old.filter(status=PlanJob.Status.QUEUED).exists():
        if mode == "queue":
            return "een planningsopdracht wacht al meer dan 15 minuten: draait de worker?"
        return "een planningsopdracht wacht al meer dan 15 minuten"
    if old.filter(status=PlanJob.Status.RUNNING).exists():
        return "een planningsopdracht loopt al meer dan 15 minuten"
    return None
