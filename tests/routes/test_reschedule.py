"""bookings.reschedule.booking_reschedule: moves with history, kit re-reservation and e-mail."""

import datetime as dt

import pytest
from django.core import mail

from bookings.exceptions import BookingError
from bookings.kit import pool
from bookings.models import KitReservation
from bookings.reschedule import booking_reschedule
from tests.routes.helpers import MONDAY, World

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def confirmed(world, index=0, date=MONDAY, pupils=24, wagon=None):
    booking = world.booking(index, date=date, status="confirmed", pupils=pupils, wagon=wagon)
    KitReservation.objects.create(
        booking=booking, kit_type=world.bot, depot=world.depot, date=date, quantity=pupils // 3
    )
    pool.day_needs_refresh([(world.depot.pk, date)])  # as booking_confirm keeps it
    return booking


def test_a_move_re_reserves_kit_records_history_and_mails_after_commit(
    coordinator, django_capture_on_commit_callbacks
):
    world = World()
    booking = confirmed(world)
    with django_capture_on_commit_callbacks(execute=True):
        booking_reschedule(booking=booking, date=TUESDAY, acting_user=coordinator)
    booking.refresh_from_db()
    assert booking.date == TUESDAY
    assert list(KitReservation.objects.values_list("date", "quantity")) == [(TUESDAY, 8)]
    record = booking.history.first()
    assert record.history_user == coordinator and "2027-03-08" in record.history_change_reason
    [message] = mail.outbox
    assert "maandag 8 maart 2027" in message.body and "dinsdag 9 maart 2027" in message.body


def test_it_refuses_a_day_without_the_kit_and_changes_nothing(coordinator):
    # Another wagon holds 8 of 10 Blue-Bots on Tuesday (on the same wagon, later the same day,
    # they would be reused; at the same time it would be wagon_busy).
    world = World(bots=10, wagons=2)
    confirmed(world, 1, date=TUESDAY, pupils=24, wagon=world.wagons[1])
    booking = confirmed(world, 0, date=MONDAY, pupils=24)
    with pytest.raises(BookingError) as refused:
        booking_reschedule(booking=booking, date=TUESDAY, acting_user=coordinator)
    assert refused.value.code == "unavailable"
    assert any(r["code"] == "kit_shortage" for r in refused.value.extra["reasons"])
    booking.refresh_from_db()
    assert booking.date == MONDAY
    assert KitReservation.objects.get(booking=booking).date == MONDAY
    assert mail.outbox == []


def test_it_refuses_a_closed_day(coordinator):
    world = World()
    booking = world.booking(0)
    saturday = MONDAY + dt.timedelta(days=5)
    with pytest.raises(BookingError):
        booking_reschedule(booking=booking, date=saturday, acting_user=coordinator)


def test_visits_under_way_cannot_move(coordinator):
    world = World()
    booking = world.booking(0, status="packed")
    with pytest.raises(BookingError) as refused:
        booking_reschedule(booking=booking, date=TUESDAY, acting_user=coordinator)
    assert refused.value.code == "invalid_transition"


def test_the_same_date_and_wagon_is_a_no_op(coordinator, django_capture_on_commit_callbacks):
    world = World()
    booking = world.booking(0)
    before = booking.history.count()
    with django_capture_on_commit_callbacks(execute=True):
        booking_reschedule(booking=booking, date=MONDAY, acting_user=coordinator)
    assert booking.history.count() == before and mail.outbox == []
