"""The daily job (07:00 Europe/Amsterdam): reminders 14 and 3 days ahead, a thank-you the day
after a completed visit, and the coordinators' digest. Each message is queued once per booking and
kind through the outbox's sent-log (`outbox.services.notices_queue`): the sent-log row and the
e-mail are written in one transaction, so running the job twice, re-running it after a crash or
running it from two workers at once sends every message once.

Queries are a constant per kind to find the bookings still due, plus a constant per message."""

import datetime as dt

from django.conf import settings
from django.db.models import CharField, Exists, F, OuterRef
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.translation import gettext as _

from backend.core.dutch import long_date
from bookings import selectors
from bookings.emails import closing, coordinator_addresses, day, greeting, portal_link
from bookings.models import Booking
from feedback import links as feedback_links
from inventory.models import Consumable, KitType
from outbox.models import Notice
from outbox.services import notice_queue, notices_queue
from programmes.models import Programme
from routes.timing import fmt, stop_input, wagon_day

Status = Booking.Status
AHEAD = (Status.CONFIRMED, Status.PACKED)
# The first run after deployment must not thank every school of the past years.
THANK_YOU_WINDOW_DAYS = 14
WAITING_WORKING_DAYS = 3
DIGEST_HORIZON_DAYS = 14
# At-risk visits in the digest: the coming eight weeks (later ones show up as they come closer).
AT_RISK_HORIZON_DAYS = 56
# Messages queued per transaction.
BATCH = 50


def _not_sent(queryset, kind: str):
    sent = Notice.objects.filter(kind=kind, key=Cast(OuterRef("pk"), CharField()))
    return queryset.filter(~Exists(sent))


def _due(kind: str, **filters) -> list[Booking]:
    return list(_not_sent(selectors.bookings_with_details().filter(**filters), kind))


def _school_notice(booking: Booking, *, kind: str, subject: str, lines: list[str]) -> dict:
    """One message for `notices_queue`, keyed by the booking."""
    return {
        "key": str(booking.pk),
        "to": [booking.contact_email],
        "subject": subject,
        "body": "\n".join([greeting(booking), "", *lines, *closing()]),
    }


def arrival(booking: Booking) -> str:
    """When the wagon arrives: set-up time before the first session (the route's own rule)."""
    stop = stop_input(booking)
    setup = wagon_day(booking.wagon).setup if booking.wagon_id else 30
    return fmt(max(stop.start - setup, 0))


def remind_14(booking: Booking) -> dict:
    with translation.override(booking.language):
        return _school_notice(
            booking,
            kind="reminder_14",
            subject=_("Over twee weken: techniekwagen op %(date)s (%(reference)s)")
            % {"date": f"{booking.date:%d-%m-%Y}", "reference": booking.reference},
            lines=[
                _("Over twee weken, op %(date)s, komt de techniekwagen naar %(school)s.")
                % {"date": day(booking.date), "school": booking.school.name},
                _("Kloppen de groepen, de aantallen leerlingen en de tijden nog?"),
                *[
                    f"- {s.start_time:%H:%M} {s.workshop.name}: {s.group_label}, {s.pupils}"
                    for s in booking.sessions.all()
                ],
                _(
                    "Wijzigingen geeft u door in het portaal; we controleren dan opnieuw of er "
                    "genoeg materiaal is: %(link)s"
                )
                % {"link": portal_link(booking)},
            ],
        )


def remind_3(booking: Booking) -> dict:
    school = booking.school
    with translation.override(booking.language):
        site = booking.site_notes or school.site_notes or _("(nog niet doorgegeven)")
        lines = [
            _("Over drie dagen, op %(date)s, komt de techniekwagen naar %(school)s.")
            % {"date": day(booking.date), "school": school.name},
            "",
            _("Aankomst van de wagen: %(time)s") % {"time": arrival(booking)},
            _("Parkeerplek, 230 V-stopcontact en lokaal: %(site)s") % {"site": site},
            _("De wagen heeft een parkeerplek dicht bij de ingang en één 230 V-stopcontact nodig."),
        ]
        if settings.TW_CREW_PHONE:
            lines.append(
                _("Telefoon van de bemanning op de dag zelf: %(phone)s")
                % {"phone": settings.TW_CREW_PHONE}
            )
        return _school_notice(
            booking,
            kind="reminder_3",
            subject=_("Praktische informatie: techniekwagen op %(date)s (%(reference)s)")
            % {"date": f"{booking.date:%d-%m-%Y}", "reference": booking.reference},
            lines=lines,
        )


def feedback_link(booking: Booking) -> str:
    # The signed link of the teacher feedback form: no login, valid 30 days from the visit.
    return feedback_links.link_for(booking)


def thank(booking: Booking) -> dict:
    with translation.override(booking.language):
        return _school_notice(
            booking,
            kind="thank_you",
            subject=_("Bedankt voor het bezoek van de techniekwagen (%(reference)s)")
            % {"reference": booking.reference},
            lines=[
                _("Bedankt dat de techniekwagen op %(date)s bij %(school)s mocht komen.")
                % {"date": day(booking.date), "school": booking.school.name},
                _("Hoe was het? Uw reactie helpt ons en onze partners: %(link)s")
                % {"link": feedback_link(booking)},
            ],
        )


def working_days_before(current: dt.date, count: int) -> dt.date:
    day_ = current
    while count:
        day_ -= dt.timedelta(days=1)
        if day_.weekday() < 5:
            count -= 1
    return day_


def digest_sections(current: dt.date, *, programme_id: int) -> list[tuple[str, list[str]]]:
    """One programme's digest: its coordinators never read another programme's visits."""
    tz_cutoff = working_days_before(current, WAITING_WORKING_DAYS)
    visits = Booking.objects.in_programmes([programme_id]).select_related("school")
    waiting = visits.filter(status=Status.REQUESTED, created__date__lt=tz_cutoff)
    no_route = visits.filter(
        status__in=AHEAD,
        date__gte=current,
        date__lte=current + dt.timedelta(days=DIGEST_HORIZON_DAYS),
        route_stop__isnull=True,
    )
    # Only what the digest prints: no sessions, rules or workshops prefetched for every visit.
    at_risk = selectors.at_risk_bookings(
        queryset=visits.filter(date__lte=current + dt.timedelta(days=AT_RISK_HORIZON_DAYS)),
        on=current,
    )
    low = Consumable.objects.in_programmes([programme_id]).filter(stock__lte=F("reorder_level"))
    kit_names = (
        dict(
            KitType.objects.filter(
                pk__in={s["kit_type"] for b in at_risk for s in b.shortage}
            ).values_list("id", "name")
        )
        if at_risk
        else {}
    )

    def visit(b: Booking) -> str:
        return f"- {b.reference} {b.school.name}, {long_date(b.date)}"

    return [
        (
            f"Aanvragen die langer dan {WAITING_WORKING_DAYS} werkdagen wachten",
            [visit(b) for b in waiting],
        ),
        (
            f"Bevestigde bezoeken in de komende {DIGEST_HORIZON_DAYS} dagen zonder rit",
            [visit(b) for b in no_route],
        ),
        (
            f"Bezoeken in gevaar in de komende {AT_RISK_HORIZON_DAYS // 7} weken (materiaal defect of kwijt)",
            [
                visit(b)
                + ": "
                + ", ".join(
                    f"{kit_names.get(s['kit_type'], s['kit_type'])} {s['needed']} nodig, {s['available']} vrij"
                    for s in b.shortage
                )
                for b in at_risk
            ],
        ),
        (
            "Verbruiksmateriaal onder het bestelniveau",
            [
                f"- {c.name}: {c.stock.normalize():f} {c.unit} "
                f"(bestelniveau {c.reorder_level.normalize():f})"
                for c in low
            ],
        ),
    ]


def digest(current: dt.date) -> int:
    """One message a day to each programme's coordinators (Dutch), only when there is something
    to report; returns how many were queued."""
    return sum(
        digest_for(current, programme_id=programme_id)
        for programme_id in Programme.objects.order_by("id").values_list("id", flat=True)
    )


def digest_for(current: dt.date, *, programme_id: int) -> bool:
    key = f"{current.isoformat()}/{programme_id}"
    if Notice.objects.filter(kind="digest", key=key).exists():
        return False  # sent today already: skip the sections' work (the sent-log still decides)
    sections = digest_sections(current, programme_id=programme_id)
    to = coordinator_addresses(programme_id=programme_id)
    if not to or not any(rows for _title, rows in sections):
        return False
    lines = ["Goedemorgen,", "", f"Het overzicht van {long_date(current)}:"]
    for title, rows in sections:
        lines += ["", f"{title} ({len(rows)}):", *(rows or ["- geen"])]
    lines += ["", f"Planning: {settings.SITE_URL}/planning/"]
    return (
        notice_queue(
            kind="digest",
            key=key,
            to=to,
            subject=f"Techniekwagen: overzicht van {long_date(current)}",
            body="\n".join(lines),
        )
        is not None
    )


def in_batches(kind: str, bookings: list[Booking], message) -> int:
    """Queue per batch of BATCH messages, one transaction each (rows written in bulk): a crash
    loses at most the batch under way, which the next run queues again (its sent-log rows went
    with it)."""
    queued = 0
    for start in range(0, len(bookings), BATCH):
        batch = [message(b) for b in bookings[start : start + BATCH]]
        queued += notices_queue(kind=kind, messages=batch)
    return queued


def daily_run(*, on: dt.date | None = None) -> dict[str, int]:
    """Queue today's messages; returns how many of each kind were queued by this run."""
    current = on or selectors.today()
    counts = {}
    counts["reminder_14"] = in_batches(
        "reminder_14",
        _due("reminder_14", status__in=AHEAD, date=current + dt.timedelta(days=14)),
        remind_14,
    )
    counts["reminder_3"] = in_batches(
        "reminder_3",
        _due("reminder_3", status__in=AHEAD, date=current + dt.timedelta(days=3)),
        remind_3,
    )
    counts["thank_you"] = in_batches(
        "thank_you",
        _due(
            "thank_you",
            status=Status.COMPLETED,
            date__lt=current,
            date__gte=current - dt.timedelta(days=THANK_YOU_WINDOW_DAYS),
        ),
        thank,
    )
    counts["digest"] = digest(current)
    return counts
