"""E-mail about bookings, in the recipient's language (Dutch unless the school asked in English).
Every message is queued in the outbox inside the service's transaction and delivered by a task
after the commit: a mail-server hiccup never turns a committed change into an error."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from backend.core.dutch import long_date
from backend.core.roles import COORDINATOR
from bookings.ics import booking_ics, visit_span
from bookings.selectors import bookings_with_details
from outbox.services import email_queue

SIGNATURE = "Het team van de Techniekwagen"


def day(value) -> str:
    if (translation.get_language() or "nl").startswith("en"):
        return f"{value:%A %-d %B %Y}"
    return long_date(value)


def greeting(booking) -> str:
    return _("Beste %(name)s,") % {"name": booking.contact_name}


def closing() -> list[str]:
    return ["", _("Met vriendelijke groet,"), _(SIGNATURE)]


def confirmation_text(booking) -> str:
    start, end = visit_span(booking)
    school = booking.school
    lines = [
        greeting(booking),
        "",
        _("Het bezoek van de techniekwagen aan %(school)s is bevestigd.") % {"school": school.name},
        "",
        _("Referentie: %(reference)s") % {"reference": booking.reference},
        _("Datum: %(date)s, van %(start)s tot %(end)s")
        % {"date": day(booking.date), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
        _("Adres: %(address)s") % {"address": f"{school.address}, {school.postcode} {school.city}"},
    ]
    if booking.wagon_id:
        lines.append(_("Wagen: %(wagon)s") % {"wagon": booking.wagon.name})
    lines += ["", _("Programma:")]
    for s in booking.sessions.all():
        lines.append(
            _("- %(time)s %(workshop)s: %(group)s, %(pupils)s leerlingen")
            % {
                "time": f"{s.start_time:%H:%M}",
                "workshop": s.workshop.name,
                "group": s.group_label,
                "pupils": s.pupils,
            }
        )
    if booking.site_notes:
        lines += ["", _("Locatie-afspraken: %(notes)s") % {"notes": booking.site_notes}]
    lines += [
        "",
        _("Zorgt u voor een parkeerplek voor de wagen en een 230 V-stopcontact?"),
        _("In de bijlage vindt u een agenda-uitnodiging (.ics)."),
        *closing(),
    ]
    return "\n".join(lines)


def _to_school(booking, *, kind: str, subject: str, lines: list[str], attachment=None) -> None:
    email_queue(
        kind=kind,
        to=[booking.contact_email],
        subject=subject,
        body="\n".join([greeting(booking), "", *lines, *closing()]),
        attachment=attachment,
    )


def portal_link(booking) -> str:
    return f"{settings.SITE_URL}/school/bookings/"


def queue_confirmation(booking, *, loaded: bool = False) -> None:
    """`loaded`: `booking` comes with its school, wagon and sessions (with workshops) read."""
    if not loaded:
        booking = bookings_with_details().get(pk=booking.pk)
    with translation.override(booking.language):
        email_queue(
            kind="confirmation",
            to=[booking.contact_email],
            subject=_("Bevestiging bezoek Techniekwagen %(date)s (%(reference)s)")
            % {"date": f"{booking.date:%d-%m-%Y}", "reference": booking.reference},
            body=confirmation_text(booking),
            attachment=(
                f"{booking.reference}.ics",
                booking_ics(booking).decode(),
                "text/calendar",
            ),
        )


def queue_request_received(booking) -> None:
    with translation.override(booking.language):
        _to_school(
            booking,
            kind="request_received",
            subject=_("Aanvraag ontvangen: Techniekwagen %(date)s (%(reference)s)")
            % {"date": f"{booking.date:%d-%m-%Y}", "reference": booking.reference},
            lines=[
                _(
                    "We hebben uw aanvraag voor een bezoek van de techniekwagen aan %(school)s op "
                    "%(date)s ontvangen (referentie %(reference)s)."
                )
                % {
                    "school": booking.school.name,
                    "date": day(booking.date),
                    "reference": booking.reference,
                },
                _("Een coördinator bekijkt de aanvraag; u krijgt bericht zodra die is bevestigd."),
                _("Uw aanvragen: %(link)s") % {"link": portal_link(booking)},
            ],
        )


def coordinator_addresses(*, programme_id: int) -> list[str]:
    """The coordinators of one programme; the superusers while it has none (a new programme's
    first requests must reach someone), never another programme's coordinators."""
    active = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = active.filter(groups__name=COORDINATOR, programmes=programme_id)
    if not users.exists():
        users = active.filter(is_superuser=True)
    return sorted(set(users.values_list("email", flat=True)))


def queue_new_request(booking) -> None:
    """To the coordinators of the school's programme; Dutch."""
    to = coordinator_addresses(programme_id=booking.school.programme_id)
    if not to:
        return
    with translation.override("nl"):
        email_queue(
            kind="new_request",
            to=to,
            subject=f"Nieuwe aanvraag {booking.reference}: {booking.school.name}, "
            f"{long_date(booking.date)}",
            body="\n".join(
                [
                    "Hallo,",
                    "",
                    f"{booking.school.name} vraagt een bezoek aan op {long_date(booking.date)} "
                    f"(referentie {booking.reference}).",
                    f"Contact: {booking.contact_name} <{booking.contact_email}>",
                    f"Bekijk de wachtrij: {settings.SITE_URL}/planning/queue/",
                ]
            ),
        )


def queue_declined(booking) -> None:
    with translation.override(booking.language):
        lines = [
            _(
                "Helaas kan het bezoek van de techniekwagen op %(date)s (%(reference)s) niet doorgaan."
            )
            % {"date": day(booking.date), "reference": booking.reference},
        ]
        if booking.status_reason:
            lines.append(_("Reden: %(reason)s") % {"reason": booking.status_reason})
        lines.append(
            _("U kunt een andere datum aanvragen of u op de wachtlijst zetten: %(link)s")
            % {"link": portal_link(booking)}
        )
        _to_school(
            booking,
            kind="declined",
            subject=_("Aanvraag afgewezen: Techniekwagen %(date)s (%(reference)s)")
            % {"date": f"{booking.date:%d-%m-%Y}", "reference": booking.reference},
            lines=lines,
        )


def queue_cancelled(booking) -> None:
    with translation.override(booking.language):
        lines = [
            _("Het bezoek van de techniekwagen op %(date)s (%(reference)s) is geannuleerd.")
            % {"date": day(booking.date), "reference": booking.reference},
        ]
        if booking.status_reason:
            lines.append(_("Reden: %(reason)s") % {"reason": booking.status_reason})
        _to_school(
            booking,
            kind="cancelled",
            subject=_("Bezoek geannuleerd: Techniekwagen %(date)s (%(reference)s)")
            % {"date": f"{booking.date:%d-%m-%Y}", "reference": booking.reference},
            lines=lines,
        )
