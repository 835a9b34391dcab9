"""iCalendar (.ics) for visits: one VEVENT per booking, times in Europe/Amsterdam."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from backend.core.dates import combine_minutes

TZ = ZoneInfo("Europe/Amsterdam")

# RFC 5545 STATUS: a request is only pencilled in, an ended one is off the calendar.
TENTATIVE = ("requested",)
CANCELLED = ("cancelled", "declined")


def ics_status(status: str) -> str:
    if status in TENTATIVE:
        return "TENTATIVE"
    if status in CANCELLED:
        return "CANCELLED"
    return "CONFIRMED"


def visit_span(booking) -> tuple[dt.datetime, dt.datetime]:
    """From the first session's start to the last session's end (the school day if none)."""
    sessions = list(booking.sessions.all())
    if sessions:
        start = min(s.start_time for s in sessions)
        # Clamped to the day, so a session running past midnight (or a date at the calendar's
        # end) still gives an event instead of an OverflowError.
        end = max(
            combine_minutes(booking.date, s.start_time, s.workshop.duration_minutes).time()
            for s in sessions
        )
    else:
        start, end = booking.school.day_start, booking.school.day_end
    return (
        dt.datetime.combine(booking.date, start, tzinfo=TZ),
        dt.datetime.combine(booking.date, end, tzinfo=TZ),
    )


def _event(booking) -> Event:
    start, end = visit_span(booking)
    school = booking.school
    event = Event()
    event.add("uid", f"{booking.reference}@techniekwagen")
    event.add("dtstamp", booking.updated or dt.datetime.now(tz=TZ))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"Techniekwagen bij {school.name} ({booking.reference})")
    event.add("location", f"{school.address}, {school.postcode} {school.city}")
    lines = [
        f"{s.start_time:%H:%M} {s.workshop.name} – {s.group_label} ({s.pupils} leerlingen)"
        for s in booking.sessions.all()
    ]
    if booking.wagon_id:
        lines.append(f"Wagen: {booking.wagon.name}")
    if booking.site_notes:
        lines.append(f"Locatie: {booking.site_notes}")
    lines.append(f"Contact: {booking.contact_name} {booking.contact_phone}".strip())
    event.add("description", "\n".join(lines))
    event.add("status", ics_status(booking.status))
    event.add("url", f"{settings.SITE_URL}/school/")
    return event


def calendar_bytes(bookings, *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Techniekwagen//techniekwagen.nl//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    for booking in bookings:
        cal.add_component(_event(booking))
    return cal.to_ical()


def booking_ics(booking) -> bytes:
    return calendar_bytes([booking], name=f"Techniekwagen {booking.reference}")
