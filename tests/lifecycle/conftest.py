"""Booking set-up for the lifecycle tests (the bookings tests' depot, wagon, robots, workshop)."""

import datetime as dt

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from bookings import services
from tests.bookings.conftest import (  # noqa: F401  (fixtures)
    depot,
    frozen_today,
    robot,
    service_sessions,
    wagon,
    workshop,
)


class BrokenSMTP(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")


@pytest.fixture
def broken_smtp(settings):
    settings.EMAIL_BACKEND = "tests.lifecycle.conftest.BrokenSMTP"


@pytest.fixture
def coordinator_with_email(coordinator):
    coordinator.email = "planning@sto-rijnmond.nl"
    coordinator.save()
    return coordinator


def book(school, kit_workshop, user, *, date: dt.date, confirm: bool = False, pupils: int = 20):
    booking = services.booking_create(
        school=school,
        date=date,
        sessions=service_sessions(kit_workshop, pupils=pupils),
        acting_user=user,
        contact_name="J. de Vries",
        contact_email=f"contact@{school.brin.lower()}.nl",
    )
    if confirm:
        booking = services.booking_confirm(booking=booking, acting_user=user)
    return booking
