"""The daily job with time-machine: on each day it queues exactly the due messages, once per
booking and kind — run twice, re-run after a crash halfway, or (PostgreSQL) from two threads."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from feedback.links import token_for
from lifecycle import daily
from lifecycle.daily import daily_run
from outbox.models import Notice, OutgoingEmail
from tests.factories import BookingFactory, BookingSessionFactory, ConsumableFactory

TZ = ZoneInfo("Europe/Amsterdam")
DAY = dt.date(2027, 2, 23)  # a Tuesday
SEVEN = dt.datetime(2027, 2, 23, 7, 0, tzinfo=TZ)
VISIT_AT_RISK = dt.date(2027, 3, 9)  # two weeks after DAY: inside the digest's eight weeks


@pytest.fixture
def at_seven():
    with time_machine.travel(SEVEN, tick=False):
        yield


def visit(school, wagon, workshop, *, date, status="confirmed", **extra):
    booking = BookingFactory(school=school, wagon=wagon, date=date, status=status, **extra)
    BookingSessionFactory(booking=booking, workshop=workshop, start_time=dt.time(9, 30))
    return booking


@pytest.fixture
def world(school, wagon, workshop, coordinator_with_email):
    return {
        "t14": visit(school, wagon, workshop, date=DAY + dt.timedelta(days=14)),
        "t3": visit(
            school, wagon, workshop, date=DAY + dt.timedelta(days=3), site_notes="Plein achter"
        ),
        "done": visit(school, wagon, workshop, date=DAY - dt.timedelta(days=1), status="completed"),
        # Asked on 21 November (the suite's clock), still waiting: in the digest.
        "waiting": visit(
            school, wagon, workshop, date=DAY + dt.timedelta(days=40), status="requested"
        ),
        # Nothing for these: not due, cancelled, or a visit that did not complete.
        "t10": visit(school, wagon, workshop, date=DAY + dt.timedelta(days=10)),
        "cancelled": visit(
            school, wagon, workshop, date=DAY + dt.timedelta(days=14), status="cancelled"
        ),
        "returned": visit(
            school, wagon, workshop, date=DAY - dt.timedelta(days=1), status="returned"
        ),
    }


def _sent(kind):
    return [m for m in mail.outbox if OutgoingEmail.objects.filter(kind=kind, subject=m.subject)]


@pytest.mark.django_db
def test_the_job_queues_exactly_the_messages_due_today(
    world, at_seven, django_capture_on_commit_callbacks
):
    ConsumableFactory(name="PLA-filament", unit="g", stock=200, reorder_level=500)
    with django_capture_on_commit_callbacks(execute=True):
        counts = daily_run()
    assert counts == {"reminder_14": 1, "reminder_3": 1, "thank_you": 1, "digest": 1}
    by_kind = {e.kind: e for e in OutgoingEmail.objects.all()}
    assert by_kind["reminder_14"].subject.startswith("Over twee weken")
    assert world["t14"].reference in by_kind["reminder_14"].subject
    assert "/school/bookings/" in by_kind["reminder_14"].body
    practical = by_kind["reminder_3"]
    assert world["t3"].reference in practical.subject
    assert "Aankomst van de wagen: 09:" in practical.body or "Aankomst van de wagen: 08:" in (
        practical.body
    )
    assert "Plein achter" in practical.body and "230 V" in practical.body
    assert f"/school/feedback/{token_for(world['done'])}/" in by_kind["thank_you"].body
    digest = by_kind["digest"]
    assert digest.to == ["planning@sto-rijnmond.nl"]
    # Confirmed visits within 14 days without a route: t3, t10 and t14 (none is on a route).
    assert "zonder rit (3)" in digest.body
    assert "werkdagen wachten (1):\n- " + world["waiting"].reference in digest.body
    assert "PLA-filament: 200 g (bestelniveau 500)" in digest.body
    assert len(mail.outbox) == 4
    assert all(m.alternatives and m.alternatives[0].mimetype == "text/html" for m in mail.outbox)


@pytest.mark.django_db
def test_running_twice_sends_each_message_once(world, at_seven, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        daily_run()
        again = daily_run()
    assert again == {"reminder_14": 0, "reminder_3": 0, "thank_you": 0, "digest": 0}
    assert len(mail.outbox) == 4
    assert Notice.objects.count() == 4


@pytest.mark.django_db
def test_the_next_days_bring_the_next_messages_only(
    world, school, wagon, workshop, django_capture_on_commit_callbacks
):
    with time_machine.travel(SEVEN, tick=False), django_capture_on_commit_callbacks(execute=True):
        daily_run()
    # Eleven days later the T−14 visit is three days away: its practical information, once.
    with (
        time_machine.travel(SEVEN + dt.timedelta(days=11), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        counts = daily_run()
    assert counts["reminder_3"] == 1 and counts["reminder_14"] == 0
    assert OutgoingEmail.objects.filter(kind="reminder_3").count() == 2


@pytest.mark.django_db
def test_a_crash_halfway_and_a_rerun_send_the_rest_once(
    school, wagon, workshop, at_seven, monkeypatch, django_capture_on_commit_callbacks
):
    for _ in range(4):
        visit(school, wagon, workshop, date=DAY + dt.timedelta(days=14))
    monkeypatch.setattr(daily, "BATCH", 2)  # two batches of two: the crash hits the second
    real = daily.notices_queue
    calls = []

    def crash_in_the_second_batch(**kwargs):
        calls.append(kwargs["messages"])
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(daily, "notices_queue", crash_in_the_second_batch)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        daily_run()
    assert OutgoingEmail.objects.filter(kind="reminder_14").count() == 2
    assert len(mail.outbox) == 2
    monkeypatch.setattr(daily, "notices_queue", real)
    with django_capture_on_commit_callbacks(execute=True):
        counts = daily_run()
    assert counts["reminder_14"] == 2
    reminders = OutgoingEmail.objects.filter(kind="reminder_14")
    assert reminders.count() == 4
    assert len({e.subject for e in reminders}) == 4  # four bookings, one each
    assert len(mail.outbox) == 4 and {e.status for e in reminders} == {"sent"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_once(world, at_seven):
    barrier = threading.Barrier(2, timeout=30)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(daily_run())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for kind in ("reminder_14", "reminder_3", "thank_you", "digest"):
        assert sum(r[kind] for r in results) == 1, kind
        assert OutgoingEmail.objects.filter(kind=kind).count() == 1, kind
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_the_digest_names_a_visit_whose_kit_went_defect(
    school, wagon, workshop, robot, coordinator_with_email, django_capture_on_commit_callbacks
):
    from inventory import services as inventory
    from inventory.models import Item
    from tests.lifecycle.conftest import book

    booking = book(school, workshop, coordinator_with_email, date=VISIT_AT_RISK, confirm=True)
    item = Item.objects.filter(kit_type=robot).first()
    inventory.item_report_defect(item=item, note="kapot", acting_user=coordinator_with_email)
    with (
        time_machine.travel(SEVEN, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        daily_run()
    digest = OutgoingEmail.objects.get(kind="digest")
    assert "(materiaal defect of kwijt) (1):" in digest.body
    assert f"{booking.reference} Melanchthon Kralingen" in digest.body
    assert "Robotauto 10 nodig, 9 vrij" in digest.body
