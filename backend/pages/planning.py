"""Coordinator pages at /planning/: request queue, planning board, inventory, reach report.

The pages read through `bookings.selectors` / `bookings.reports.selectors` and write through
`bookings.services` — the same functions the API calls — so a rule lives in one place.
"""

import calendar
import datetime as dt
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS as MONTHS_LOCAL
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.core.concurrency import check_version, instance_version
from backend.core.dutch import MONTHS
from backend.core.exceptions import DomainError
from backend.core.roles import COORDINATOR, FUNDER, role_of
from backend.pages.access import role_page
from backend.pages.charts import bar_chart
from backend.pages.paging import paginate
from bookings import services
from bookings.calendar_rules import WEEKDAY_NL, programmes_by_id, public_holiday
from bookings.catalogue import catalogue_warnings
from bookings.kit import busy, pool
from bookings.models import Blackout, Booking
from bookings.reports.selectors import COLUMNS, GROUP_BY, SECTORS, reach_report
from bookings.reports.serializers import ReachQuerySerializer, reach_filter_ids
from bookings.selectors import (
    BOOKING_VERSION_RELATED,
    at_risk_bookings,
    booked_slots,
    bookings_with_details,
    kit_need_for,
)
from inventory.models import Consumable, Depot, Item, KitType, Wagon
from inventory.selectors import available_counts_by_depot
from programmes.models import Programme

coordinator_page = role_page(COORDINATOR, denied=gettext_lazy("Alleen voor coördinatoren."))

BOARD_HIDDEN = (Booking.Status.DECLINED, Booking.Status.CANCELLED)
MONTHS_NL = ["", *MONTHS]
GROUP_BY_LABELS = {
    "school_type": gettext_lazy("Schoolsoort"),
    "holiday_region": gettext_lazy("Vakantieregio"),
    "workshop": gettext_lazy("Workshop"),
    "school": gettext_lazy("School"),
    "programme": gettext_lazy("Programma"),
    "depot": gettext_lazy("Depot"),
    "wagon": gettext_lazy("Wagen"),
}
SECTOR_LABELS = {
    "po": gettext_lazy("Primair onderwijs (po)"),
    "vo": gettext_lazy("Voortgezet onderwijs (vo)"),
    "mbo": gettext_lazy("Middelbaar beroepsonderwijs (mbo)"),
    "so": gettext_lazy("Speciaal onderwijs (so, vso)"),
}
# The reach form's own words for the API query's fields and English messages.
REACH_FIELD_LABELS = {
    "date_from": gettext_lazy("Van"),
    "date_to": gettext_lazy("tot en met"),
    "year": gettext_lazy("Kalenderjaar"),
    "school_year": gettext_lazy("Schooljaar"),
    "group_by": gettext_lazy("Groeperen op"),
    "planned": gettext_lazy("Inclusief geplande bezoeken (bevestigd, ingepakt)"),
    "programme": gettext_lazy("Programma"),
    "depot": gettext_lazy("Depot"),
    "wagon": gettext_lazy("Wagen"),
}
REACH_MESSAGES = {
    "Use a start year like 2026 or 2026-2027.": gettext_lazy(
        "Geef een beginjaar zoals 2026 of 2026-2027."
    ),
    "A school year runs from one year to the next.": gettext_lazy(
        "Een schooljaar loopt van het ene jaar tot het volgende."
    ),
    "Year out of range.": gettext_lazy("Kies een jaar tussen 2000 en 2100."),
    "Give both date_from and date_to.": gettext_lazy("Vul zowel 'Van' als 'tot en met' in."),
    "date_to is before date_from.": gettext_lazy("'tot en met' ligt vóór 'Van'."),
    "The range is at most 20 years.": gettext_lazy("De periode is hoogstens 20 jaar."),
}


def reach_errors(errors: dict) -> list[dict]:
    """The query's errors with the form's labels and Dutch (or English) words; a message the
    page does not know (DRF's own, already in the active language) is kept as it is."""
    items = []
    for field, messages_ in errors.items():
        for message in messages_:
            text = str(message)
            if text.startswith("Give only one of"):
                text = _("Kies één periode.")
            else:
                text = str(REACH_MESSAGES.get(text, text))
            label = REACH_FIELD_LABELS.get(field)
            items.append(
                {
                    "label": str(label) if label else "",
                    "text": text,
                    "anchor": f"reach-{field}" if label else "",
                }
            )
    return items


COLUMN_LABELS = {
    "visits": gettext_lazy("Bezoeken"),
    "schools": gettext_lazy("Scholen"),
    "sessions": gettext_lazy("Sessies"),
    "pupils": gettext_lazy("Leerlingcontacten"),
}


# ---------------------------------------------------------------- request queue


def _with_confirmed(day_held: pool.DayHeld, need, wagon_id: int | None, key) -> pool.DayHeld:
    """The day's holdings as they would be once a request with `need` on `wagon_id` is
    confirmed (a loose request counts as a wagon-day of its own, under `key`)."""
    after = pool.DayHeld(
        wagons={w: dict(per_kit) for w, per_kit in day_held.wagons.items()},
        loose=dict(day_held.loose),
        stops=dict(day_held.stops),
    )
    for kt, units in need.kit.items():
        if wagon_id is None:
            after.loose[kt] = after.loose.get(kt, 0) + units
        else:
            per_kit = after.wagons.setdefault(wagon_id, {})
            per_kit[kt] = max(per_kit.get(kt, 0), units)
        after.stops[kt] = after.stops.get(kt, 0) + units
    return after


def _overlaps(a: Booking, b: Booking, wagon) -> bool:
    """Two visits on one wagon whose time on site (drive between included) overlaps."""
    mine = busy.time_on_site(a.sessions.all(), wagon)
    theirs = busy.time_on_site(b.sessions.all(), wagon)
    if mine is None or theirs is None:
        return False
    gap = busy.drive_minutes(a.school, b.school)
    return mine[0] < theirs[1] + gap and theirs[0] < mine[1] + gap


def queue_rows(bookings: list[Booking], user) -> list[dict]:
    """Each requested booking with its kit need, every reason it cannot be confirmed now (kit
    shortage against what is already reserved, wagon full), and the other requests it competes
    with: those whose confirmation would leave it short of kit, slot or time — with what it would
    be left. Competitors and wagons are those `user` may see (their programmes'). A fixed number
    of queries."""
    if not bookings:
        return []
    names = dict(KitType.objects.values_list("id", "name"))
    dates = sorted({b.date for b in bookings})
    date_from, date_to = dates[0], dates[-1]
    available = available_counts_by_depot()
    # Competitors may sit on another page of the queue: every request on these dates.
    requests = list(
        bookings_with_details()
        .restrict(user)
        .filter(status=Booking.Status.REQUESTED, date__in=dates)
    )
    depots = {pool.depot_of(b) for b in requests} - {None}
    held = pool.held(depot_ids=depots, date_from=date_from, date_to=date_to)
    wagons = {w.id: w for w in Wagon.objects.restrict(user).filter(active=True)}
    slots = booked_slots(wagon_ids=list(wagons), date_from=date_from, date_to=date_to)
    needs = {b.id: kit_need_for(b) for b in requests}
    by_day = defaultdict(list)
    for other in requests:
        by_day[(pool.depot_of(other), other.date)].append(other)

    def problems_of(booking, need, day_held, used_slots) -> list[dict]:
        depot_id = pool.depot_of(booking)
        found = []
        if depot_id is not None:
            # As confirming would judge it: on its wagon, it adds what that wagon-day lacks.
            found = pool.shortages(
                need, day_held, booking.wagon_id, available.get(depot_id, {}), names
            )
        if booking.wagon_id and booking.wagon_id in wagons:
            wagon = wagons[booking.wagon_id]
            if used_slots >= wagon.max_visits_per_day:
                found.append(
                    {
                        "code": "wagon_full",
                        "detail": _("%(wagon)s is op deze dag vol.") % {"wagon": wagon.name},
                    }
                )
        return found

    rows = []
    for booking in bookings:
        need = needs.get(booking.id) or kit_need_for(booking)
        depot_id = pool.depot_of(booking)
        day_held = held.get((depot_id, booking.date), pool.DayHeld())
        used = slots.get((booking.wagon_id, booking.date), 0)
        problems = problems_of(booking, need, day_held, used)
        now = {p["detail"] for p in problems}
        competes = []
        for other in by_day.get((depot_id, booking.date), []):
            if other.id == booking.id:
                continue
            after = _with_confirmed(day_held, needs[other.id], other.wagon_id, other.id)
            same_wagon = other.wagon_id is not None and other.wagon_id == booking.wagon_id
            left = [
                p
                for p in problems_of(booking, need, after, used + (1 if same_wagon else 0))
                if p["detail"] not in now
            ]
            if same_wagon and booking.wagon_id in wagons:
                wagon = wagons[booking.wagon_id]
                if _overlaps(booking, other, wagon):
                    left.append(busy.busy_reason(wagon))
            if left:
                competes.append({"booking": other, "left": left})
        rows.append(
            {
                "booking": booking,
                "need": [
                    {"name": names.get(k, k), "quantity": q} for k, q in sorted(need.kit.items())
                ],
                "pupils": sum(s.pupils for s in booking.sessions.all()),
                "problems": problems,
                "competes": competes,
                # Sent back with approve/decline: a request changed meanwhile is not decided blind.
                "version": instance_version(booking, BOOKING_VERSION_RELATED),
            }
        )
    return rows


@coordinator_page
def queue(request):
    page = paginate(
        request,
        bookings_with_details()
        .restrict(request.user)
        .filter(status=Booking.Status.REQUESTED)
        .order_by("date", "created", "id"),
    )
    return render(
        request,
        "planning/queue.html",
        {
            "rows": queue_rows(list(page.object_list), request.user),
            "page": page,
            "active": "queue",
        },
    )


def refusal_text(exc: DomainError) -> str:
    """A refusal in one sentence: the reasons once (the error's own detail repeats them)."""
    reasons = [r.get("detail", "") for r in exc.extra.get("reasons", []) if r.get("detail")]
    if reasons:
        return " ".join([_("Dat kan niet:"), *reasons])
    return str(exc.detail)


def _booking_action(request, booking_id: int, action: str):
    # Another programme's request is not found: 404, exactly like an unknown id.
    booking = get_object_or_404(Booking.objects.restrict(request.user), pk=booking_id)
    reason = request.POST.get("reason", "").strip()
    version = request.POST.get("version", "")
    back = (
        redirect("planning:visit", booking_id=booking.pk)
        if request.POST.get("back") == "visit"
        else redirect("planning:queue")
    )
    if action != "confirm" and not reason:
        messages.error(request, _("Geef een reden op om af te wijzen."))
        return back
    try:
        with transaction.atomic():
            if version:  # the request as the coordinator saw it; checked under the row lock
                check_version(Booking, booking.pk, version, BOOKING_VERSION_RELATED)
            if action == "confirm":
                services.booking_confirm(booking=booking, acting_user=request.user)
                done = _("%(reference)s is bevestigd.")
            else:
                services.booking_decline(booking=booking, reason=reason, acting_user=request.user)
                done = _("%(reference)s is afgewezen.")
        messages.success(request, done % {"reference": booking.reference})
    except DomainError as exc:
        messages.error(request, f"{booking.reference}: {refusal_text(exc)}")
    return back


@coordinator_page
@require_POST
def confirm(request, booking_id: int):
    return _booking_action(request, booking_id, "confirm")


@coordinator_page
@require_POST
def decline(request, booking_id: int):
    return _booking_action(request, booking_id, "decline")


# ---------------------------------------------------------------- planning board


def _parse_date(value: str | None, default: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31) else default


def board_period(start: dt.date, span: str) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """(first day, last day, previous start, next start) of the week or month around `start`."""
    if span == "month":
        first = start.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        return first, last, previous, last + dt.timedelta(days=1)
    first = start - dt.timedelta(days=start.weekday())
    return first, first + dt.timedelta(days=6), first - dt.timedelta(7), first + dt.timedelta(7)


def _coming_week_start(user, wagon_id: int | None, status: str | None) -> dt.date:
    """The board opens on the first week from today that has a visit of `user`'s programmes
    (today's week if none)."""
    today = timezone.localdate()
    qs = (
        Booking.objects.restrict(user)
        .filter(date__gte=today - dt.timedelta(days=today.weekday()))
        .exclude(status__in=BOARD_HIDDEN)
    )
    if wagon_id:
        qs = qs.filter(wagon_id=wagon_id)
    if status:
        qs = qs.filter(status=status)
    first = qs.order_by("date").values_list("date", flat=True).first()
    return first or today


MONTH_CELL_VISITS = 4  # more in one day of the month view: the rest behind "+ n meer"


@coordinator_page
def board(request):
    span = "month" if request.GET.get("span") == "month" else "week"
    # Only the coordinator's programmes: another programme's wagon id in ?wagon= is ignored.
    all_wagons = list(
        Wagon.objects.restrict(request.user)
        .filter(active=True)
        .select_related("depot")
        .order_by("name")
    )
    wagon_filter = next((w for w in all_wagons if str(w.pk) == request.GET.get("wagon")), None)
    statuses = [(v, label) for v, label in Booking.Status.choices if v not in BOARD_HIDDEN]
    status_filter = (
        request.GET.get("status") if request.GET.get("status") in dict(statuses) else None
    )
    printing = request.GET.get("print") == "1"
    if request.GET.get("start"):
        start = _parse_date(request.GET.get("start"), timezone.localdate())
    else:
        start = _coming_week_start(request.user, wagon_filter and wagon_filter.pk, status_filter)
    first, last, previous, following = board_period(start, span)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    wagons = [wagon_filter] if wagon_filter else all_wagons
    blackouts = list(
        Blackout.objects.restrict(request.user).filter(date_from__lte=last, date_to__gte=first)
    )
    # Each wagon's programme: its holidays and its programme-wide closed days.
    wagon_programme = {w.pk: w.depot.programme_id for w in all_wagons}
    programmes = programmes_by_id(wagon_programme.values())
    visits = (
        Booking.objects.restrict(request.user)
        .filter(date__gte=first, date__lte=last)
        .exclude(status__in=BOARD_HIDDEN)
        # route_stop: the stop's place in the wagon's planned route, once one is planned.
        .select_related("school", "wagon", "route_stop")
        .annotate(pupils=Sum("sessions__pupils"))
        .order_by("date", "route_stop__position", "id")
    )
    if wagon_filter:
        visits = visits.filter(wagon=wagon_filter)
    if status_filter:
        visits = visits.filter(status=status_filter)
    bookings = list(visits)
    risk = {
        b.id: b
        for b in at_risk_bookings(
            queryset=Booking.objects.restrict(request.user).filter(date__gte=first, date__lte=last),
            on=first,
        )
    }
    cells = defaultdict(list)
    per_day = defaultdict(list)
    for booking in bookings:
        booking.risk = risk.get(booking.id)
        cells[(booking.wagon_id, booking.date)].append(booking)
        per_day[booking.date].append(booking)

    def closed(day: dt.date, wagon_id: int | None) -> list[str]:
        reasons = []
        if day.weekday() >= 5:
            reasons.append(_("weekend"))
        programme_id = wagon_programme.get(wagon_id)
        name = public_holiday(day, programmes.get(programme_id))
        if name:
            reasons.append(_("feestdag: %(name)s") % {"name": name})
        visiting = {b.school_id: b.school for b in cells.get((wagon_id, day), [])}
        for blackout in blackouts:
            if not blackout.date_from <= day <= blackout.date_to:
                continue
            if blackout.school_id is not None:
                # A school's studiedag: shown where that school has a visit that day.
                if blackout.school_id in visiting:
                    reasons.append(
                        _("%(school)s dicht: %(reason)s")
                        % {"school": visiting[blackout.school_id].name, "reason": blackout.reason}
                    )
            elif blackout.wagon_id == wagon_id or (
                blackout.wagon_id is None
                and (programme_id is None or blackout.programme_id == programme_id)
            ):
                reasons.append(_("gesloten: %(reason)s") % {"reason": blackout.reason})
        return reasons

    rows = [
        {
            "wagon": wagon,
            "cells": [
                {
                    "day": day,
                    "bookings": cells.get((wagon.id, day), []),
                    "closed": closed(day, wagon.id),
                    "route_id": next(
                        (
                            b.route_stop.route_id
                            for b in cells.get((wagon.id, day), [])
                            if getattr(b, "route_stop", None) is not None
                        ),
                        None,
                    ),
                }
                for day in days
            ],
        }
        for wagon in wagons
    ]
    unassigned = [b for b in bookings if b.wagon_id is None]
    if unassigned:
        rows.append(
            {
                "wagon": None,
                "cells": [
                    {
                        "day": day,
                        "bookings": cells.get((None, day), []),
                        "closed": closed(day, None),
                    }
                    for day in days
                ],
            }
        )
    weeks = []
    if span == "month":
        # A calendar: one row of seven days per week, each visit one line in its day.
        monday = first - dt.timedelta(days=first.weekday())
        while monday <= last:
            week = []
            for n in range(7):
                day = monday + dt.timedelta(days=n)
                shown = per_day.get(day, []) if first <= day <= last else []
                week.append(
                    {
                        "date": day,
                        "weekday": _weekday_short(day),
                        "outside": not first <= day <= last,
                        "closed": closed(day, wagon_filter and wagon_filter.pk)
                        if first <= day <= last
                        else [],
                        "bookings": shown[:MONTH_CELL_VISITS],
                        "more": shown[MONTH_CELL_VISITS:],
                    }
                )
            weeks.append(week)
            monday += dt.timedelta(days=7)

    filters = {}
    if wagon_filter:
        filters["wagon"] = wagon_filter.pk
    if status_filter:
        filters["status"] = status_filter

    def link(day=None, **extra):
        params = {**filters, "span": span}
        if day is not None:
            params["start"] = day.isoformat()
        params.update(extra)
        return f"?{urlencode(params)}"

    other_span = "week" if span == "month" else "month"
    context = {
        "active": "board",
        "span": span,
        "title": _period_title(first, last, span),
        "days": [{"date": d, "weekday": _weekday_short(d)} for d in days],
        "rows": rows,
        "weeks": weeks,
        "previous_link": link(previous),
        "next_link": link(following),
        "today_link": link(timezone.localdate()),
        "other_span_link": link(first, span=other_span),
        "print_link": link(first, print="1"),
        "statuses": statuses,
        "wagons": all_wagons,
        "wagon_filter": wagon_filter,
        "status_filter": status_filter,
        "start": first,
        "printing": printing,
        "at_risk_count": len(risk),
        "visit_count": len(bookings),
    }
    return render(request, "planning/board.html", context)


def _dutch() -> bool:
    return (get_language() or "nl").startswith("nl")


def _month(month: int) -> str:
    """Month name in the active language: Dutch from backend.core.dutch, otherwise Django's own."""
    return MONTHS_NL[month] if _dutch() else str(MONTHS_LOCAL[month])


def _weekday_short(day: dt.date) -> str:
    """Two-letter weekday ('ma', 'di' in Dutch; 'Mo', 'Tu' in English)."""
    if _dutch():
        return WEEKDAY_NL[day.weekday()][:2]
    return str(WEEKDAYS_ABBR[day.weekday()])[:2]


def _period_title(first: dt.date, last: dt.date, span: str) -> str:
    if span == "month":
        return f"{_month(first.month)} {first.year}"
    week = first.isocalendar()[1]
    return _(
        "week %(week)s: %(first_day)s %(first_month)s – %(last_day)s %(last_month)s %(year)s"
    ) % {
        "week": week,
        "first_day": first.day,
        "first_month": _month(first.month),
        "last_day": last.day,
        "last_month": _month(last.month),
        "year": last.year,
    }


# ---------------------------------------------------------------- inventory at a glance


@coordinator_page
def inventory(request):
    statuses = Item.Status.choices
    counts = defaultdict(dict)
    items = Item.objects.restrict(request.user)
    for row in items.values("kit_type_id", "status").annotate(n=Count("id")):
        counts[row["kit_type_id"]][row["status"]] = row["n"]
    # Three lists on one page, each with its own page number.
    kit_page = paginate(
        request, KitType.objects.order_by("storage_location", "name", "id"), param="kit_page"
    )
    kit_rows = [
        {
            "kit_type": kit_type,
            "counts": [counts[kit_type.id].get(value, 0) for value, _label in statuses],
        }
        for kit_type in kit_page.object_list
    ]
    # Totals over every kit type, not just this page.
    totals = [
        sum(per_status.get(value, 0) for per_status in counts.values())
        for value, _label in statuses
    ]
    to_handle = paginate(
        request,
        items.filter(status__in=(Item.Status.DEFECT, Item.Status.LOST))
        .select_related("kit_type", "case", "depot")
        .order_by("status", "kit_type__name", "asset_tag", "id"),
        param="defect_page",
    )
    low = paginate(
        request,
        Consumable.objects.restrict(request.user)
        .filter(stock__lte=F("reorder_level"))
        .select_related("depot")
        .order_by("name", "depot__name", "id"),
        param="low_page",
    )
    context = {
        "active": "inventory",
        "statuses": statuses,
        "kit_rows": kit_rows,
        "kit_page": kit_page,
        "totals": totals,
        "to_handle": to_handle,
        "low": low,
        # Workshops that cannot be booked at their own max_pupils from some depot's stock.
        "capacity_warnings": catalogue_warnings(user=request.user),
    }
    return render(request, "planning/inventory.html", context)


# ---------------------------------------------------------------- reach report


def _reach_filter_fields(user, values: dict) -> list[tuple]:
    """(name, label, [(id, name, selected)]) for the programme, depot and wagon pickers: what the
    user may narrow the report to (three small queries over the user's programmes, never over
    visits)."""
    sources = {
        "programme": Programme.objects.restrict(user),
        "depot": Depot.objects.restrict(user),
        "wagon": Wagon.objects.restrict(user),
    }
    return [
        (
            name,
            str(REACH_FIELD_LABELS[name]),
            [
                (pk, label, str(pk) == values.get(name))
                for pk, label in queryset.order_by("name").values_list("pk", "name")
            ],
        )
        for name, queryset in sources.items()
    ]


@role_page(COORDINATOR, FUNDER, denied=gettext_lazy("Alleen voor coördinatoren en financiers."))
def reach(request):
    params = {k: v for k, v in request.GET.items() if v != ""}
    mode = params.pop("mode", None)
    # The page's form offers one period picker; drop the fields of the modes not chosen.
    if mode == "school_year":
        params = {k: v for k, v in params.items() if k not in ("year", "date_from", "date_to")}
    elif mode == "year":
        params = {
            k: v for k, v in params.items() if k not in ("school_year", "date_from", "date_to")
        }
    elif mode == "range":
        params = {k: v for k, v in params.items() if k not in ("school_year", "year")}
    # The same query (and scope) as the API: another programme's id is an error, not data.
    query = ReachQuerySerializer(data=params, context={"request": request})
    report = None
    errors = []
    sectors = []
    if query.is_valid():
        data = query.validated_data
        filters = reach_filter_ids(data)
        report = reach_report(
            period=data["period"],
            group_by=data["group_by"],
            planned=data["planned"],
            user=request.user,
            **filters,
        )
        api_params = {
            "date_from": report["date_from"].isoformat(),
            "date_to": report["date_to"].isoformat(),
            "group_by": report["group_by"],
            **{name.removesuffix("_id"): pk for name, pk in filters.items() if pk is not None},
            "format": "csv",
        }
        if report["planned"]:
            api_params["planned"] = "true"
        csv_url = f"{reverse('report-reach')}?{urlencode(api_params)}"
        chart = bar_chart(
            [(row["label"], row["pupils"]) for row in report["rows"]],
            title=_("Leerlingcontacten"),
        )
        sectors = [
            {"label": str(SECTOR_LABELS[sector]), **report["totals"]["sectors"][sector]}
            for sector in SECTORS
        ]
    else:
        errors = reach_errors(query.errors)
        csv_url, chart = None, None
    is_funder = role_of(request.user) == FUNDER
    context = {
        "active": "reach",
        # The funder reads reports only: no planning menu of pages it may not open.
        "base_template": "planning/base_reach_funder.html"
        if is_funder
        else "planning/base_planning.html",
        "report": report,
        "sectors": sectors,
        "errors": errors,
        "chart": chart,
        "csv_url": csv_url,
        "mode": mode
        or ("range" if "date_from" in params else "year" if "year" in params else "school_year"),
        "values": params,
        "filter_fields": _reach_filter_fields(request.user, params),
        "group_by_choices": [(g, str(GROUP_BY_LABELS[g])) for g in GROUP_BY],
        "columns": [(c, str(COLUMN_LABELS[c])) for c in COLUMNS],
        "group_by_label": str(GROUP_BY_LABELS[report["group_by"]]) if report else "",
        # A programme, depot or wagon key is an id: not worth showing next to its name.
        "show_key": report is not None
        and report["group_by"] not in ("programme", "depot", "wagon"),
    }
    return render(request, "planning/reach.html", context, status=200 if report else 400)
