"""Django admin for bookings, schools and routes: change forms carry the version they were loaded
with (a stale one is refused in Dutch, nothing written) and save only the changed fields."""

import re
from html import unescape

import pytest

from bookings import services
from bookings.models import Booking
from tests.bookings.conftest import make_booking

pytestmark = pytest.mark.django_db

CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("beheer", "beheer@example.nl", "pw-123456")
    client.force_login(user)
    return client


def form_data(client, url) -> dict:
    """The change form's fields as the browser would post them back."""
    html = client.get(url).content.decode()
    data = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = unescape(body.strip("\n"))
    for name, block in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', block)
        data[name] = unescape(chosen.group(1)) if chosen else ""
    return data


def test_a_stale_booking_form_is_refused(admin_client, school, workshop, wagon, coordinator):
    booking = make_booking(school, workshop, coordinator, wagon=wagon)
    url = f"/admin/bookings/booking/{booking.pk}/change/"
    loaded = form_data(admin_client, url)
    assert loaded["loaded_version"]
    services.booking_confirm(booking=booking, acting_user=coordinator, send_email=False)
    response = admin_client.post(url, {**loaded, "contact_phone": "010-999"})
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.contact_phone != "010-999"


def test_a_fresh_booking_form_saves_only_what_changed(
    admin_client, school, workshop, wagon, coordinator
):
    booking = make_booking(school, workshop, coordinator, wagon=wagon)
    url = f"/admin/bookings/booking/{booking.pk}/change/"
    response = admin_client.post(url, {**form_data(admin_client, url), "contact_phone": "010-9"})
    assert response.status_code == 302, response.content.decode()[:3000]
    booking.refresh_from_db()
    assert booking.contact_phone == "010-9"
    latest = booking.history.latest("history_date")
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["contact_phone"]


def test_a_stale_school_form_is_refused(admin_client, school, coordinator):
    url = f"/admin/bookings/school/{school.pk}/change/"
    loaded = form_data(admin_client, url)
    services.school_update(school=school, data={"site_notes": "Hek B"}, acting_user=coordinator)
    response = admin_client.post(url, {**loaded, "city": "Delft"})
    assert CONFLICT in response.content.decode()
    school.refresh_from_db()
    assert school.city != "Delft"
    assert school.site_notes == "Hek B"
