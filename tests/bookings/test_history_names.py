"""`GET …/{id}/history/` names who changed what: staff see usernames; a school user sees its
own school's users by name and staff only by role, never a staff username."""

import pytest

from bookings import services
from tests.bookings.conftest import make_booking
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(school, workshop, wagon, school_user, coordinator, crew_user):
    """Requested by the school, confirmed by the coordinator, arrived by the crew."""
    booking = make_booking(school, workshop, school_user, wagon=wagon)
    services.booking_confirm(booking=booking, acting_user=coordinator, send_email=False)
    services.booking_set_status(booking=booking, status="on_site", acting_user=crew_user)
    return booking


def _authors(client, booking) -> list:
    response = client.get(f"/api/v1/bookings/{booking.pk}/history/")
    assert response.status_code == 200, response.data
    return [entry["history_user"] for entry in response.data]


def test_the_school_sees_roles_for_staff_and_names_for_its_own(school_client, booking):
    authors = _authors(school_client, booking)
    assert authors == ["crew", "coordinator", "teacher"]
    body = str(school_client.get(f"/api/v1/bookings/{booking.pk}/history/").data)
    assert "coord" not in body.replace("coordinator", "")
    assert "crewmember" not in body


def test_a_colleague_at_the_same_school_is_named(school, booking, workshop, wagon):
    from rest_framework.test import APIClient

    colleague = make_user("collega", "school", school=school)
    client = APIClient()
    client.force_authenticate(user=colleague)
    assert _authors(client, booking)[-1] == "teacher"


def test_staff_see_usernames(coordinator_client, crew_client, booking):
    assert _authors(coordinator_client, booking) == ["crewmember", "coord", "teacher"]
    assert _authors(crew_client, booking) == ["crewmember", "coord", "teacher"]


def test_school_history_shows_the_coordinator_by_role(school_client, coordinator_client, school):
    coordinator_client.patch(f"/api/v1/schools/{school.pk}/", {"city": "Schiedam"}, format="json")
    school_client.patch(f"/api/v1/schools/{school.pk}/", {"site_notes": "Hek B"}, format="json")
    history = school_client.get(f"/api/v1/schools/{school.pk}/history/").data
    assert [entry["history_user"] for entry in history[:2]] == ["teacher", "coordinator"]


def test_a_superuser_counts_as_coordinator(school_client, school, django_user_model):
    admin = django_user_model.objects.create_superuser("beheerder", "b@example.nl", "pw-123456")
    services.school_update(school=school, data={"city": "Delft"}, acting_user=admin)
    history = school_client.get(f"/api/v1/schools/{school.pk}/history/").data
    assert history[0]["history_user"] == "coordinator"


def test_the_history_reads_a_fixed_number_of_queries(
    school_client, booking, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert school_client.get(f"/api/v1/bookings/{booking.pk}/history/").status_code == 200
