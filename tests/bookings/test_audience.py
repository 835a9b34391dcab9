"""Workshop audience (issue 18): groep range for po, leerjaar range for vo, niveau for mbo (the school
type); sessions are checked against it, and only vmbo sessions carry a profiel."""

import pytest

from bookings.models import Booking, BookingSession, Workshop
from tests.bookings.conftest import booking_payload, session_data
from tests.factories import KitRuleFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/bookings/"
WORKSHOPS = "/api/v1/workshops/"


@pytest.fixture
def vr(robot):
    workshop = WorkshopFactory(
        name="VR-beroepenexpeditie",
        school_types=["po", "vmbo-bb", "vmbo-kb", "havo"],
        po_group_min=7,
        po_group_max=8,
        vo_year_min=1,
        vo_year_max=2,
    )
    KitRuleFactory(workshop=workshop, kit_type=robot, per_pupils=2)
    return workshop


def _request(client, workshop, **session):
    data = {**session_data(workshop), **session}
    return client.post(URL, booking_payload(workshop, sessions=[data]), format="json")


def test_vr_for_groep_7_8_refuses_groep_3(school_client, vr, wagon):
    response = _request(school_client, vr, year=3, group_label="groep 3")
    assert response.status_code == 400
    [message] = response.json()["sessions"]
    assert "year" in message
    assert "VR-beroepenexpeditie is voor groep 7–8, niet voor groep 3." in message
    assert not Booking.objects.exists()


@pytest.mark.parametrize("year", [7, 8])
def test_vr_takes_groep_7_and_8(school_client, vr, wagon, year):
    assert _request(school_client, vr, year=year).status_code == 201


def test_the_vo_range_counts_leerjaren(coordinator_client, vr, wagon, school):
    school.school_types = ["po", "vmbo-kb"]
    school.save()
    payload = {**booking_payload(vr), "school": school.pk}
    payload["sessions"] = [{**session_data(vr), "school_type": "vmbo-kb", "year": 3}]
    response = coordinator_client.post(URL, payload, format="json")
    assert response.status_code == 400
    assert "leerjaar 1–2, niet voor leerjaar 3" in str(response.json())
    payload["sessions"][0]["year"] = 2
    assert coordinator_client.post(URL, payload, format="json").status_code == 201


def test_an_open_range_takes_every_groep(school_client, workshop, wagon):
    assert workshop.po_group_min is None and workshop.po_group_max is None
    assert _request(school_client, workshop, year=1).status_code == 201


def test_a_vmbo_session_may_carry_a_profile(coordinator_client, workshop, wagon, school):
    school.school_types = ["vmbo-bb"]
    school.save()
    payload = {**booking_payload(workshop), "school": school.pk}
    payload["sessions"] = [
        {**session_data(workshop), "school_type": "vmbo-bb", "year": 3, "profile": "PIE"}
    ]
    response = coordinator_client.post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["sessions"][0]["profile"] == "PIE"
    assert BookingSession.objects.get().profile == "PIE"


def test_a_vmbo_profile_on_a_po_session_is_refused(school_client, workshop, wagon):
    response = _request(school_client, workshop, profile="BWI")
    assert response.status_code == 400
    assert "profile" in str(response.json()["sessions"])
    assert not Booking.objects.exists()


def test_an_unknown_profile_is_refused(school_client, workshop, wagon):
    response = _request(school_client, workshop, profile="XYZ")
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_the_ten_profiles():
    from bookings.models import VmboProfile

    assert len(VmboProfile.values) == 10
    assert {"BWI", "PIE", "M&T", "MVI", "MaT", "Z&W", "E&O", "HBR", "G", "D&P"} == set(
        VmboProfile.values
    )


# --- the workshop API carries the range ------------------------------------------------------


def _workshop_body(**extra):
    return {
        "name": "Drones",
        "duration_minutes": 60,
        "max_pupils": 24,
        "school_types": ["po"],
        **extra,
    }


def test_a_coordinator_sets_the_range(coordinator_client):
    response = coordinator_client.post(
        WORKSHOPS, _workshop_body(po_group_min=5, po_group_max=8, vo_year_min=None), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["po_group_min"], data["po_group_max"], data["vo_year_min"]) == (5, 8, None)
    listed = coordinator_client.get(WORKSHOPS).json()["results"]
    assert listed[0]["po_group_min"] == 5 and listed[0]["vo_year_max"] is None


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"po_group_min": 8, "po_group_max": 7}, "po_group_max"),
        ({"vo_year_min": 4, "vo_year_max": 2}, "vo_year_max"),
        ({"po_group_min": 0}, "po_group_min"),
        ({"po_group_max": 9}, "po_group_max"),
        ({"vo_year_max": 7}, "vo_year_max"),
        ({"vo_year_min": "drie"}, "vo_year_min"),
    ],
)
def test_a_bad_range_is_a_400(coordinator_client, extra, field):
    response = coordinator_client.post(WORKSHOPS, _workshop_body(**extra), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Workshop.objects.filter(name="Drones").exists()


def test_an_update_cannot_cross_the_range(coordinator_client, vr):
    response = coordinator_client.patch(f"{WORKSHOPS}{vr.pk}/", {"po_group_max": 6}, format="json")
    assert response.status_code == 400
    assert "po_group_max" in response.json()
    vr.refresh_from_db()
    assert vr.po_group_max == 8


def test_school_and_crew_read_the_range_but_cannot_change_it(school_client, crew_client, vr):
    for client in (school_client, crew_client):
        row = client.get(f"{WORKSHOPS}{vr.pk}/").json()
        assert (row["po_group_min"], row["po_group_max"]) == (7, 8)
        response = client.patch(f"{WORKSHOPS}{vr.pk}/", {"po_group_min": 1}, format="json")
        assert response.status_code == 403
