"""E-mail to schools (Dutch). Sent from `transaction.on_commit`, never inside a transaction."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage

from bookings.ics import booking_ics, visit_span
from bookings.selectors import bookings_with_details


def confirmation_text(booking) -> str:
    start, end = visit_span(booking)
    school = booking.school
    lines = [
        f"Beste {booking.contact_name},",
        "",
        f"Het bezoek van de techniekwagen aan {school.name} is bevestigd.",
        "",
        f"Referentie: {booking.reference}",
        f"Datum: {booking.date:%d-%m-%Y}, van {start:%H:%M} tot {end:%H:%M}",
        f"Adres: {school.address}, {school.postcode} {school.city}",
    ]
    if booking.wagon_id:
        lines.append(f"Wagen: {booking.wagon.name}")
    lines += ["", "Programma:"]
    for s in booking.sessions.all():
        lines.append(
            f"- {s.start_time:%H:%M} {s.workshop.name}: {s.group_label}, {s.pupils} leerlingen"
        )
    if booking.site_notes:
        lines += ["", f"Locatie-afspraken: {booking.site_notes}"]
    lines += [
        "",
        "Zorgt u voor een parkeerplek voor de wagen en een 230 V-stopcontact?",
        "In de bijlage vindt u een agenda-uitnodiging (.ics).",
        "",
        "Met vriendelijke groet,",
        "Het team van de Techniekwagen",
    ]
    return "\n".join(lines)


logger = logging.getLogger(__name__)


def send_confirmation(*, booking_id: int) -> None:
    """Runs after commit: a mail server hiccup must not turn a committed confirmation into an
    error for the coordinator, so failures are logged, not raised."""
    try:
        _send_confirmation(booking_id)
    except Exception:
        logger.exception("confirmation e-mail for booking %s failed", booking_id)


def _send_confirmation(booking_id: int) -> None:
    booking = bookings_with_details().get(pk=booking_id)
    message = EmailMessage(
        subject=f"Bevestiging bezoek Techniekwagen {booking.date:%d-%m-%Y} ({booking.reference})",
        body=confirmation_text(booking),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[booking.contact_email],
    )
    message.attach(f"{booking.reference}.ics", booking_ics(booking), "text/calendar")
    message.send()
