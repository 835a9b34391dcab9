"""The planning job as a task (run by `manage.py lifecycle_worker`; enqueued by `routes.jobs`).

Only the job's id travels through the queue: its input, state and result live in `PlanJob`, so a
task that runs twice (a retried broker delivery) finds the job claimed and does nothing."""

import copy
import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from backend.core.exceptions import DomainError
from routes.models import PlanJob

logger = logging.getLogger(__name__)


@task()
def run_plan_job(job_id: int) -> str:
    return plan_job_run(job_id).status


def plan_job_run(job_id: int) -> PlanJob:
    """Plan one queued job and store its result (or why it failed). Runs it at most once."""
    claimed = PlanJob.objects.filter(pk=job_id, status=PlanJob.Status.QUEUED).update(
        status=PlanJob.Status.RUNNING, started=timezone.now()
    )
    job = PlanJob.objects.get(pk=job_id)
    if not claimed:
        return job
    try:
        with transaction.atomic():
            result = _plan(job)
    except Exception as exc:  # a failed plan is the job's answer, not a crash of the worker
        logger.exception("planning job %s failed", job_id)
        job.status = PlanJob.Status.FAILED
        # A rule that said no has a Dutch message for the coordinator; anything else names its type.
        detail = exc.detail if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        job.error = str(detail)[:1000]
    else:
        job.status = PlanJob.Status.DONE
        job.result = result
    job.finished = timezone.now()
    job.save(update_fields=["status", "result", "error", "finished"])
    return job


def _plan(job: PlanJob) -> dict:
    from inventory.models import Wagon
    from routes import selectors, services
    from routes.serializers import PlanResponseSerializer

    params = job.params
    wagons = list(
        Wagon.objects.filter(pk__in=params["wagons"], active=True)
        .select_related("depot")
        .order_by("pk")
    )
    args = {
        "wagons": wagons,
        "date_from": dt.date.fromisoformat(params["date_from"]),
        "date_to": dt.date.fromisoformat(params["date_to"]),
        "today": dt.date.fromisoformat(params["today"]),
        "allow_moves": params["allow_moves"],
    }
    if params["commit"]:
        outcome = services.plan_commit(acting_user=job.requested_by, **args)
        routes = selectors.routes_data(
            selectors.routes_with_stops()
            .filter(pk__in=[r.pk for r in outcome.routes])
            .order_by("date", "wagon_id")
        )
    else:
        outcome = services.plan_propose(**args)
        routes = _proposal(outcome.result, wagons)
    result = outcome.result
    payload = {
        "committed": params["commit"],
        "status": result.status,
        "served": result.served,
        "total_drive_minutes": result.total_drive_minutes,
        "total_km": round(sum(r["total_km"] for r in routes), 2),
        "routes": routes,
        "unplanned": result.unplanned,
        "moved": outcome.moved,
    }
    return PlanResponseSerializer(payload).data


def _proposal(result, wagons: list) -> list[dict]:
    """The proposed routes as the API shows routes, evaluated on their planned dates."""
    from bookings.selectors import bookings_with_details
    from routes.selectors import DayPlan, evaluate_plans, route_data

    ids = [bid for r in result.routes for bid in r.booking_ids]
    found = bookings_with_details().in_bulk(ids)
    by_pk = {w.pk: w for w in wagons}
    plans = []
    for planned in result.routes:
        bookings = []
        for bid in planned.booking_ids:
            booking = copy.copy(found[bid])  # shown on its planned date, never saved
            booking.date = planned.date
            bookings.append(booking)
        plans.append(DayPlan(wagon=by_pk[planned.wagon_id], date=planned.date, bookings=bookings))
    return [route_data(p) for p in evaluate_plans(plans)]
