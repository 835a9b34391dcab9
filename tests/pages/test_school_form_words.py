"""The booking form's errors in the form's own words: at the field, in a summary at the top that
links to each field, never a code field name, never twice; dates in sentences in Dutch."""

import re

import pytest
import time_machine
from django.test import Client

from bookings.models import Booking
from tests.pages.portal_world import NOW, OPEN_DAY, build_world
from tests.pages.test_school_portal import form_data

pytestmark = pytest.mark.django_db
RAW_NAMES = ("pupils", "start_time", "school_type", "group_label", "workshop:", "Sessie")


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


@pytest.fixture
def teacher(world):
    client = Client()
    client.force_login(world.teacher)
    return client


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", page)


def summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


@time_machine.travel(NOW, tick=False)
def test_a_group_error_is_at_its_field_and_in_the_summary_in_the_forms_words(world, teacher):
    data = form_data(
        world,
        **{
            "groups-1-group_label": "groep 6b",
            "groups-1-year": "6",
            "groups-1-pupils": "40",
            "groups-1-start_time": "10:30",
        },
    )
    page = teacher.post("/school/book/", data).content.decode()
    box = summary(page)
    assert re.search(r'<a href="#id_groups-1-pupils">Groep 2: Leerlingen: [^<]*hoogstens 32', box)
    field = page.split('for="id_groups-1-pupils"', 1)[1].split("</label>", 1)[0]
    assert "hoogstens 32 leerlingen" in field
    text = visible_text(page)
    for raw in RAW_NAMES:
        assert raw not in text, raw
    assert not Booking.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_no_group_is_said_once(world, teacher):
    data = form_data(world)
    for name in ("group_label", "year", "pupils", "start_time"):
        data[f"groups-0-{name}"] = ""
    page = teacher.post("/school/book/", data).content.decode()
    assert visible_text(page).count("Vul minstens één groep in.") == 1
    assert "Vul minstens één groep in." in summary(page)


@time_machine.travel(NOW, tick=False)
def test_a_closed_date_says_why_in_dutch_words_and_links_to_the_date(world, teacher):
    page = teacher.post(
        "/school/book/", form_data(world, date="2027-01-16", alternative_1="")
    ).content.decode()
    box = summary(page)
    assert 'href="#id_date"' in box
    assert "za 16 januari 2027 valt in het weekend." in box
    assert "2027-01-16" not in visible_text(page)


@time_machine.travel(NOW, tick=False)
def test_lead_time_is_worded_as_at_least(world, teacher):
    page = teacher.post(
        "/school/book/", form_data(world, date="2026-11-24", alternative_1="")
    ).content.decode()
    assert "minstens 10 dagen vooraf" in page
    assert "tot 10 dagen vooraf" not in page


@time_machine.travel(NOW, tick=False)
def test_a_good_form_has_no_summary(world, teacher):
    assert 'class="error-summary"' not in teacher.get("/school/book/").content.decode()
    response = teacher.post("/school/book/", form_data(world))
    assert response.status_code == 302
    assert Booking.objects.get().date == OPEN_DAY
