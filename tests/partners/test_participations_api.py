"""A visit's partner participations: `/api/v1/bookings/{id}/participations/` and
`/api/v1/participations/{id}/` — coordinator only, scoped, the partner of the visit's programme."""

from decimal import Decimal

import pytest

from partners import services
from partners.models import Participation
from tests.factories import make_user
from tests.partners.conftest import client_for, visit

pytestmark = pytest.mark.django_db


def _url(booking):
    return f"/api/v1/bookings/{booking.pk}/participations/"


def _add(booking, partner, coordinator, kind="guest_instructor", hours=2):
    return services.participation_add(
        booking=booking, partner=partner, kind=kind, hours=hours, acting_user=coordinator
    )


def test_the_coordinator_adds_lists_changes_and_removes(
    coordinator_client, coordinator, booking, partner
):
    response = coordinator_client.post(
        _url(booking),
        {"partner": partner.pk, "kind": "guest_instructor", "hours": "3.5", "note": "Lasdemo"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["booking"] == booking.pk and created["partner_name"] == "Havenbouw BV"
    assert Participation.objects.get().history.get().history_user == coordinator
    listed = coordinator_client.get(_url(booking)).json()
    assert [row["id"] for row in listed] == [created["id"]]
    detail = f"/api/v1/participations/{created['id']}/"
    changed = coordinator_client.patch(detail, {"hours": "4", "kind": "materials"}, format="json")
    assert changed.status_code == 200
    assert Decimal(changed.json()["hours"]) == 4 and changed.json()["kind"] == "materials"
    assert coordinator_client.delete(detail).status_code == 204
    assert not Participation.objects.exists()


def test_a_partner_of_another_programme_than_the_visit_is_a_400(
    coordinator, booking, other_programme, other_partner
):
    # A coordinator of both programmes sees both partners, but may not mix them.
    both = make_user(
        "coord_both", "coordinator", programmes=[booking.school.programme, other_programme]
    )
    response = client_for(both).post(
        _url(booking), {"partner": other_partner.pk, "kind": "sponsor"}, format="json"
    )
    assert response.status_code == 400
    assert "partner" in response.json()
    assert not Participation.objects.exists()


def test_another_programmes_partner_id_is_a_400_for_a_single_programme_coordinator(
    coordinator_client, booking, other_partner
):
    response = coordinator_client.post(
        _url(booking), {"partner": other_partner.pk, "kind": "sponsor"}, format="json"
    )
    assert response.status_code == 400 and "partner" in response.json()


def test_another_programmes_visit_is_not_found(
    coordinator_client, coordinator, other_booking, partner, other_partner
):
    assert coordinator_client.get(_url(other_booking)).status_code == 404
    response = coordinator_client.post(
        _url(other_booking), {"partner": partner.pk, "kind": "sponsor"}, format="json"
    )
    assert response.status_code == 404
    theirs = _add(other_booking, other_partner, None)
    detail = f"/api/v1/participations/{theirs.pk}/"
    assert coordinator_client.get(detail).status_code == 404
    assert coordinator_client.patch(detail, {"hours": 1}, format="json").status_code == 404
    assert coordinator_client.delete(detail).status_code == 404
    assert Participation.objects.filter(pk=theirs.pk).exists()


def test_other_roles_and_strangers_are_refused(
    crew_client, school_client, funder_client, anon_client, coordinator, booking, partner
):
    mine = _add(booking, partner, coordinator)
    detail = f"/api/v1/participations/{mine.pk}/"
    body = {"partner": partner.pk, "kind": "sponsor"}
    for client, expected in (
        (crew_client, 403),
        (school_client, 403),
        (funder_client, 403),
        (anon_client, 401),
    ):
        assert client.get(_url(booking)).status_code == expected
        assert client.post(_url(booking), body, format="json").status_code == expected
        assert client.patch(detail, {"hours": 9}, format="json").status_code == expected
        assert client.delete(detail).status_code == expected
    mine.refresh_from_db()
    assert mine.hours == 2


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"partner": "abc", "kind": "sponsor"},
        {"partner": 999999, "kind": "sponsor"},
        {"kind": "chef"},
        {"kind": "sponsor", "hours": -1},
        {"kind": "sponsor", "hours": 1001},
        {"kind": "sponsor", "hours": "veel"},
        {"kind": "sponsor", "hours": "1e400"},
        {"kind": "sponsor", "note": "x" * 301},
    ],
)
def test_bad_input_is_a_400(coordinator_client, booking, partner, body):
    body = {"partner": partner.pk, **body} if "partner" not in body and body else body
    response = coordinator_client.post(_url(booking), body, format="json")
    assert response.status_code == 400, response.json()
    assert not Participation.objects.exists()


def test_the_same_partner_in_the_same_role_twice_is_a_409(
    coordinator_client, coordinator, booking, partner
):
    _add(booking, partner, coordinator, kind="sponsor")
    response = coordinator_client.post(
        _url(booking), {"partner": partner.pk, "kind": "sponsor"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "duplicate"
    assert Participation.objects.count() == 1


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_query_count_does_not_grow(
    coordinator_client, coordinator, school, partner, django_assert_max_num_queries, count
):
    booking = visit(school)
    programme = partner.programme
    for n in range(count):
        p = services.partner_create(programme=programme, name=f"P{n}", acting_user=coordinator)
        _add(booking, p, coordinator)
    with django_assert_max_num_queries(4):
        response = coordinator_client.get(_url(booking))
    assert len(response.json()) == count
