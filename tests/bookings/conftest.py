"""Shared set-up for booking tests: one depot with a wagon, robots and a robot workshop."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import (
    ItemFactory,
    KitRuleFactory,
    KitTypeFactory,
    WagonFactory,
    WorkshopFactory,
)

TODAY = dt.date(2026, 11, 21)  # a Saturday
VISIT_DAY = dt.date(2027, 3, 9)  # a Tuesday, no holiday anywhere


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


@pytest.fixture
def depot(school):
    return school.depot


@pytest.fixture
def wagon(depot):
    return WagonFactory(depot=depot, max_visits_per_day=2)


@pytest.fixture
def robot(depot):
    kit_type = KitTypeFactory(name="Robotauto", spare_units=0)
    for _ in range(10):
        ItemFactory(kit_type=kit_type, depot=depot)
    return kit_type


@pytest.fixture
def workshop(robot):
    workshop = WorkshopFactory(name="Robotauto coderen", max_pupils=32, duration_minutes=90)
    KitRuleFactory(workshop=workshop, kit_type=robot, per_pupils=2)
    return workshop


def session_data(workshop, *, pupils=20, start="09:00", school_type="po", year=7, label="groep 7"):
    return {
        "workshop": workshop.pk,
        "group_label": label,
        "school_type": school_type,
        "year": year,
        "pupils": pupils,
        "start_time": start,
    }


def booking_payload(workshop, *, date=VISIT_DAY, sessions=None, **extra):
    return {
        "date": date.isoformat(),
        "sessions": sessions or [session_data(workshop)],
        "contact_name": "J. de Vries",
        "contact_email": "j.devries@school.nl",
        **extra,
    }


def service_sessions(workshop, *, pupils=20, start=dt.time(9, 0), school_type="po"):
    return [
        {
            "workshop": workshop,
            "group_label": "groep 7",
            "school_type": school_type,
            "year": 7,
            "pupils": pupils,
            "start_time": start,
        }
    ]


def make_booking(school, workshop, user, *, date=VISIT_DAY, pupils=20, confirm=False, wagon=None):
    from bookings import services

    booking = services.booking_create(
        school=school,
        date=date,
        sessions=service_sessions(workshop, pupils=pupils),
        acting_user=user,
        wagon=wagon,
        contact_name="J. de Vries",
        contact_email="j.devries@school.nl",
    )
    if confirm:
        booking = services.booking_confirm(booking=booking, acting_user=user, send_email=False)
    return booking
