"""Waiting list: cancel → offer → accept → booking; the hold blocks others until it expires;
decline or expiry passes the offer on; kit coming back fills a date; two racing accepts → one."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from bookings import services, waiting
from bookings.exceptions import BookingError
from bookings.models import Booking, WaitingEntry
from inventory import services as inventory
from inventory.models import Item
from tests.bookings.conftest import VISIT_DAY
from tests.factories import SchoolFactory, make_user
from tests.lifecycle.conftest import book, service_sessions

ALT_DAY = VISIT_DAY + dt.timedelta(days=1)


@pytest.fixture
def full_day(school, workshop, wagon, coordinator):
    """School A's confirmed visit takes the wagon's one slot (and all ten robots) on VISIT_DAY."""
    wagon.max_visits_per_day = 1
    wagon.save()
    return book(school, workshop, coordinator, date=VISIT_DAY, confirm=True)


def _school(depot, name, brin):
    school = SchoolFactory(name=name, brin=brin, depot=depot, contact_email=f"{brin}@school.nl")
    return school, make_user(f"user-{brin}", "school", school=school)


@pytest.fixture
def b(depot):
    return _school(depot, "OBS De Bron", "03EF00")


@pytest.fixture
def c(depot):
    return _school(depot, "CBS Het Anker", "04GH00")


def join(school_and_user, workshop, dates=(VISIT_DAY,)):
    school, user = school_and_user
    return waiting.waiting_join(
        school=school, dates=list(dates), sessions=service_sessions(workshop), acting_user=user
    )


def _offers_to(address):
    return [m for m in mail.outbox if m.to == [address] and m.subject.startswith("Er is plek")]


@pytest.mark.django_db
def test_cancel_offer_accept_gives_a_requested_booking(
    full_day, b, workshop, coordinator, django_capture_on_commit_callbacks
):
    entry = join(b, workshop)
    assert entry.status == "waiting"
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_day, reason="Toetsweek", acting_user=coordinator)
    entry.refresh_from_db()
    assert entry.status == "offered" and entry.offer_date == VISIT_DAY
    assert entry.offer_expires - timezone.now() > dt.timedelta(hours=47)
    [offer] = _offers_to("03EF00@school.nl")
    assert "We houden deze plek tot" in offer.body and "/school/waiting-list/" in offer.body

    with django_capture_on_commit_callbacks(execute=True):
        entry = waiting.waiting_accept(entry=entry, acting_user=b[1])
    assert entry.status == "accepted"
    booking = entry.booking
    assert (booking.school, booking.date, booking.status) == (b[0], VISIT_DAY, "requested")
    assert [s.pupils for s in booking.sessions.all()] == [20]
    # The booking's own e-mails follow: request received for the school.
    assert any(m.subject.startswith("Aanvraag ontvangen") for m in mail.outbox)


@pytest.mark.django_db
def test_joining_needs_a_refused_date(b, workshop, wagon):
    with pytest.raises(BookingError) as exc:
        join(b, workshop)  # nobody holds the robots: the school can simply ask
    assert exc.value.code == "date_available"


@pytest.mark.django_db
def test_an_offer_holds_the_slot_until_it_expires(
    full_day, b, c, workshop, coordinator, django_capture_on_commit_callbacks
):
    entry = join(b, workshop)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
    entry.refresh_from_db()
    assert entry.status == "offered"
    # School C asks for the same day: the held robots are not free.
    with pytest.raises(BookingError):
        book(c[0], workshop, c[1], date=VISIT_DAY)
    # Once the 48 hours are over the hold no longer counts (even before the sweep ran).
    with time_machine.travel(entry.offer_expires + dt.timedelta(minutes=1)):
        booking = book(c[0], workshop, c[1], date=VISIT_DAY)
        assert booking.status == "requested"
        with pytest.raises(BookingError) as exc:
            waiting.waiting_accept(entry=entry, acting_user=b[1])
        assert exc.value.code == "offer_gone"


@pytest.mark.django_db
def test_expiry_passes_the_offer_to_the_next_school(
    full_day, b, c, workshop, coordinator, django_capture_on_commit_callbacks
):
    first = join(b, workshop)  # earlier: first in line
    second = join(c, workshop, dates=(ALT_DAY - dt.timedelta(days=1), VISIT_DAY))
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("offered", "waiting")
    with time_machine.travel(first.offer_expires + dt.timedelta(minutes=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert waiting.waiting_expire() == 1
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.status, second.status) == ("expired", "offered")
        assert second.offer_date == VISIT_DAY
        assert len(_offers_to("04GH00@school.nl")) == 1


@pytest.mark.django_db
def test_declining_passes_the_offer_to_the_next_school(
    full_day, b, c, workshop, coordinator, django_capture_on_commit_callbacks
):
    first = join(b, workshop)
    second = join(c, workshop)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
        waiting.waiting_decline(entry=first, acting_user=b[1])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("declined", "offered")


@pytest.mark.django_db
def test_a_primary_school_goes_before_an_earlier_secondary_school(
    full_day, b, c, workshop, coordinator, django_capture_on_commit_callbacks
):
    first = join(b, workshop)
    second = join(c, workshop)
    b[0].school_types = ["vo", "po"]  # still has po: same rank, earlier wins
    c[0].school_types = ["po"]
    b[0].save()
    c[0].save()
    WaitingEntry.objects.filter(pk=first.pk).update(created=second.created + dt.timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
    assert WaitingEntry.objects.get(pk=second.pk).status == "offered"
    assert WaitingEntry.objects.get(pk=first.pk).status == "waiting"


@pytest.mark.django_db
def test_kit_coming_back_fills_a_waiting_date(
    school, b, workshop, wagon, robot, coordinator, django_capture_on_commit_callbacks
):
    broken = list(Item.objects.filter(kit_type=robot)[:2])
    for item in broken:
        inventory.item_report_defect(item=item, note="kapot", acting_user=coordinator)
    entry = join(b, workshop)  # 10 robots needed, 8 available
    with django_capture_on_commit_callbacks(execute=True):
        inventory.item_repair(item=broken[0], acting_user=coordinator)
    entry.refresh_from_db()
    assert entry.status == "waiting"  # 9 of 10: still short
    with django_capture_on_commit_callbacks(execute=True):
        inventory.item_repair(item=broken[1], acting_user=coordinator)
    entry.refresh_from_db()
    assert entry.status == "offered"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_accepts_make_one_booking(full_day, b, workshop, coordinator):
    entry = join(b, workshop)
    services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
    entry.refresh_from_db()
    assert entry.status == "offered"
    barrier = threading.Barrier(2, timeout=30)
    outcomes = []

    def accept():
        try:
            barrier.wait()
            waiting.waiting_accept(entry=entry, acting_user=b[1])
            outcomes.append("accepted")
        except BookingError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["accepted", "offer_gone"]
    assert Booking.objects.filter(school=b[0], date=VISIT_DAY).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_fills_offer_the_slot_once(full_day, b, c, workshop, coordinator):
    join(b, workshop)
    join(c, workshop)
    services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
    WaitingEntry.objects.update(status="waiting", offer_date=None, offer_expires=None)
    barrier = threading.Barrier(2, timeout=30)
    errors = []

    def fill():
        try:
            barrier.wait()
            waiting.waiting_fill(depot_id=b[0].depot_id, day=VISIT_DAY)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=fill) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert WaitingEntry.objects.filter(status="offered").count() == 1


@pytest.mark.django_db
def test_a_programme_that_auto_confirms_gets_a_confirmed_visit(
    full_day, b, workshop, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.TW_WAITING_AUTO_CONFIRM = True
    entry = join(b, workshop)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=full_day, reason="", acting_user=coordinator)
    entry.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        entry = waiting.waiting_accept(entry=entry, acting_user=b[1])
    assert entry.booking.status == "confirmed"
    assert entry.booking.reservations.exists()  # the kit the offer held is now reserved
    assert not entry.holds.exists()
    assert any(m.subject.startswith("Bevestiging bezoek") for m in mail.outbox)
