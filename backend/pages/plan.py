"""Routes plannen from the board: /planning/plan/?wagon=&start=&span=week|month shows today's routes
for one wagon; "Voorstel maken" (POST) starts a planning job (`routes.jobs`, on the task queue) and
the page, at `&job=<id>`, says the proposal is being made until the job is done, then shows it next
to today's routes. "Opslaan" starts a job that commits the plan; the page shows how it went. A
GET never starts a job (reads write nothing). A visit is moved to another day or wagon (or pinned:
moved, then planned without moves) through the visit page's move form, which calls the reschedule
service.
"""

import datetime as dt
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.pages.planning import _parse_date, _period_title, board_period, coordinator_page
from backend.templatetags.tw_dates import nl_date
from bookings.models import Booking
from inventory.models import Wagon
from routes import jobs
from routes import services as route_services
from routes.models import PlanJob
from routes.selectors import DayPlan, evaluate_plans, route_data, routes_with_stops

MAX_PLAN_DAYS = 31


def start_plan_job(*, request, params: dict, commit: bool) -> PlanJob:
    """The one call into the route planner from the pages: a job (propose, or commit under the
    day locks) for the chosen wagon and period."""
    return jobs.plan_job_start(
        acting_user=request.user,
        wagons=[params["wagon"]],
        date_from=params["first"],
        date_to=params["last"],
        commit=commit,
        allow_moves=params["allow_moves"],
    )


def _params(request) -> dict | None:
    """wagon, first/last day, span and allow_moves from GET or POST; None without a wagon."""
    source = request.POST if request.method == "POST" else request.GET
    # The user's programmes' wagons only: another programme's wagon id is "no wagon chosen".
    wagons = list(Wagon.objects.restrict(request.user).filter(active=True).order_by("name"))
    wagon = next((w for w in wagons if str(w.pk) == source.get("wagon")), None)
    span = "month" if source.get("span") == "month" else "week"
    start = _parse_date(source.get("start"), timezone.localdate())
    first, last, _previous, _following = board_period(start, span)
    return {
        "wagons": wagons,
        "wagon": wagon,
        "span": span,
        "first": first,
        "last": last,
        "allow_moves": source.get("allow_moves") == "1",
    }


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _query(params: dict, job: PlanJob | None = None) -> str:
    query = {"wagon": params["wagon"].pk, "start": params["first"], "span": params["span"]}
    if params["allow_moves"]:
        query["allow_moves"] = "1"
    if job is not None:
        query["job"] = job.pk
    return f"{reverse('planning:plan')}?{urlencode(query)}"


def _job(request, params: dict) -> PlanJob | None:
    """The page's job: the coordinator's own, for this wagon and period; else 404."""
    raw = request.GET.get("job")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18 or params["wagon"] is None:
        raise Http404
    job = PlanJob.objects.filter(pk=int(raw), requested_by=request.user).first()
    if job is None or job.params.get("wagons") != [params["wagon"].pk]:
        raise Http404
    if (job.params.get("date_from"), job.params.get("date_to")) != (
        params["first"].isoformat(),
        params["last"].isoformat(),
    ):
        raise Http404
    return job


def _proposal_rows(result: dict) -> dict[dt.date, dict]:
    """The job's proposed routes by day, each stop with the day it moves from (if it moves)."""
    moved = {
        m["booking"]: dt.date.fromisoformat(m["from_date"])
        for m in result["moved"]
        if m["from_date"] and m["from_date"] != m["to_date"]
    }
    by_day = {}
    for route in result["routes"]:
        stops = [{**stop, "moved_from": moved.get(stop["booking"])} for stop in route["stops"]]
        by_day[dt.date.fromisoformat(route["date"])] = {**route, "stops": stops}
    return by_day


def _job_context(job: PlanJob, params: dict, user) -> dict:
    """What the page says about its job: still working, failed, saved, or the proposal."""
    context = {
        "job": job,
        "job_busy": job.status in (PlanJob.Status.QUEUED, PlanJob.Status.RUNNING),
    }
    if job.status == PlanJob.Status.FAILED:
        context["job_error"] = _("Het plannen is mislukt: %(error)s") % {
            "error": job.error or _("onbekende fout")
        }
    if job.status != PlanJob.Status.DONE:
        return context
    result = job.result
    if job.params.get("commit"):
        context["job_saved"] = _(
            "%(count)s ritten opgeslagen voor %(wagon)s (%(first)s – %(last)s)."
        ) % {
            "count": len(result["routes"]),
            "wagon": params["wagon"].name,
            "first": nl_date(params["first"]),
            "last": nl_date(params["last"]),
        }
        return context
    unplanned_bookings = (
        Booking.objects.restrict(user)
        .select_related("school")
        .in_bulk([u["booking"] for u in result["unplanned"]])
    )
    context.update(
        {
            "has_proposal": True,
            "proposal": _proposal_rows(result),
            "unplanned": [
                {"booking": unplanned_bookings.get(u["booking"]), "reason": u["reason"]}
                for u in result["unplanned"]
            ],
            "served": result["served"],
            "total_drive_minutes": result["total_drive_minutes"],
            "moved": len(result["moved"]),
        }
    )
    return context


@coordinator_page
def plan(request):
    params = _params(request)
    context = {"active": "board", **params}
    if params["wagon"] is not None:
        first, last, wagon = params["first"], params["last"], params["wagon"]
        today_routes = {
            data["date"]: data
            for data in (
                route_data(p)
                for p in evaluate_plans(
                    [
                        DayPlan(
                            wagon=r.wagon,
                            date=r.date,
                            bookings=[s.booking for s in r.stops.all()],
                            id=r.pk,
                        )
                        for r in routes_with_stops()
                        .restrict(request.user)
                        .filter(wagon=wagon, date__gte=first, date__lte=last)
                    ]
                )
            )
        }
        unrouted = defaultdict(list)
        for booking in (
            Booking.objects.restrict(request.user)
            .filter(
                wagon=wagon,
                date__gte=first,
                date__lte=last,
                status__in=route_services.ACTIVE,
                route_stop__isnull=True,
            )
            .select_related("school")
            .order_by("date", "id")
        ):
            unrouted[booking.date].append(booking)
        job = _job(request, params)
        context.update(_job_context(job, params, request.user) if job is not None else {})
        proposal = context.get("proposal", {})
        # The move forms come back to the page without its job: a moved visit makes the proposal
        # stale, so the coordinator makes a new one.
        context["page_url"] = _query(params)
        context.update(
            {
                "title": _period_title(first, last, params["span"]),
                "days": [
                    {
                        "date": day,
                        "current": today_routes.get(day),
                        "unrouted": unrouted.get(day, []),
                        "proposal": proposal.get(day),
                        # The saved route's day sheet (PDF); the crew page lists the coming days.
                        "day_sheet": reverse("route-day-sheet", args=[today_routes[day]["id"]])
                        if today_routes.get(day)
                        else None,
                    }
                    for day in _days(first, last)
                    # every weekday is a place to drop a visit on
                    if day.weekday() < 5
                    or today_routes.get(day)
                    or unrouted.get(day)
                    or proposal.get(day)
                ],
                "board_link": f"{reverse('planning:board')}?"
                + urlencode({"start": first, "span": params["span"], "wagon": wagon.pk}),
            }
        )
    return render(request, "planning/plan.html", context)


def _start(request, *, commit: bool):
    params = _params(request)
    if params["wagon"] is None:
        messages.error(request, _("Kies een wagen om te plannen."))
        return redirect("planning:plan")
    job = start_plan_job(request=request, params=params, commit=commit)
    return redirect(_query(params, job))


@coordinator_page
@require_POST
def plan_propose(request):
    return _start(request, commit=False)


@coordinator_page
@require_POST
def plan_save(request):
    return _start(request, commit=True)
