import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import BookingFactory, BookingSessionFactory
from tests.pages.conftest import browser_context  # noqa: F401 (Chromium, for the phone test)

VISIT = dt.date(2027, 3, 9)
TZ = ZoneInfo("Europe/Amsterdam")


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12, 0), tzinfo=TZ), tick=False)


@pytest.fixture
def day_after():
    with at(VISIT + dt.timedelta(days=1)):
        yield


def completed_visit(school, *, status="completed", date=VISIT, workshop=None):
    booking = BookingFactory(school=school, date=date, status=status)
    extra = {"workshop": workshop} if workshop is not None else {}
    BookingSessionFactory(booking=booking, **extra)
    return booking


@pytest.fixture
def done(school):
    return completed_visit(school)


@pytest.fixture
def other_done(other_school):
    return completed_visit(other_school)


ANSWER = {
    "workshop_rating": "5",
    "crew_rating": "4",
    "organisation_rating": "3",
    "enthusiasm": "4",
    "book_again": "ja",
    "comments": "Prachtig!",
}
