"""The coordinator's visit page at /planning/visits/<id>/: one booking with everything needed to
decide on it, and its actions — confirm, decline, move (reschedule service), pin, cancel.

Reads go through `bookings.selectors` / `bookings.kit` / `bookings.packing.selectors`; every write
through `bookings.services` or `bookings.reschedule`.
"""

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.core.concurrency import check_version, instance_version
from backend.core.exceptions import DomainError
from backend.pages.planning import coordinator_page, refusal_text
from backend.templatetags.tw_dates import nl_date
from bookings import selectors, services
from bookings.exceptions import BookingError
from bookings.kit import busy, pool
from bookings.kit.need import kit_need_for
from bookings.models import Booking
from bookings.packing.selectors import packing_list_for_booking
from bookings.reschedule import MOVABLE, booking_reschedule
from inventory.models import KitType, Wagon

HISTORY_SHOWN = 20


def _parse_day(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31) else None


def _wagon_choices(booking: Booking, user) -> list[Wagon]:
    """The wagons a visit may move to: active, of the user's programmes, of the school's depot.
    Another programme's wagon id in the form is therefore "not offered", a form error."""
    wagons = Wagon.objects.restrict(user).filter(active=True).order_by("name")
    if booking.school.depot_id is not None:
        wagons = wagons.filter(depot_id=booking.school.depot_id)
    return list(wagons)


def _parse_wagon(value: str | None, choices: list[Wagon]) -> Wagon | None | bool:
    """The chosen wagon, None for "keep the current one", False for a wagon not offered."""
    if not value:
        return None
    for wagon in choices:
        if str(wagon.pk) == value:
            return wagon
    return False


def move_check(booking: Booking, day: dt.date, wagon: Wagon | None) -> list[dict]:
    """Every reason the reschedule service would refuse moving `booking` to `day` (and `wagon`):
    the same selectors it asks, without writing. An empty list: the move can be made."""
    wagon = wagon if wagon is not None else booking.wagon
    if day < selectors.today():
        return [{"code": "past", "detail": _("Deze datum ligt in het verleden.")}]
    [found] = selectors.availability_for(
        school=booking.school,
        date_from=day,
        date_to=day,
        need=kit_need_for(booking),
        wagon=wagon,
        exclude_booking=booking,
        check_lead_time=False,
    )
    reasons = list(found["reasons"]) if not found["available"] else []
    if not reasons and wagon is not None:
        sessions = booking.sessions.all()
        if busy.busy_wagons(
            school=booking.school,
            day=day,
            sessions=sessions,
            wagons=[wagon],
            exclude_booking_id=booking.pk,
        ):
            reasons.append(busy.busy_reason(wagon))
    return reasons


def _kit_against_pool(booking: Booking) -> list[dict]:
    """Per kit type: what this visit needs, what the depot's other visits that day leave free,
    and the available items."""
    need = kit_need_for(booking)
    depot_id = pool.depot_of(booking)
    if not need.kit:
        return []
    names = dict(KitType.objects.filter(pk__in=list(need.kit)).values_list("id", "name"))
    day = {}
    if depot_id is not None:
        day = pool.kit_pool(depot_id, [booking.date], exclude=[booking.pk]).get(booking.date, {})
    rows = []
    for kt, units in sorted(need.kit.items(), key=lambda kv: names.get(kv[0], "")):
        counts = day.get(kt, {"free": 0, "total": 0})
        rows.append(
            {
                "name": names.get(kt, kt),
                "needed": units,
                "free": counts["free"],
                "total": counts["total"],
                "short": units > counts["free"],
            }
        )
    return rows


def _packing(booking: Booking) -> dict | None:
    try:
        return packing_list_for_booking(booking=booking)["progress"]
    except BookingError:
        return None  # a request or a cancelled visit has no packing list


@coordinator_page
def visit(request, booking_id: int):
    booking = get_object_or_404(
        selectors.bookings_with_details().restrict(request.user), pk=booking_id
    )
    wagons = _wagon_choices(booking, request.user)
    check = None
    if "date" in request.GET:
        day = _parse_day(request.GET.get("date"))
        wagon = _parse_wagon(request.GET.get("wagon"), wagons)
        if day is None:
            check = {"ok": False, "reasons": [{"detail": _("Vul een geldige datum in.")}]}
        elif wagon is False:
            check = {"ok": False, "reasons": [{"detail": _("Kies een wagen uit de lijst.")}]}
        else:
            reasons = move_check(booking, day, wagon)
            check = {"ok": not reasons, "reasons": reasons, "date": day, "wagon": wagon}
    # A reverse one-to-one without a row raises an AttributeError subclass: getattr's default.
    route_stop = getattr(booking, "route_stop", None)
    history = list(
        booking.history.select_related("history_user").order_by("-history_date", "-history_id")[
            :HISTORY_SHOWN
        ]
    )
    context = {
        "active": "queue" if booking.status == Booking.Status.REQUESTED else "board",
        "b": booking,
        "sessions": list(booking.sessions.all()),
        "pupils": sum(s.pupils for s in booking.sessions.all()),
        "kit": _kit_against_pool(booking),
        "packing": _packing(booking),
        "route_stop": route_stop,
        "history": history,
        "wagons": wagons,
        "check": check,
        "movable": booking.status in MOVABLE and not booking.pinned,
        "pinnable": booking.pinned or booking.status in services.PINNABLE,
        "can_cancel": booking.status
        not in (Booking.Status.CANCELLED, Booking.Status.DECLINED, Booking.Status.COMPLETED),
        "alternatives": [d for d in (_parse_day(a) for a in booking.alternative_dates or []) if d],
        "version": instance_version(booking, selectors.BOOKING_VERSION_RELATED),
        "board_link": f"{reverse('planning:board')}?start={booking.date.isoformat()}",
        # The route's day sheet once the visit is on a route (the crew page lists coming days).
        "day_sheet_link": reverse("route-day-sheet", args=[route_stop.route_id])
        if route_stop is not None
        else None,
    }
    return render(request, "planning/visit.html", context)


@coordinator_page
def visit_check(request, booking_id: int):
    """JSON for the visit page's live check: {"available": bool, "reasons": [detail, ...]}."""
    booking = get_object_or_404(
        selectors.bookings_with_details().restrict(request.user), pk=booking_id
    )
    day = _parse_day(request.GET.get("date"))
    wagon = _parse_wagon(request.GET.get("wagon"), _wagon_choices(booking, request.user))
    if day is None:
        return JsonResponse({"available": False, "reasons": [_("Vul een geldige datum in.")]})
    if wagon is False:
        return JsonResponse({"available": False, "reasons": [_("Kies een wagen uit de lijst.")]})
    reasons = move_check(booking, day, wagon)
    return JsonResponse({"available": not reasons, "reasons": [r["detail"] for r in reasons]})


def _done(booking_id: int, request=None):
    """Back to the visit page, or to the planning page the move was made from."""
    back = request.POST.get("next", "") if request is not None else ""
    if back.startswith("/planning/plan/") and url_has_allowed_host_and_scheme(back, None):
        return redirect(back)
    return redirect("planning:visit", booking_id=booking_id)


@coordinator_page
@require_POST
def visit_move(request, booking_id: int):
    booking = get_object_or_404(
        Booking.objects.restrict(request.user).select_related("school", "wagon"), pk=booking_id
    )
    wagons = _wagon_choices(booking, request.user)
    day = _parse_day(request.POST.get("date")) or (
        booking.date if request.POST.get("wagon") else None
    )
    wagon = _parse_wagon(request.POST.get("wagon"), wagons)
    if day is None:
        messages.error(request, _("Vul een geldige datum in om te verplaatsen."))
        return _done(booking.pk, request)
    if wagon is False:
        messages.error(request, _("Kies een wagen uit de lijst."))
        return _done(booking.pk, request)
    try:
        with transaction.atomic():
            version = request.POST.get("version", "")
            if version:
                check_version(Booking, booking.pk, version, selectors.BOOKING_VERSION_RELATED)
            booking_reschedule(
                booking=booking,
                date=day,
                wagon=wagon,
                acting_user=request.user,
                reason=request.POST.get("reason", "").strip()[:200],
            )
    except DomainError as exc:
        messages.error(request, f"{booking.reference}: {refusal_text(exc)}")
        return _done(booking.pk, request)
    booking.refresh_from_db()
    messages.success(
        request,
        _("%(reference)s is verplaatst naar %(date)s%(wagon)s.")
        % {
            "reference": booking.reference,
            "date": _nl(booking.date),
            "wagon": f" ({booking.wagon.name})" if booking.wagon_id else "",
        },
    )
    return _done(booking.pk, request)


@coordinator_page
@require_POST
def visit_cancel(request, booking_id: int):
    booking = get_object_or_404(Booking.objects.restrict(request.user), pk=booking_id)
    reason = request.POST.get("reason", "").strip()[:300]
    if not reason:
        messages.error(request, _("Geef een reden op om te annuleren."))
        return _done(booking.pk)
    try:
        with transaction.atomic():
            version = request.POST.get("version", "")
            if version:
                check_version(Booking, booking.pk, version, selectors.BOOKING_VERSION_RELATED)
            services.booking_cancel(booking=booking, reason=reason, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, f"{booking.reference}: {refusal_text(exc)}")
        return _done(booking.pk)
    messages.success(request, _("%(reference)s is geannuleerd.") % {"reference": booking.reference})
    return _done(booking.pk)


@coordinator_page
@require_POST
def visit_pin(request, booking_id: int):
    """Vastzetten / Losmaken: pin the visit to its day (and wagon) or free it for the planner."""
    booking = get_object_or_404(Booking.objects.restrict(request.user), pk=booking_id)
    pinned = request.POST.get("pinned") == "1"
    try:
        with transaction.atomic():
            version = request.POST.get("version", "")
            if version:
                check_version(Booking, booking.pk, version, selectors.BOOKING_VERSION_RELATED)
            services.booking_pin(booking=booking, pinned=pinned, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, f"{booking.reference}: {refusal_text(exc)}")
        return _done(booking.pk)
    text = (
        _("%(reference)s staat vast op %(date)s.")
        if pinned
        else _("%(reference)s is losgemaakt: de planner mag het bezoek verplaatsen.")
    )
    messages.success(request, text % {"reference": booking.reference, "date": _nl(booking.date)})
    return _done(booking.pk)


def _nl(day: dt.date) -> str:
    return nl_date(day)
