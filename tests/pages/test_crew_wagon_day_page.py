# ruff: noqa: F811  (the `kit` fixture is imported from tests/packing/conftest.py)
"""The crew's wagon-day page (/crew/days/<wagon>/<date>/): who sees it, what it shows, the link
from the day sheet."""

import datetime as dt

import pytest
import time_machine

from tests.factories import make_user
from tests.packing.conftest import VISIT_DAY, kit, make_booking  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2027, 3, 9, 7, 0, tzinfo=dt.UTC), tick=False):
        yield


def page_url(kit):
    return f"/crew/days/{kit.wagon.pk}/{VISIT_DAY.isoformat()}/"


def test_crew_see_the_morning_list_stops_and_return_check(client, crew_user, kit, school):
    booking = make_booking(kit, school, pupils=8)
    kit.robot.needs_charging = True
    kit.robot.save()
    client.force_login(crew_user)
    response = client.get(page_url(kit))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ochtend: inladen voor de hele dag" in body
    assert 'class="charge' in body and "nog niet geladen" in body  # geladen? for robots only
    assert body.count('class="charge') == 1
    assert f'id="stop-{booking.pk}"' in body and "Uitladen" in body and "Inladen" in body
    assert 'id="return-btn"' in body
    assert "zxing-reader.iife.js" in body and "crew/scan.js" in body


def test_the_day_sheet_links_to_the_wagon_day(client, crew_user, kit, school):
    make_booking(kit, school)
    client.force_login(crew_user)
    body = client.get("/crew/?days=1").content.decode()
    assert f'href="{page_url(kit)}"' in body


def test_english_is_available(client, crew_user, kit, school):
    make_booking(kit, school)
    from django.conf import settings

    client.force_login(crew_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(page_url(kit)).content.decode()
    assert "Morning: load for the whole day" in html and "Unload" in html
    assert "Ochtend" not in html and "Uitladen" not in html


def test_roles(client, kit, school):
    make_booking(kit, school)
    assert client.get(page_url(kit)).status_code == 302  # to the login page
    client.force_login(make_user("teacher2", "school", school=school))
    assert client.get(page_url(kit)).status_code == 403
    client.force_login(make_user("coord2", "coordinator"))
    assert client.get(page_url(kit)).status_code == 200


@pytest.mark.parametrize("path", ["/crew/days/999999/2027-03-09/", "/crew/days/{w}/2027-13-01/"])
def test_unknown_wagon_or_date_is_404(client, crew_user, kit, path):
    client.force_login(crew_user)
    assert client.get(path.format(w=kit.wagon.pk)).status_code == 404


def test_a_day_without_visits_says_so(client, crew_user, kit):
    client.force_login(crew_user)
    response = client.get(page_url(kit))
    assert "Geen bezoeken voor deze wagen op deze dag." in response.content.decode()
