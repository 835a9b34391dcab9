"""The booking form's group rows come with a management form; a missing or tampered one is a
Dutch error on the page with every typed value kept, never a 500."""

import pytest
import time_machine

from bookings.models import Booking
from tests.pages.portal_world import NOW, build_world
from tests.pages.test_school_portal import form_data

MESSAGE = "De groepen zijn niet volledig meegestuurd."


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


@pytest.fixture
def teacher(world, client):
    client.force_login(world.teacher)
    return client


TAMPERED = [
    {"groups-TOTAL_FORMS": "0"},
    {"groups-TOTAL_FORMS": "-1"},
    {"groups-TOTAL_FORMS": "abc"},
    {"groups-TOTAL_FORMS": "9" * 5000},
    {"groups-TOTAL_FORMS": "99999999999999999999"},
    {"groups-INITIAL_FORMS": "4"},
    {"groups-INITIAL_FORMS": "x"},
    {"groups-TOTAL_FORMS": None},
    {"groups-TOTAL_FORMS": None, "groups-INITIAL_FORMS": None},
    {
        "groups-TOTAL_FORMS": None,
        "groups-INITIAL_FORMS": None,
        "groups-MIN_NUM_FORMS": None,
        "groups-MAX_NUM_FORMS": None,
    },
]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "change", TAMPERED, ids=lambda c: ",".join(f"{k}={v}"[:30] for k, v in c.items())
)
def test_a_tampered_management_form_is_a_form_error(world, teacher, change):
    data = form_data(world)
    for key, value in change.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    response = teacher.post("/school/book/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page
    assert 'id="form-errors"' in page
    assert 'value="groep 5a"' in page  # the typed group is still there
    assert page.count('class="group"') == 4
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_fewer_rows_than_the_page_sends_are_fine(world, teacher):
    data = form_data(world, **{"groups-TOTAL_FORMS": "1"})
    response = teacher.post("/school/book/", data)
    assert response.status_code == 302
    assert Booking.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_huge_numbers_in_the_calendar_query_are_ignored(world, teacher):
    response = teacher.get("/school/calendar/?pupils=" + "9" * 5000 + "&workshop=" + "9" * 5000)
    assert response.status_code == 200
    assert teacher.get("/school/calendar/?month=9999-12").status_code == 200
