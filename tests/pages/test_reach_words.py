"""The reach form's errors in the form's words and the user's language, never API field names."""

import re

import pytest
import time_machine
from django.test import Client

from tests.pages.portal_world import NOW, build_world

pytestmark = pytest.mark.django_db
RAW = ("date_from", "date_to", "school_year:", "non_field_errors", "Give ", "Use a start")


@pytest.fixture
def coordinator(db):
    with time_machine.travel(NOW, tick=False):
        world = build_world()
    client = Client()
    client.force_login(world.coordinator)
    return client


@pytest.mark.parametrize(
    "query",
    [
        "mode=range&date_from=2027-03-01&date_to=2027-01-01",
        "mode=range&date_from=2027-03-01",
        "mode=range&date_from=1990-01-01&date_to=2027-01-01",
        "mode=school_year&school_year=twee",
        "mode=school_year&school_year=2026-2029",
        "mode=year&year=1800",
        "year=2026&school_year=2026",
        "mode=range&date_from=abc&date_to=2027-01-01",
        "group_by=nope",
    ],
)
@time_machine.travel(NOW, tick=False)
def test_reach_errors_use_the_forms_words(coordinator, query):
    response = coordinator.get(f"/planning/reach/?{query}")
    assert response.status_code == 400
    box = response.content.decode().split('id="reach-errors"', 1)[1].split("</div>", 1)[0]
    box = re.sub(r"<[^>]+>", " ", box)  # what the user reads
    for raw in RAW:
        assert raw not in box, raw


@time_machine.travel(NOW, tick=False)
def test_reach_errors_in_english_for_who_chose_it(coordinator):
    coordinator.cookies["django_language"] = "en"
    page = coordinator.get(
        "/planning/reach/?mode=range&date_from=2027-03-01&date_to=2027-01-01"
    ).content.decode()
    assert "is before" in page and "ligt vóór" not in page
