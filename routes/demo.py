"""Demo routes: the coming weeks' confirmed visits as a planned tour for both wagons, and a batch
of unplanned requests with alternative dates for the planner to place. Idempotent."""

import datetime as dt
import random

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from bookings import selectors as booking_selectors
from bookings import services as booking_services
from bookings.exceptions import BookingError
from bookings.models import Booking, School, Workshop
from routes import services
from routes.exceptions import RouteError
from routes.models import Route, RouteStop

PLANNER_CONTACT = "Aanvraag voor de tourplanner"
START_TIMES = [dt.time(8, 45), dt.time(9, 0), dt.time(10, 30), dt.time(12, 45), dt.time(13, 0)]


def _tour(coordinator) -> None:
    """Every wagon-day with confirmed-or-later visits becomes a route, stops by the clock."""
    today = booking_selectors.today()
    visits = (
        booking_selectors.bookings_with_details()
        .filter(status__in=Booking.RESERVING, date__gte=today, wagon__isnull=False)
        .filter(route_stop__isnull=True)
    )
    days: dict[tuple, list[Booking]] = {}
    for booking in visits:
        days.setdefault((booking.wagon, booking.date), []).append(booking)
    for (wagon, day), bookings in sorted(days.items(), key=lambda kv: (kv[0][1], kv[0][0].pk)):
        bookings.sort(
            key=lambda b: (min((s.start_time for s in b.sessions.all()), default=None), b.pk)
        )
        route = Route.objects.filter(wagon=wagon, date=day).first()
        try:
            if route is None:
                services.route_create(
                    wagon=wagon,
                    date=day,
                    booking_ids=[b.pk for b in bookings],
                    acting_user=coordinator,
                )
            else:
                for booking in bookings:
                    services.route_add_stop(
                        route=route, booking=booking, position=None, acting_user=coordinator
                    )
        except (RouteError, BookingError):
            continue  # fmt: skip


def _requests(coordinator, count: int = 14) -> None:
    """Requests spread over three to six weeks ahead, each with one to three alternatives."""
    if Booking.objects.filter(contact_name=PLANNER_CONTACT).exists():
        return
    rng = random.Random(2027)
    today = booking_selectors.today()
    start = today + dt.timedelta(days=21)
    schools = list(School.objects.filter(depot__isnull=False).order_by("brin"))
    workshops = list(Workshop.objects.filter(active=True).order_by("name"))
    made = 0
    for attempt in range(count * 4):
        if made >= count or not schools:
            break
        school = schools[attempt % len(schools)]
        school_type = (school.school_types or ["po"])[0]
        fitting = [
            w
            for w in workshops
            if w.programme_id == school.programme_id
            and (not w.school_types or school_type in w.school_types)
        ]
        if not fitting:
            continue
        workshop = rng.choice(fitting)
        days = [
            d["date"]
            for d in booking_selectors.availability_for(
                school=school,
                date_from=start,
                date_to=start + dt.timedelta(days=21),
                workshops=[workshop],
                pupils=min(24, workshop.max_pupils),
            )
            if d["available"]
        ]
        if len(days) < 2:
            continue
        chosen = rng.sample(days, k=min(len(days), rng.randint(2, 4)))
        try:
            booking_services.booking_create(
                school=school,
                date=chosen[0],
                sessions=[
                    {
                        "workshop": workshop,
                        "group_label": "groep 7" if school_type == "po" else "klas 2",
                        "school_type": school_type,
                        "year": 7 if school_type == "po" else 2,
                        "pupils": min(24, workshop.max_pupils),
                        "start_time": rng.choice(START_TIMES),
                    }
                ],
                acting_user=coordinator,
                contact_name=PLANNER_CONTACT,
                contact_email=school.contact_email or "planning@school.nl",
                alternative_dates=chosen[1:],
            )
        except (BookingError, ValidationError):
            continue
        made += 1


def load() -> dict:
    coordinator = User.objects.filter(username="coordinator").first()
    _tour(coordinator)
    _requests(coordinator)
    return {
        "routes": Route.objects.count(),
        "route stops": RouteStop.objects.count(),
        "requests for the planner": Booking.objects.filter(
            contact_name=PLANNER_CONTACT, status=Booking.Status.REQUESTED
        ).count(),
    }
