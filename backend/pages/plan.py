"""Routes plannen from the board: /planning/plan/?wagon=&start=&span=week|month shows the planner's
proposal next to today's routes for one wagon; "Opslaan" commits it. A visit is moved to another
day or wagon (or pinned: moved, then planned without moves) through the visit page's move form,
which calls the reschedule service.

The planner is reached through `run_planner` only: when planning becomes a background job, that
one function changes.
"""

import copy
import datetime as dt
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.core.exceptions import DomainError
from backend.pages.planning import _parse_date, _period_title, board_period, coordinator_page
from backend.templatetags.tw_dates import nl_date
from bookings.models import Booking
from bookings.selectors import bookings_with_details
from inventory.models import Wagon
from routes import services as route_services
from routes.selectors import DayPlan, evaluate_plans, route_data, routes_with_stops

MAX_PLAN_DAYS = 31


def run_planner(*, wagon, date_from, date_to, allow_moves: bool, commit: bool, acting_user=None):
    """The one call into the route planner (propose, or commit under the day locks)."""
    args = {
        "wagons": [wagon],
        "date_from": date_from,
        "date_to": date_to,
        "today": timezone.localdate(),
        "allow_moves": allow_moves,
    }
    if commit:
        return route_services.plan_commit(acting_user=acting_user, **args)
    return route_services.plan_propose(**args)


def _params(request) -> dict | None:
    """wagon, first/last day, span and allow_moves from GET or POST; None without a wagon."""
    source = request.POST if request.method == "POST" else request.GET
    wagons = list(Wagon.objects.filter(active=True).order_by("name"))
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


def _proposal_rows(result) -> dict[dt.date, dict]:
    ids = [bid for r in result.routes for bid in r.booking_ids]
    found = bookings_with_details().in_bulk(ids)
    wagons = {w.pk: w for w in Wagon.objects.filter(pk__in={r.wagon_id for r in result.routes})}
    plans = []
    for planned in result.routes:
        shown = []
        for bid in planned.booking_ids:
            booking = copy.copy(found[bid])  # on its planned date for the timing, never saved
            booking.moved_from = booking.date if booking.date != planned.date else None
            booking.date = planned.date
            shown.append(booking)
        plans.append(DayPlan(wagon=wagons[planned.wagon_id], date=planned.date, bookings=shown))
    by_day = {}
    for plan in evaluate_plans(plans):
        data = route_data(plan)
        moved = {b.pk: b.moved_from for b in plan.bookings}
        for stop in data["stops"]:
            stop["moved_from"] = moved.get(stop["booking"])
        by_day[plan.date] = data
    return by_day


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
                        for r in routes_with_stops().filter(
                            wagon=wagon, date__gte=first, date__lte=last
                        )
                    ]
                )
            )
        }
        unrouted = defaultdict(list)
        for booking in (
            Booking.objects.filter(
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
        outcome = run_planner(
            wagon=wagon,
            date_from=first,
            date_to=last,
            allow_moves=params["allow_moves"],
            commit=False,
        )
        proposal = _proposal_rows(outcome.result)
        unplanned_ids = [u["booking"] for u in outcome.result.unplanned]
        unplanned_bookings = Booking.objects.select_related("school").in_bulk(unplanned_ids)
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
                "unplanned": [
                    {"booking": unplanned_bookings.get(u["booking"]), "reason": u["reason"]}
                    for u in outcome.result.unplanned
                ],
                "served": outcome.result.served,
                "total_drive_minutes": outcome.result.total_drive_minutes,
                "moved": len(outcome.moved),
                "board_link": f"{reverse('planning:board')}?"
                + urlencode({"start": first, "span": params["span"], "wagon": wagon.pk}),
            }
        )
    return render(request, "planning/plan.html", context)


@coordinator_page
@require_POST
def plan_save(request):
    params = _params(request)
    wagon = params["wagon"]
    if wagon is None:
        messages.error(request, _("Kies een wagen om te plannen."))
        return redirect("planning:plan")
    try:
        outcome = run_planner(
            wagon=wagon,
            date_from=params["first"],
            date_to=params["last"],
            allow_moves=params["allow_moves"],
            commit=True,
            acting_user=request.user,
        )
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(
            request,
            _("%(count)s ritten opgeslagen voor %(wagon)s (%(first)s – %(last)s).")
            % {
                "count": len(outcome.routes),
                "wagon": wagon.name,
                "first": nl_date(params["first"]),
                "last": nl_date(params["last"]),
            },
        )
    query = {"wagon": wagon.pk, "start": params["first"], "span": params["span"]}
    if params["allow_moves"]:
        query["allow_moves"] = "1"
    return redirect(f"{reverse('planning:plan')}?{urlencode(query)}")
