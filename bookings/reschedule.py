"""Moving a booking to another date and/or wagon (used by the route planner and route edits).

The move keeps history (with the acting user and a reason), re-reserves a confirmed booking's kit
on its new day under the same `DayLock(depot, date)` rows that confirmation takes, and tells the
school by e-mail — after commit, so a rolled-back plan sends nothing.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from backend.core.dutch import long_date
from backend.core.updates import save_changed
from bookings import events, selectors
from bookings.exceptions import BookingError
from bookings.kit import busy, pool
from bookings.kit.need import kit_need_for
from bookings.models import Booking
from bookings.reports import facts
from bookings.services import _sessions_with_rules, _unavailable
from inventory.models import Wagon
from outbox.services import email_queue

MOVABLE = (Booking.Status.REQUESTED, Booking.Status.CONFIRMED)


# Kept for callers (the planner): one lock order for several depot-days lives in bookings.kit.
lock_days = pool.lock_days


@transaction.atomic
def booking_reschedule(
    *,
    booking: Booking,
    date: dt.date,
    wagon: Wagon | None = None,
    acting_user,
    reason: str = "",
    check_availability: bool = True,
    notify: bool = True,
) -> Booking:
    """Move `booking` to `date` (and `wagon`, default: its current one).

    `check_availability=False` is for callers that already decided under the same day locks (the
    planner, which checks the whole tour at once; checking moves one by one would refuse a swap).
    """
    booking = Booking.objects.select_related("school", "wagon").get(pk=booking.pk)
    if booking.status not in MOVABLE:
        raise BookingError(
            _("Een aanvraag met status '%(status)s' kan niet meer worden verplaatst.")
            % {"status": booking.status},
            code="invalid_transition",
            status=booking.status,
        )
    wagon = wagon if wagon is not None else booking.wagon
    if (
        wagon is not None
        and booking.school.depot_id is not None
        and wagon.depot_id != booking.school.depot_id
    ):
        raise BookingError(
            _("Deze wagen rijdt niet vanuit het depot van de school."), code="wrong_depot"
        )
    old_date, old_wagon_id = booking.date, booking.wagon_id
    if date == old_date and (wagon.pk if wagon else None) == old_wagon_id:
        return booking
    new_depot = pool.depot_of(booking, wagon)
    old_depot = pool.depot_of(booking)
    pool.lock_days([(old_depot, old_date), (new_depot, date)])
    # Read once under the locks, with what the kit check, the packing list and the e-mail use.
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("school__programme", "wagon", "packing_list")
        .prefetch_related(Prefetch("sessions", queryset=_sessions_with_rules()))
        .get(pk=booking.pk)
    )
    if booking.status not in MOVABLE:
        raise BookingError(_("De aanvraag is intussen gewijzigd."), code="invalid_transition")
    # A pinned visit keeps its day and its wagon; one pinned without a wagon may still get one.
    if booking.pinned and (
        date != old_date or (old_wagon_id is not None and wagon.pk != old_wagon_id)
    ):
        raise BookingError(
            _("%(reference)s staat vast op deze dag; maak het bezoek eerst los.")
            % {"reference": booking.reference},
            code="pinned",
        )
    need = kit_need_for(booking)
    if check_availability:
        if date < selectors.today():
            raise BookingError(_("Deze datum ligt in het verleden."), code="past")
        [day] = selectors.availability_for(
            school=booking.school,
            date_from=date,
            date_to=date,
            need=need,
            wagon=wagon,
            exclude_booking=booking,
            check_lead_time=False,
        )
        if not day["available"]:
            raise _unavailable(day["reasons"])
        if wagon is not None and busy.busy_wagons(
            school=booking.school,
            day=date,
            sessions=booking.sessions.all(),
            wagons=[wagon],
            exclude_booking_id=booking.pk,
            rows=day["stops"],
        ):
            raise _unavailable([busy.busy_reason(wagon)])
    booking.date = date
    booking.wagon = wagon
    if booking.status in Booking.RESERVING:
        # The wagon-day the reservation counts in follows the booking's new date and wagon.
        pool.reservations_write(booking=booking, need=need, depot_id=new_depot)
    save_changed(
        booking,
        ["date", "wagon"],
        acting_user=acting_user,
        reason=reason or f"verplaatst van {old_date:%Y-%m-%d}",
    )
    facts.visit_changed(booking)
    events.booking_kit_changed.send(
        sender=Booking, booking=booking, acting_user=acting_user, loaded=True
    )
    if date != old_date:
        events.slot_freed.send(sender=Booking, depot_id=old_depot, date=old_date)
    if notify and date != old_date and booking.contact_email:
        queue_reschedule_email(booking=booking, old_date=old_date)
    return booking


def dutch_date(day: dt.date) -> str:
    return long_date(day)


def queue_reschedule_email(*, booking: Booking, old_date: dt.date) -> None:
    wagon = booking.wagon.name if booking.wagon_id else "de techniekwagen"
    body = (
        f"Beste {booking.contact_name},\n\n"
        f"Het bezoek van {wagon} aan {booking.school.name} (aanvraag {booking.reference}) is "
        f"verplaatst van {dutch_date(old_date)} naar {dutch_date(booking.date)}.\n\n"
        "De tijden van de sessies blijven hetzelfde. Past de nieuwe datum niet? Neem dan zo snel "
        "mogelijk contact met ons op.\n\n"
        "Met vriendelijke groet,\nDe planning van de Techniekwagen\n"
        f"{settings.SITE_URL}\n"
    )
    email_queue(
        kind="rescheduled",
        subject=f"Uw techniekwagenbezoek is verplaatst naar {dutch_date(booking.date)}",
        body=body,
        to=[booking.contact_email],
    )
