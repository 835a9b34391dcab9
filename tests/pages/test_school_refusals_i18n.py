"""The school's booking form shows the services' refusals in the user's language: English when
the user chose English, Dutch (unchanged) otherwise."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from bookings.models import Booking
from tests.factories import BookingFactory
from tests.pages.portal_world import HOLIDAY, NOW, OPEN_DAY, build_world
from tests.pages.test_school_portal import form_data

SATURDAY = dt.date(2027, 2, 13)


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def teacher(world, language=None) -> Client:
    client = Client()
    client.force_login(world.teacher)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@time_machine.travel(NOW, tick=False)
def test_a_closed_day_is_refused_in_english_for_an_english_user(world):
    response = teacher(world, "en").post(
        "/school/book/", form_data(world, date=HOLIDAY.isoformat())
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "School holiday, region" in page and "Spring Break" in page
    assert "Voorjaarsvakantie" not in page and "Schoolvakantie" not in page
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_weekend_day_is_named_with_an_english_date(world):
    page = teacher(world, "en").post("/school/book/", form_data(world, date=SATURDAY.isoformat()))
    text = page.content.decode()
    assert "Sat 13 February 2027 is in the weekend." in text
    page = teacher(world).post("/school/book/", form_data(world, date=SATURDAY.isoformat()))
    assert "za 13 februari 2027 valt in het weekend." in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_too_many_open_requests_in_english(world, settings):
    settings.TW_MAX_OPEN_REQUESTS_PER_SCHOOL = 3
    for _ in range(3):
        BookingFactory(school=world.school, wagon=world.wagon, date=OPEN_DAY, status="requested")
    response = teacher(world, "en").post("/school/book/", form_data(world))
    assert response.status_code == 400
    errors = response.content.decode().split('id="form-errors"', 1)[1].split("</ul>", 1)[0]
    assert "Your school already has 3 open requests; the maximum is 3." in errors
    assert "openstaande" not in errors


@time_machine.travel(NOW, tick=False)
def test_a_group_error_is_in_the_users_language_at_its_field(world):
    too_many = world.robot_workshop.max_pupils + 1
    data = form_data(world, **{"groups-0-pupils": str(too_many)})
    english = teacher(world, "en").post("/school/book/", data).content.decode()
    name = world.robot_workshop.name
    assert f"{name} takes at most {world.robot_workshop.max_pupils} pupils per session." in english
    assert "leerlingen per sessie" not in english and "pupils:" not in english
    dutch = teacher(world).post("/school/book/", data).content.decode()
    assert f"{name} is voor hoogstens {world.robot_workshop.max_pupils} leerlingen" in dutch
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_api_names_a_group_error_in_english_when_asked(world):
    from rest_framework.test import APIClient

    coordinator_client = APIClient()
    coordinator_client.force_authenticate(world.coordinator)
    workshop = world.robot_workshop
    body = {
        "school": world.school.pk,
        "date": OPEN_DAY.isoformat(),
        "contact_name": "J. Jansen",
        "contact_email": "j@example.nl",
        "sessions": [
            {
                "workshop": workshop.pk,
                "school_type": "po",
                "group_label": "5a",
                "year": 5,
                "pupils": workshop.max_pupils + 1,
                "start_time": "09:00",
            }
        ],
    }
    response = coordinator_client.post(
        "/api/v1/bookings/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "pupils per session" in str(response.json())
    response = coordinator_client.post("/api/v1/bookings/", body, format="json")
    assert "leerlingen per sessie" in str(response.json())
    assert not Booking.objects.exists()
