"""`/api/v1/partners/`: scoped by programme like every other object, KvK validated, and each
partner's visits, pupils and hours computed in SQL over the visits that took place."""

from decimal import Decimal

import pytest

from partners import services
from partners.models import Partner
from tests.partners.conftest import visit

pytestmark = pytest.mark.django_db
URL = "/api/v1/partners/"


def test_the_coordinator_lists_only_its_programmes_partners(
    coordinator_client, partner, other_partner
):
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["Havenbouw BV"]
    assert set(rows[0]) == {
        "id",
        "programme",
        "name",
        "kvk_number",
        "sector",
        "contact_name",
        "contact_email",
        "contact_phone",
        "active",
        "visits",
        "pupils",
        "hours",
    }


def test_another_programmes_partner_is_not_found(coordinator_client, other_partner):
    for method in ("get", "patch", "delete"):
        response = getattr(coordinator_client, method)(
            f"{URL}{other_partner.pk}/", {}, format="json"
        )
        assert response.status_code == 404, method
    assert Partner.objects.filter(pk=other_partner.pk).exists()


def test_crew_read_but_do_not_write(crew_client, partner):
    assert crew_client.get(URL).status_code == 200
    assert crew_client.get(f"{URL}{partner.pk}/").status_code == 200
    assert crew_client.post(URL, {"name": "X"}, format="json").status_code == 403
    assert crew_client.patch(f"{URL}{partner.pk}/", {"name": "Y"}, format="json").status_code == 403
    assert crew_client.delete(f"{URL}{partner.pk}/").status_code == 403


def test_schools_the_funder_and_strangers_have_no_access(
    school_client, funder_client, anon_client, partner
):
    for client, expected in ((school_client, 403), (funder_client, 403), (anon_client, 401)):
        assert client.get(URL).status_code == expected
        assert client.get(f"{URL}{partner.pk}/").status_code == expected
        assert client.post(URL, {"name": "X"}, format="json").status_code == expected


def test_a_new_partner_goes_to_the_coordinators_only_programme(coordinator_client, coordinator):
    response = coordinator_client.post(
        URL,
        {"name": "Noordoever", "kvk_number": "1234 5678", "sector": "Installatie"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["programme"] == coordinator.programmes.get().pk
    assert body["kvk_number"] == "12345678"  # spaces people copy from a letterhead go
    assert (body["visits"], body["pupils"], Decimal(body["hours"])) == (0, 0, 0)
    partner = Partner.objects.get(pk=body["id"])
    assert partner.history.get().history_user == coordinator


def test_another_programmes_id_in_the_body_is_a_400(coordinator_client, other_programme):
    response = coordinator_client.post(
        URL, {"name": "X", "programme": other_programme.pk}, format="json"
    )
    assert response.status_code == 400
    assert "programme" in response.json()
    assert not Partner.objects.filter(name="X").exists()


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "00000000", "12-345678"])
def test_a_bad_kvk_number_is_a_400_on_the_field(coordinator_client, kvk):
    response = coordinator_client.post(URL, {"name": "X", "kvk_number": kvk}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["kvk_number"]
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "X" * 151},
        {"name": "X", "contact_email": "geen-adres"},
        {"name": "X", "active": "misschien"},
        {"name": ["X"]},
        {"name": "X", "kvk_number": ["12345678"]},
    ],
)
def test_bad_input_is_a_400(coordinator_client, body):
    response = coordinator_client.post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert not Partner.objects.exists()


def test_a_second_partner_with_the_same_name_or_kvk_is_a_400(coordinator_client, partner):
    same_name = coordinator_client.post(URL, {"name": "havenbouw bv"}, format="json")
    assert same_name.status_code == 400 and "name" in same_name.json()
    same_kvk = coordinator_client.post(
        URL, {"name": "Ander", "kvk_number": "12345678"}, format="json"
    )
    assert same_kvk.status_code == 400 and "kvk_number" in same_kvk.json()


def test_another_programme_may_register_the_same_company(other_coordinator_client, partner):
    response = other_coordinator_client.post(
        URL, {"name": "Havenbouw BV", "kvk_number": "12345678"}, format="json"
    )
    assert response.status_code == 201


def test_update_changes_the_fields_and_never_the_programme(
    coordinator_client, partner, other_programme
):
    response = coordinator_client.patch(
        f"{URL}{partner.pk}/", {"sector": "Infra", "active": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["sector"] == "Infra" and response.json()["active"] is False
    moved = coordinator_client.patch(
        f"{URL}{partner.pk}/", {"programme": other_programme.pk}, format="json"
    )
    assert moved.status_code == 400
    partner.refresh_from_db()
    assert partner.programme_id != other_programme.pk


def test_a_partner_without_visits_is_deleted_one_with_visits_is_kept(
    coordinator_client, coordinator, partner, booking
):
    spare = services.partner_create(
        programme=partner.programme, name="Spare", acting_user=coordinator
    )
    assert coordinator_client.delete(f"{URL}{spare.pk}/").status_code == 204
    services.participation_add(
        booking=booking, partner=partner, kind="sponsor", acting_user=coordinator
    )
    response = coordinator_client.delete(f"{URL}{partner.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_visits_pupils_and_hours_are_summed_over_visits_that_took_place(
    coordinator_client, coordinator, partner, school
):
    done = visit(school, pupils=(24, 20))
    returned = visit(school, status="returned", pupils=(30,))
    planned = visit(school, status="confirmed", pupils=(99,))
    add = services.participation_add
    add(
        booking=done, partner=partner, kind="guest_instructor", hours="2.5", acting_user=coordinator
    )
    # Two roles in one visit: the visit and its pupils count once, the hours add up.
    add(booking=done, partner=partner, kind="materials", hours=1, acting_user=coordinator)
    add(booking=returned, partner=partner, kind="sponsor", hours="0.25", acting_user=coordinator)
    add(booking=planned, partner=partner, kind="guest_instructor", hours=8, acting_user=coordinator)
    body = coordinator_client.get(f"{URL}{partner.pk}/").json()
    assert body["visits"] == 2
    assert body["pupils"] == 24 + 20 + 30
    assert Decimal(body["hours"]) == Decimal("3.75")
    listed = coordinator_client.get(URL).json()["results"][0]
    assert (listed["visits"], listed["pupils"], listed["hours"]) == (2, 74, body["hours"])


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_query_count_does_not_grow(
    coordinator_client, coordinator, school, django_assert_max_num_queries, count
):
    programme = coordinator.programmes.get()
    booking = visit(school)
    for n in range(count):
        p = services.partner_create(programme=programme, name=f"P{n}", acting_user=coordinator)
        services.participation_add(
            booking=booking, partner=p, kind="sponsor", hours=1, acting_user=coordinator
        )
    with django_assert_max_num_queries(5):
        response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert len(response.json()["results"]) == count
