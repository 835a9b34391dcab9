"""The wagon's .ics feed, route-aware: one event per route stop (arrive–depart, with the address and
driving), and book's visit events for confirmed visits that are not on a route yet."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from icalendar import Calendar, Event
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from backend.core.permissions import STAFF_ROLES, RoleAccess
from backend.core.renderers import ICSRenderer
from bookings.ics import calendar_bytes
from bookings.selectors import wagon_visits
from inventory.models import Wagon
from routes import timing
from routes.selectors import day_plan_of, evaluate_plans, routes_with_stops

TZ = ZoneInfo("Europe/Amsterdam")


def _at(day: dt.date, minutes: int) -> dt.datetime:
    minutes = max(0, min(minutes, 24 * 60 - 1))
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=TZ)


def wagon_calendar(wagon: Wagon) -> bytes:
    routes = list(routes_with_stops().filter(wagon=wagon).order_by("date"))
    on_route = set()
    events = []
    for plan in evaluate_plans([day_plan_of(r) for r in routes]):
        times = plan.evaluation["times"]
        bookings = {b.pk: b for b in plan.bookings}
        for stop in times.stops:
            booking = bookings[stop.booking_id]
            on_route.add(booking.pk)
            school = booking.school
            event = Event()
            event.add("uid", f"route-{plan.id}-{booking.reference}@techniekwagen")
            event.add("dtstamp", booking.updated or dt.datetime.now(tz=TZ))
            event.add("dtstart", _at(plan.date, stop.arrive))
            event.add("dtend", _at(plan.date, stop.depart))
            event.add("summary", f"Stop {stop.position + 1}: {school.name} ({booking.reference})")
            event.add("location", f"{school.address}, {school.postcode} {school.city}")
            lines = [
                f"Aankomst {timing.fmt(stop.arrive)}, sessies {timing.fmt(stop.start)}–"
                f"{timing.fmt(stop.end)}, vertrek {timing.fmt(stop.depart)}.",
                f"Rijden vanaf vorige: {stop.drive_minutes_from_previous} min, "
                f"{stop.km_from_previous:.1f} km.",
                f"Contact: {booking.contact_name} {booking.contact_phone}".strip(),
            ]
            if booking.site_notes:
                lines.append(f"Locatie: {booking.site_notes}")
            event.add("description", "\n".join(lines))
            event.add("status", "CONFIRMED" if booking.status != "requested" else "TENTATIVE")
            events.append(event)
    rest = [b for b in wagon_visits(wagon=wagon) if b.pk not in on_route]
    cal = Calendar.from_ical(calendar_bytes(rest, name=wagon.name))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


class WagonRouteCalendarView(APIView):
    permission_classes = [RoleAccess]
    read_roles = STAFF_ROLES
    renderer_classes = [JSONRenderer, ICSRenderer]

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        wagon = get_object_or_404(Wagon.objects.restrict(request.user), pk=pk)
        response = HttpResponse(wagon_calendar(wagon), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="wagen-{wagon.pk}.ics"'
        return response
