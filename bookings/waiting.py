"""The waiting list (services): join, offers that hold a freed slot for 48 hours, accept, decline,
expiry. Offers are made under the depot-day lock (`pool.lock_days`) after the availability check,
which counts earlier offers' holds (their `KitReservation` rows, `pool.live_holds`), so two schools never hold one slot."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.core.history import with_acting_user
from backend.core.roles import SCHOOL, role_of
from bookings import emails, events, selectors, services
from bookings.exceptions import BookingError
from bookings.kit import pool
from bookings.kit.need import need_for
from bookings.models import MAX_ALTERNATIVE_DATES, BookingSession, School, WaitingEntry
from outbox.services import email_queue

Status = WaitingEntry.Status
OFFER_HOURS = 48
# Refusals a freed slot or returning kit can lift.
WAITABLE = {"wagon_full", "kit_shortage"}


def _stored_sessions(sessions: Sequence[dict]) -> list[dict]:
    return [
        {
            "workshop": s["workshop"].pk,
            "group_label": s["group_label"],
            "school_type": s["school_type"],
            "year": s["year"],
            "pupils": s["pupils"],
            "start_time": f"{s['start_time']:%H:%M}",
            # who was there and the vmbo profile, when given at the request (issue 18)
            **{key: s[key] for key in ("girls", "boys", "teachers", "profile") if s.get(key)},
        }
        for s in sessions
    ]


def _service_sessions(entry: WaitingEntry) -> list[dict]:
    workshops = {
        w.pk: w
        for w in selectors.workshops_with_rules().filter(
            pk__in={s["workshop"] for s in entry.sessions}
        )
    }
    return [
        {
            **s,
            "workshop": workshops[s["workshop"]],
            "start_time": dt.time.fromisoformat(s["start_time"]),
        }
        for s in entry.sessions
        if s["workshop"] in workshops
    ]


def priority(entry: WaitingEntry) -> tuple:
    """As the planner: primary schools first, then earlier requests."""
    return ("po" not in (entry.school.school_types or []), entry.created, entry.pk)


@transaction.atomic
def waiting_join(
    *,
    school: School,
    dates: Iterable[dt.date],
    sessions: Sequence[dict],
    acting_user,
    contact_name: str = "",
    contact_email: str = "",
) -> WaitingEntry:
    """Join the waiting list for a date refused for wagon or kit (and its alternatives)."""
    dates = list(dict.fromkeys(dates))
    current = selectors.today()
    if not dates:
        raise ValidationError({"dates": [_("Geef minstens één datum op.")]})
    if len(dates) > MAX_ALTERNATIVE_DATES + 1:
        raise ValidationError(
            {"dates": [_("Geef hoogstens %(n)s data op.") % {"n": MAX_ALTERNATIVE_DATES + 1}]}
        )
    for day in dates:
        services.validate_date(day=day, field="dates", on=current)
    services.validate_sessions(school=school, sessions=sessions)
    contact_name = contact_name or school.contact_name
    contact_email = contact_email or school.contact_email
    if not contact_name or not contact_email:
        raise ValidationError({"contact_email": [_("Geef een contactpersoon met e-mailadres op.")]})
    open_entries = WaitingEntry.objects.filter(
        school=school, status__in=(Status.WAITING, Status.OFFERED)
    )
    if open_entries.count() >= settings.TW_MAX_OPEN_REQUESTS_PER_SCHOOL:
        raise BookingError(_("Deze school staat al vaak genoeg op de wachtlijst."), code="too_many")
    objs = [BookingSession(**s) for s in sessions]
    [day] = selectors.availability_for(
        school=school, date_from=dates[0], date_to=dates[0], sessions=objs, on=current
    )
    if day["available"]:
        raise BookingError(
            _("Deze datum is vrij: vraag het bezoek gewoon aan."), code="date_available"
        )
    closed = [r for r in day["reasons"] if r["code"] not in WAITABLE]
    if closed:
        # Waiting only helps when a visit or kit may free up, not on a closed day.
        raise BookingError(
            " ".join(r["detail"] for r in closed), code="date_closed", reasons=closed
        )
    entry = WaitingEntry(
        school=school,
        dates=[d.isoformat() for d in dates],
        sessions=_stored_sessions(sessions),
        contact_name=contact_name,
        contact_email=contact_email,
        language="en"
        if role_of(acting_user) == SCHOOL and (translation.get_language() or "").startswith("en")
        else "nl",
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    with_acting_user(entry, acting_user, "op de wachtlijst")
    entry.save()
    return entry


@transaction.atomic
def waiting_fill(*, depot_id: int | None, day: dt.date) -> list[WaitingEntry]:
    """Offer a freed date to the waiting entries that fit, best first, until none fits."""
    current = selectors.today()
    if depot_id is None or day < current:
        return []
    pool.lock_days([(depot_id, day)])
    iso = day.isoformat()
    candidates = sorted(
        (
            e
            for e in WaitingEntry.objects.select_for_update(of=("self",))
            .select_related("school")
            .filter(status=Status.WAITING, school__depot_id=depot_id)
            if iso in e.dates
        ),
        key=priority,
    )
    offered = []
    for entry in candidates:
        sessions = _service_sessions(entry)
        if not sessions:
            continue
        objs = [BookingSession(**s) for s in sessions]
        [available] = selectors.availability_for(
            school=entry.school, date_from=day, date_to=day, sessions=objs, on=current
        )
        if not available["available"]:
            continue
        _offer(entry, day=day, wagon_id=available["free_wagons"][0], depot_id=depot_id, objs=objs)
        offered.append(entry)
    return offered


def _offer(entry: WaitingEntry, *, day: dt.date, wagon_id: int, depot_id: int, objs) -> None:
    entry.status = Status.OFFERED
    entry.offer_date = day
    entry.offer_wagon_id = wagon_id
    entry.offer_depot_id = depot_id
    need = need_for(objs)
    entry.offer_need = {str(kt): n for kt, n in sorted(need.kit.items()) if n > 0}
    entry.offer_expires = timezone.now() + dt.timedelta(hours=OFFER_HOURS)
    with_acting_user(entry, None, f"aanbod {day:%Y-%m-%d}")
    entry.save()
    pool.holds_write(entry=entry, need=need, depot_id=depot_id)
    with translation.override(entry.language):
        email_queue(
            kind="waiting_offer",
            to=[entry.contact_email],
            subject=_("Er is plek: techniekwagen op %(date)s") % {"date": f"{day:%d-%m-%Y}"},
            body="\n".join(
                [
                    _("Beste %(name)s,") % {"name": entry.contact_name},
                    "",
                    _(
                        "Op %(date)s is er plek voor de techniekwagen bij %(school)s. We houden "
                        "deze plek tot %(until)s voor u vast."
                    )
                    % {
                        "date": emails.day(day),
                        "school": entry.school.name,
                        "until": f"{timezone.localtime(entry.offer_expires):%d-%m-%Y %H:%M}",
                    },
                    _("Aannemen of afslaan: %(link)s")
                    % {"link": f"{settings.SITE_URL}/school/waiting-list/"},
                    *emails.closing(),
                ]
            ),
        )


def _locked(entry: WaitingEntry) -> WaitingEntry:
    return (
        WaitingEntry.objects.select_for_update(of=("self",))
        .select_related("school", "offer_wagon")
        .get(pk=entry.pk)
    )


@transaction.atomic
def waiting_accept(*, entry: WaitingEntry, acting_user) -> WaitingEntry:
    """Turn a live offer into a `requested` booking (`confirmed` when TW_WAITING_AUTO_CONFIRM)."""
    entry = _locked(entry)
    if entry.status != Status.OFFERED or entry.offer_expires <= timezone.now():
        raise BookingError(_("Dit aanbod geldt niet meer."), code="offer_gone")
    # The offer's own hold ends here, inside this transaction, so the booking can take its place.
    entry.status = Status.ACCEPTED
    entry.save(update_fields=["status"])
    pool.holds_release(entry=entry)
    booking = services.booking_create(
        school=entry.school,
        date=entry.offer_date,
        sessions=_service_sessions(entry),
        acting_user=acting_user,
        wagon=entry.offer_wagon,
        contact_name=entry.contact_name,
        contact_email=entry.contact_email,
    )
    if settings.TW_WAITING_AUTO_CONFIRM:
        booking = services.booking_confirm(booking=booking, acting_user=acting_user)
    entry.booking = booking
    with_acting_user(entry, acting_user, "aanbod aangenomen")
    entry.save()
    return entry


@transaction.atomic
def waiting_decline(*, entry: WaitingEntry, acting_user) -> WaitingEntry:
    """Decline an offer (it passes to the next school) or leave the waiting list."""
    entry = _locked(entry)
    if entry.status not in (Status.WAITING, Status.OFFERED):
        raise BookingError(_("Deze aanvraag staat niet meer op de wachtlijst."), code="not_waiting")
    freed = entry.status == Status.OFFERED
    pool.holds_release(entry=entry)
    entry.status = Status.DECLINED
    with_acting_user(entry, acting_user, "afgeslagen")
    entry.save()
    if freed:
        events.slot_freed.send(
            sender=WaitingEntry, depot_id=entry.offer_depot_id, date=entry.offer_date
        )
    return entry


def waiting_expire() -> int:
    """End the offers whose 48 hours are over and pass their slots on (the scheduler's sweep)."""
    now = timezone.now()
    count = 0
    for pk in WaitingEntry.objects.filter(
        status=Status.OFFERED, offer_expires__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            entry = WaitingEntry.objects.select_for_update().get(pk=pk)
            if entry.status != Status.OFFERED or entry.offer_expires > now:
                continue
            entry.status = Status.EXPIRED
            pool.holds_release(entry=entry)
            with_acting_user(entry, None, "aanbod verlopen")
            entry.save()
            events.slot_freed.send(
                sender=WaitingEntry, depot_id=entry.offer_depot_id, date=entry.offer_date
            )
            count += 1
    return count


def waiting_fill_depot(*, depot_id: int) -> int:
    """Kit came back: try every date someone at this depot waits for."""
    current = selectors.today()
    days = sorted(
        {
            d
            for dates in WaitingEntry.objects.filter(
                status=Status.WAITING, school__depot_id=depot_id
            ).values_list("dates", flat=True)
            for d in dates
            if d >= current.isoformat()
        }
    )
    return sum(len(waiting_fill(depot_id=depot_id, day=dt.date.fromisoformat(d))) for d in days)
