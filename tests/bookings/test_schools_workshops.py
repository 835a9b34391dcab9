"""Schools (BRIN, postcode, self-service fields), workshops with nested rules, blackouts."""

import pytest

from bookings.models import KitRule, School, Workshop
from tests.factories import ConsumableFactory, KitTypeFactory, WagonFactory

SCHOOLS = "/api/v1/schools/"
WORKSHOPS = "/api/v1/workshops/"


def school_payload(**extra):
    return {
        "name": "OBS De Bongerd",
        "brin": "30bf 01",
        "school_types": ["po"],
        "address": "Bongerd 1",
        "postcode": "7391aa",
        "city": "Twello",
        "lat": 52.239,
        "lon": 6.11,
        "holiday_region": "midden",
        **extra,
    }


@pytest.mark.django_db
def test_brin_and_postcode_are_normalised(coordinator_client):
    response = coordinator_client.post(SCHOOLS, school_payload(), format="json")
    assert response.status_code == 201, response.data
    assert response.json()["brin"] == "30BF01"
    assert response.json()["postcode"] == "7391 AA"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [
        ("brin", "1234"),
        ("brin", "30BF1"),
        ("postcode", "0123 AB"),
        ("postcode", "3032 SA"),
        ("postcode", "12345"),
        ("holiday_region", "west"),
        ("school_types", ["kleuter"]),
        ("lat", 123),
    ],
)
def test_invalid_school_fields_are_400(coordinator_client, field, value):
    response = coordinator_client.post(SCHOOLS, school_payload(**{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_duplicate_brin_is_400(coordinator_client, school):
    response = coordinator_client.post(SCHOOLS, school_payload(brin=school.brin), format="json")
    assert response.status_code == 400
    assert "brin" in response.json()


@pytest.mark.django_db
def test_a_school_user_sees_and_edits_only_its_own_contact_and_site(
    school_client, school, other_school
):
    data = school_client.get(SCHOOLS).json()
    assert [s["id"] for s in data["results"]] == [school.pk]
    assert school_client.get(f"{SCHOOLS}{other_school.pk}/").status_code == 404
    response = school_client.patch(
        f"{SCHOOLS}{school.pk}/",
        {"site_notes": "Parkeren achter de gymzaal", "contact_phone": "010-7654321"},
        format="json",
    )
    assert response.status_code == 200
    school.refresh_from_db()
    assert school.site_notes == "Parkeren achter de gymzaal"
    response = school_client.patch(
        f"{SCHOOLS}{school.pk}/", {"name": "Andere naam", "site_notes": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "name" in response.json()
    school.refresh_from_db()
    assert school.name == "Melanchthon Kralingen"
    assert school.site_notes == "Parkeren achter de gymzaal"  # nothing half-written
    assert (
        school_client.patch(f"{SCHOOLS}{other_school.pk}/", {"site_notes": "x"}, format="json")
    ).status_code == 404
    assert school_client.delete(f"{SCHOOLS}{school.pk}/").status_code == 403


@pytest.mark.django_db
def test_school_history_records_the_user(school_client, school, school_user):
    school_client.patch(f"{SCHOOLS}{school.pk}/", {"contact_name": "P. Jansen"}, format="json")
    history = school_client.get(f"{SCHOOLS}{school.pk}/history/").json()
    assert history[0]["history_user"] == school_user.username
    assert {"field": "contact_name", "old": "J. de Vries", "new": "P. Jansen"} in history[0][
        "changes"
    ]


@pytest.mark.django_db
def test_a_school_in_use_cannot_be_deleted(
    coordinator_client, school, workshop, coordinator, wagon
):
    from tests.bookings.conftest import make_booking

    make_booking(school, workshop, coordinator)
    response = coordinator_client.delete(f"{SCHOOLS}{school.pk}/")
    assert response.status_code == 409
    assert School.objects.filter(pk=school.pk).exists()


@pytest.fixture
def kit():
    return {
        "printer": KitTypeFactory(name="FDM 3D-printer"),
        "laptop": KitTypeFactory(name="Laptop"),
        "pla": ConsumableFactory(name="PLA-filament"),
    }


def workshop_payload(kit, **extra):
    return {
        "name": "3D-ontwerpen & printen",
        "description": "Ontwerpen en printen",
        "duration_minutes": 120,
        "max_pupils": 24,
        "school_types": ["vmbo-kb", "havo"],
        "kit_rules": [
            {"kit_type": kit["printer"].pk, "fixed": 6},
            {"kit_type": kit["laptop"].pk, "per_pupils": 2},
        ],
        "consumable_rules": [{"consumable": kit["pla"].pk, "per_pupil": 8}],
        **extra,
    }


@pytest.mark.django_db
def test_workshop_with_rules_in_one_request(coordinator_client, kit):
    response = coordinator_client.post(WORKSHOPS, workshop_payload(kit), format="json")
    assert response.status_code == 201, response.data
    data = response.json()
    assert {(r["kit_type"], r["per_pupils"], r["fixed"]) for r in data["kit_rules"]} == {
        (kit["printer"].pk, None, 6),
        (kit["laptop"].pk, 2, None),
    }
    assert data["consumable_rules"] == [{"consumable": kit["pla"].pk, "per_pupil": 8.0}]
    workshop_id = data["id"]
    response = coordinator_client.patch(
        f"{WORKSHOPS}{workshop_id}/",
        {"kit_rules": [{"kit_type": kit["laptop"].pk, "per_pupils": 3}]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["kit_rules"] == [
        {"kit_type": kit["laptop"].pk, "per_pupils": 3, "fixed": None}
    ]
    assert len(response.json()["consumable_rules"]) == 1  # omitted: left as it was
    assert coordinator_client.get(f"{WORKSHOPS}{workshop_id}/history/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rules",
    [
        [{"kit_type": 0, "fixed": 6}],
        [{"kit_type": "printer", "fixed": 6, "per_pupils": 2}],
        [{"kit_type": "printer"}],
        [{"kit_type": "printer", "fixed": 0}],
        [{"kit_type": "printer", "fixed": 6}, {"kit_type": "printer", "per_pupils": 2}],
        "zes",
    ],
)
def test_bad_kit_rules_write_nothing(coordinator_client, kit, rules):
    if isinstance(rules, list):
        rules = [
            {**r, "kit_type": kit[r["kit_type"]].pk if r["kit_type"] in kit else 99999}
            for r in rules
        ]
    response = coordinator_client.post(
        WORKSHOPS, workshop_payload(kit, kit_rules=rules), format="json"
    )
    assert response.status_code == 400
    assert "kit_rules" in response.json()
    assert not Workshop.objects.exists()
    assert not KitRule.objects.exists()


@pytest.mark.django_db
def test_catalogue_is_read_only_for_school_and_crew(school_client, crew_client, kit):
    assert school_client.get(WORKSHOPS).status_code == 200
    assert school_client.post(WORKSHOPS, workshop_payload(kit), format="json").status_code == 403
    assert crew_client.post(WORKSHOPS, workshop_payload(kit), format="json").status_code == 403


@pytest.mark.django_db
def test_workshop_list_query_count(coordinator_client, kit, django_assert_max_num_queries):
    for n in range(8):
        coordinator_client.post(
            WORKSHOPS, workshop_payload(kit, name=f"Workshop {n}"), format="json"
        )
    with django_assert_max_num_queries(6):
        assert coordinator_client.get(WORKSHOPS).json()["count"] == 8


@pytest.mark.django_db
def test_blackouts(coordinator_client, school_client):
    wagon = WagonFactory()
    response = coordinator_client.post(
        "/api/v1/blackouts/",
        {"wagon": wagon.pk, "date_from": "2027-03-10", "date_to": "2027-03-09", "reason": "APK"},
        format="json",
    )
    assert response.status_code == 400
    assert "date_to" in response.json()
    response = coordinator_client.post(
        "/api/v1/blackouts/",
        {"wagon": None, "date_from": "2027-03-09", "date_to": "2027-03-10", "reason": "Studiedag"},
        format="json",
    )
    assert response.status_code == 201
    assert school_client.get("/api/v1/blackouts/").json()["count"] == 1
    # A school may enter its own closed days (tests/bookings/test_blackouts_api.py): {} is a 400.
    assert school_client.post("/api/v1/blackouts/", {}, format="json").status_code == 400


@pytest.mark.django_db
def test_school_list_query_count(crew_client, django_assert_max_num_queries):
    from tests.factories import SchoolFactory

    SchoolFactory.create_batch(10)
    with django_assert_max_num_queries(3):
        assert crew_client.get(SCHOOLS).json()["count"] >= 10
