"""The reach report reads a fact table (`bookings.reports.facts`): after every write path that
changes what it holds — confirm, status changes (directly and by the packing list's check
actions), reschedule, sessions replaced, pupils corrected, the admin, delete — the fact rows
equal the ones derived here in Python from the bookings and sessions, and every grouping of the
report equals the slow Python count of test_reach_reference over the bookings themselves. A
rebuild (migration, demo, benchmarks) restores them from scratch."""

# ruff: noqa: F811  (the booking tests' fixtures, imported)

import datetime as dt
import importlib
import uuid

import pytest

from bookings import reschedule, services
from bookings.models import Booking, ReachFact
from bookings.packing import services as packing
from bookings.reports import facts
from bookings.reports.selectors import (
    GROUP_BY,
    SECTOR_OF,
    counted_statuses,
    reach_report,
)
from programmes.models import Programme
from tests.bookings.conftest import (  # noqa: F401
    VISIT_DAY,
    depot,
    frozen_today,
    make_booking,
    robot,
    service_sessions,
    wagon,
    workshop,
)
from tests.bookings.test_admin_versions import admin_client, form_data  # noqa: F401
from tests.factories import SchoolFactory, WagonFactory, WorkshopFactory
from tests.reports.test_reach_reference import SY, _reference, _report_rows

pytestmark = pytest.mark.django_db

FACT_COLUMNS = facts.COLUMNS


def expected_facts() -> set[tuple]:
    """The fact rows as they must be, one visit at a time in Python."""
    rows = set()
    bookings = Booking.objects.filter(status__in=counted_statuses(planned=True))
    for b in bookings.prefetch_related("sessions"):
        visit = (b.date, b.status, b.school_id, b.wagon_id)
        sessions = list(b.sessions.all())
        groups: dict[tuple, list[int]] = {("visit", "", None): [s.pupils for s in sessions]}
        for s in sessions:
            for group in (
                ("school_type", s.school_type, None),
                ("workshop", "", s.workshop_id),
                ("sector", SECTOR_OF[s.school_type], None),
            ):
                groups.setdefault(group, []).append(s.pupils)
        for (kind, key, workshop_id), pupils in groups.items():
            rows.add((b.pk, kind, key, workshop_id, *visit, len(pupils), sum(pupils)))
    return rows


def assert_current() -> int:
    """The facts and every report equal their Python references; the visits that count
    (planned included)."""
    assert set(ReachFact.objects.values_list(*FACT_COLUMNS)) == expected_facts()
    programme_ids = set(Programme.objects.values_list("id", flat=True))
    for group_by in GROUP_BY:
        for planned in (False, True):
            report = reach_report(period=SY, group_by=group_by, planned=planned)
            rows, totals = _reference(
                group_by=group_by, planned=planned, programme_ids=programme_ids
            )
            assert report["totals"] == totals, (group_by, planned)
            assert _report_rows(report) == rows, (group_by, planned)
    return reach_report(period=SY, planned=True)["totals"]["visits"]


def _check(booking, action, **extra):
    return packing.packing_check(
        booking=booking, action=action, client_id=str(uuid.uuid4()), **extra
    )


def test_a_request_has_no_facts_and_its_confirmation_writes_them(
    school, workshop, coordinator, wagon
):
    booking = make_booking(school, workshop, coordinator)
    assert assert_current() == 0
    assert not ReachFact.objects.filter(booking_id=booking.pk).exists()
    services.booking_confirm(booking=booking, acting_user=coordinator, send_email=False)
    assert assert_current() == 1


def test_the_lifecycle_through_the_packing_list_and_crew(school, workshop, coordinator, wagon):
    booking = make_booking(school, workshop, coordinator, confirm=True)
    lines = list(booking.packing_list.lines.all())
    assert lines
    for line in lines:
        _check(booking, "pack", line_id=line.pk)
    booking.refresh_from_db()
    assert booking.status == "packed"
    assert assert_current() == 1
    services.booking_arrive(booking=booking, acting_user=coordinator)
    assert assert_current() == 1
    assert reach_report(period=SY)["totals"]["visits"] == 1  # took place now
    for line in lines:
        _check(booking, "return", line_id=line.pk, condition="ok")
    booking.refresh_from_db()
    assert booking.status == "returned"
    assert assert_current() == 1
    services.booking_complete(booking=booking, acting_user=coordinator)
    assert assert_current() == 1


def test_cancel_decline_and_unpack(school, workshop, coordinator, wagon):
    def on(days, **extra):
        day = VISIT_DAY + dt.timedelta(days=days)
        return make_booking(school, workshop, coordinator, pupils=4, date=day, **extra)

    cancelled, declined, unpacked = on(0, confirm=True), on(1), on(2, confirm=True)
    assert assert_current() == 2
    services.booking_cancel(booking=cancelled, reason="Toetsweek", acting_user=coordinator)
    services.booking_decline(booking=declined, reason="Vol", acting_user=coordinator)
    assert assert_current() == 1
    services.booking_set_status(booking=unpacked, status="packed", acting_user=coordinator)
    assert assert_current() == 1
    line = unpacked.packing_list.lines.first()
    _check(unpacked, "pack", line_id=line.pk)
    _check(unpacked, "unpack", line_id=line.pk)  # back to confirmed
    assert Booking.objects.get(pk=unpacked.pk).status == "confirmed"
    assert assert_current() == 1


def test_a_reschedule_moves_the_facts_to_the_new_day_and_wagon(
    school, workshop, coordinator, wagon
):
    booking = make_booking(school, workshop, coordinator, wagon=wagon, confirm=True)
    other = WagonFactory(depot=school.depot)
    reschedule.booking_reschedule(
        booking=booking, date=VISIT_DAY + dt.timedelta(days=1), wagon=other, acting_user=coordinator
    )
    assert assert_current() == 1
    assert set(ReachFact.objects.values_list("wagon_id", "date")) == {
        (other.pk, VISIT_DAY + dt.timedelta(days=1))
    }


def test_sessions_replaced_and_pupils_corrected(school, workshop, coordinator, wagon):
    school.school_types = ["po", "so"]
    school.save()
    booking = make_booking(school, workshop, coordinator, pupils=6, confirm=True)
    sessions = service_sessions(workshop, pupils=4) + service_sessions(
        workshop, pupils=2, start=dt.time(11, 0), school_type="so"
    )
    services.booking_update_sessions(booking=booking, sessions=sessions, acting_user=coordinator)
    assert assert_current() == 1
    assert ReachFact.objects.filter(kind="sector").count() == 2
    services.booking_arrive(booking=booking, acting_user=coordinator)
    session = booking.sessions.order_by("pk").first()
    services.booking_record_attendance(
        booking=booking, sessions=[{"id": session.pk, "pupils": 9}], acting_user=coordinator
    )
    assert assert_current() == 1
    assert reach_report(period=SY)["totals"]["pupils"] == 11


def test_a_deleted_booking_takes_its_facts(school, workshop, coordinator, wagon):
    booking = make_booking(school, workshop, coordinator, confirm=True)
    assert ReachFact.objects.filter(booking_id=booking.pk).exists()
    services.booking_delete(booking=booking, acting_user=coordinator)
    assert assert_current() == 0
    assert not ReachFact.objects.exists()


def test_the_admin_edits_a_booking(admin_client, school, workshop, coordinator, wagon):  # noqa: F811
    booking = make_booking(school, workshop, coordinator, wagon=wagon, confirm=True)
    url = f"/admin/bookings/booking/{booking.pk}/change/"
    new_day = VISIT_DAY + dt.timedelta(days=1)
    response = admin_client.post(
        url, {**form_data(admin_client, url), "date": new_day.isoformat(), "status": "packed"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(ReachFact.objects.values_list("date", "status").distinct()) == {(new_day, "packed")}
    assert assert_current() == 1


def test_schools_wagons_and_workshops_are_read_as_they_are_now(
    school, workshop, coordinator, wagon
):
    """Their changeable attributes are joined, not copied: a change needs no refresh."""
    booking = make_booking(school, workshop, coordinator, confirm=True)
    services.booking_arrive(booking=booking, acting_user=coordinator)
    school.holiday_region = "zuid" if school.holiday_region != "zuid" else "noord"
    school.save()
    booking.wagon.depot = SchoolFactory().depot or booking.wagon.depot
    booking.wagon.save()
    workshop.name = "Robotauto coderen 2"
    workshop.save()
    assert assert_current() == 1
    [row] = reach_report(period=SY, group_by="workshop")["rows"]
    assert row["key"] == "Robotauto coderen 2"


def test_a_rebuild_restores_every_fact(random_reach):
    assert assert_current() > 0
    kept = set(ReachFact.objects.values_list(*FACT_COLUMNS))
    ReachFact.objects.all().delete()
    assert reach_report(period=SY)["totals"]["visits"] == 0
    assert facts.rebuild() == len(kept)
    assert set(ReachFact.objects.values_list(*FACT_COLUMNS)) == kept
    assert_current()


def test_the_migration_builds_the_facts_of_existing_bookings(random_reach):
    ReachFact.objects.all().delete()
    migration = importlib.import_module("bookings.migrations.0016_reach_facts")
    migration.build_facts(None, None)
    assert ReachFact.objects.exists()
    assert_current()


def test_a_counted_visit_that_lost_its_facts_gets_them_at_its_next_change(
    school, workshop, coordinator, wagon
):
    booking = make_booking(school, workshop, coordinator, confirm=True)
    ReachFact.objects.all().delete()
    services.booking_set_status(booking=booking, status="packed", acting_user=coordinator)
    assert assert_current() == 1


def test_a_refresh_of_unchanged_bookings_changes_nothing(random_reach):
    before = set(ReachFact.objects.values_list(*FACT_COLUMNS))
    facts.refresh(Booking.objects.values_list("pk", flat=True))
    facts.refresh([])
    assert set(ReachFact.objects.values_list(*FACT_COLUMNS)) == before


def test_a_visit_without_sessions_counts_as_a_visit(school, coordinator):
    from tests.factories import BookingFactory

    BookingFactory(school=school, date=VISIT_DAY, status="completed")
    WorkshopFactory()
    assert assert_current() == 1
    assert reach_report(period=SY)["totals"] | {"sectors": None} == {
        "visits": 1,
        "schools": 1,
        "sessions": 0,
        "pupils": 0,
        "sectors": None,
    }
