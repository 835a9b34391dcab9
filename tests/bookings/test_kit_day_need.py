"""The per-day kit summary (`KitDayNeed`) that availability reads is kept by the reservation
services in the same transaction: after every kind of change it equals a recomputation from the
reservations, and availability answers the same from it as from the reservations."""

import datetime as dt

import pytest

from bookings import reschedule, services
from bookings.kit import pool
from bookings.models import KitDayNeed
from tests.bookings.conftest import VISIT_DAY, make_booking, service_sessions
from tests.factories import SchoolFactory, WagonFactory

pytestmark = pytest.mark.django_db

NEXT_DAY = VISIT_DAY + dt.timedelta(days=1)


def assert_summary_is_exact():
    assert pool.day_needs_stored() == pool.day_needs_recomputed()


def test_the_summary_follows_every_reservation_change(school, workshop, wagon, coordinator):
    other_wagon = WagonFactory(depot=school.depot, max_visits_per_day=2)
    other_school = SchoolFactory(depot=school.depot)
    morning = make_booking(school, workshop, coordinator, wagon=wagon, pupils=6, confirm=True)
    assert_summary_is_exact()
    afternoon = services.booking_create(
        school=other_school,
        date=VISIT_DAY,
        sessions=service_sessions(workshop, pupils=8, start=dt.time(13, 30)),
        acting_user=coordinator,
        wagon=wagon,
        contact_name="A",
        contact_email="a@school.nl",
    )
    services.booking_confirm(booking=afternoon, acting_user=coordinator, send_email=False)
    assert_summary_is_exact()
    # One wagon carries one load: the wagon-day needs the larger stop, not the sum.
    [row] = KitDayNeed.objects.filter(date=VISIT_DAY)
    assert (row.wagon_id, row.needed, row.reserved) == (wagon.pk, 4, 7)

    loose = make_booking(other_school, workshop, coordinator, pupils=4, confirm=True)
    assert_summary_is_exact()
    reschedule.booking_reschedule(
        booking=loose, date=NEXT_DAY, wagon=other_wagon, acting_user=coordinator, notify=False
    )
    assert_summary_is_exact()
    services.booking_update_sessions(
        booking=morning, sessions=service_sessions(workshop, pupils=10), acting_user=coordinator
    )
    assert_summary_is_exact()
    for status in ("packed", "on_site", "returned", "completed"):
        services.booking_set_status(booking=morning, status=status, acting_user=coordinator)
        assert_summary_is_exact()
    services.booking_cancel(booking=afternoon, reason="ziek", acting_user=coordinator)
    assert_summary_is_exact()
    services.booking_delete(booking=loose, acting_user=coordinator)
    assert_summary_is_exact()
    assert not KitDayNeed.objects.exists()  # nothing reserving is left


def test_availability_reads_the_same_from_the_summary_as_from_the_reservations(
    school, workshop, wagon, coordinator
):
    make_booking(school, workshop, coordinator, wagon=wagon, pupils=14, confirm=True)
    make_booking(school, workshop, coordinator, date=NEXT_DAY, pupils=20, confirm=True)
    from_summary = pool.held(depot_ids=[school.depot_id], date_from=VISIT_DAY, date_to=NEXT_DAY)
    from_rows = pool.held_from_reservations(
        {(school.depot_id, VISIT_DAY), (school.depot_id, NEXT_DAY)}, exclude=[]
    )
    assert dict(from_summary) == from_rows
    assert from_rows[(school.depot_id, VISIT_DAY)].wagon_need(wagon.pk) != {}


def test_the_rebuild_equals_what_the_services_kept(school, workshop, wagon, coordinator):
    make_booking(school, workshop, coordinator, wagon=wagon, pupils=6, confirm=True)
    make_booking(school, workshop, coordinator, date=NEXT_DAY, pupils=4, confirm=True)
    kept = pool.day_needs_stored()
    pool.day_needs_rebuild()
    assert pool.day_needs_stored() == kept == pool.day_needs_recomputed()


def test_a_day_written_twice_without_a_wagon_adds_up_in_its_one_loose_row(
    school, workshop, wagon, coordinator
):
    """A booking that held nothing on the day only adds to its summary (one upsert per write):
    the second booking without a wagon updates the day's loose row, the wagon row stays."""
    from bookings.kit.need import need_for
    from bookings.models import Booking

    loose = [make_booking(school, workshop, coordinator, pupils=n) for n in (4, 8)]
    on_wagon = make_booking(school, workshop, coordinator, wagon=wagon, pupils=6, confirm=True)
    for booking in loose:
        Booking.objects.filter(pk=booking.pk).update(status="confirmed", wagon=None)
        booking.refresh_from_db()
        pool.reservations_write(booking=booking, need=need_for(booking.sessions.all()))
        assert_summary_is_exact()
    rows = {r.wagon_id: (r.needed, r.reserved) for r in KitDayNeed.objects.filter(date=VISIT_DAY)}
    # Loose bookings are wagon-days of their own: their needs add up (2 + 4 robots).
    assert rows == {wagon.pk: (3, 3), None: (2 + 4, 2 + 4)}
    assert on_wagon.wagon_id == wagon.pk
