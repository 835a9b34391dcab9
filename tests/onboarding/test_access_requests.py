"""A teacher asks for access by BRIN on a public page; a coordinator of the school's programme
approves (which sends the invitation) or declines. Nobody else sees the request."""

import re

import pytest
from django.test import Client

from onboarding.models import AccessRequest, Invitation
from onboarding.services import access_request_create
from outbox.models import OutgoingEmail
from tests.factories import SchoolFactory

PAGE = "/school/access/"
LIST = "/api/v1/access-requests/"
FORM = {
    "name": "Sanne de Boer",
    "email": "s.deboer@kralingen.nl",
    "brin": "01AB",
    "vestiging": "00",
    "message": "Ik geef techniek in groep 7 en 8.",
}


def _page(response) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _request(**changes) -> AccessRequest:
    data = {k: v for k, v in (FORM | changes).items() if k != "vestiging"}
    data["brin"] = changes.get("brin", "01AB00")
    return access_request_create(**data)


# --- the public page --------------------------------------------------------------------------


def test_a_teacher_requests_access_and_it_waits_for_approval(school):
    response = Client().post(PAGE, FORM)

    assert response.status_code == 200
    assert "Dank u" in response.content.decode()
    request = AccessRequest.objects.get()
    assert (request.brin, request.school, request.programme) == ("01AB00", school, school.programme)
    assert request.status == "pending"
    # Nothing is sent and no account exists until a coordinator approves.
    assert not Invitation.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_an_unknown_brin_gets_the_same_answer_and_no_programme(school):
    known = Client().post(PAGE, FORM)
    unknown = Client().post(PAGE, FORM | {"brin": "99ZZ", "email": "x@elders.nl"})

    assert unknown.status_code == known.status_code == 200
    assert _page(unknown) == _page(known)
    stored = AccessRequest.objects.get(brin="99ZZ00")
    assert stored.programme is None and stored.school is None


def test_asking_twice_keeps_one_pending_request(school):
    Client().post(PAGE, FORM)
    again = Client().post(PAGE, FORM)

    assert again.status_code == 200
    assert AccessRequest.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"brin": "1AB"},
        {"brin": "01A1"},
        {"brin": "01AB", "vestiging": "X1"},
        {"email": "geen-adres"},
        {"name": ""},
        {"message": "x" * 1001},
    ],
)
def test_bad_input_is_refused_on_the_form(school, changes):
    response = Client().post(PAGE, FORM | changes)

    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_the_form_is_limited_per_address(school):
    client = Client()
    for n in range(5):
        assert client.post(PAGE, FORM | {"email": f"t{n}@kralingen.nl"}).status_code == 200

    response = client.post(PAGE, FORM | {"email": "t9@kralingen.nl"})

    assert response.status_code == 429
    assert AccessRequest.objects.count() == 5


def test_the_page_shows_the_form_to_anyone(db):
    response = Client().get(PAGE)

    assert response.status_code == 200
    assert 'name="brin"' in response.content.decode()


# --- the coordinator's API --------------------------------------------------------------------


def test_the_coordinator_of_the_schools_programme_sees_it(coordinator_client, school):
    request = _request()

    rows = coordinator_client.get(LIST).json()["results"]

    assert [r["id"] for r in rows] == [request.pk]
    assert rows[0]["school_name"] == school.name
    assert rows[0]["status"] == "pending"


def test_another_programmes_coordinator_sees_nothing(coordinator_b_client, school):
    request = _request()

    assert coordinator_b_client.get(LIST).json()["results"] == []
    assert coordinator_b_client.get(f"{LIST}{request.pk}/").status_code == 404
    assert coordinator_b_client.post(f"{LIST}{request.pk}/approve/").status_code == 404
    assert coordinator_b_client.post(f"{LIST}{request.pk}/decline/").status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
    assert not Invitation.objects.exists()


def test_a_request_for_an_unknown_brin_is_seen_by_no_coordinator(coordinator_client, school):
    request = _request(brin="99ZZ00")

    assert coordinator_client.get(LIST).json()["results"] == []
    assert coordinator_client.post(f"{LIST}{request.pk}/approve/").status_code == 404


@pytest.mark.parametrize("role,expected", [("crew", 403), ("school", 403), ("anon", 401)])
def test_other_roles_and_strangers_may_not(client_for, school, role, expected):
    request = _request()
    client = client_for[role]

    assert client.get(LIST).status_code == expected
    assert client.get(f"{LIST}{request.pk}/").status_code == expected
    assert client.post(f"{LIST}{request.pk}/approve/").status_code == expected
    assert client.post(f"{LIST}{request.pk}/decline/").status_code == expected
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_funder_sees_no_requests(funder_client, school):
    _request()

    assert funder_client.get(LIST).status_code == 403


def test_approving_sends_the_invitation(coordinator_client, coordinator, school):
    request = _request()

    response = coordinator_client.post(f"{LIST}{request.pk}/approve/", {}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    invitation = Invitation.objects.get()
    assert (invitation.school, invitation.email) == (school, "s.deboer@kralingen.nl")
    assert invitation.created_by == coordinator
    assert OutgoingEmail.objects.get().to == ["s.deboer@kralingen.nl"]
    # Once decided, a second decision is a conflict.
    again = coordinator_client.post(f"{LIST}{request.pk}/decline/")
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"


def test_declining_sends_nothing(coordinator_client, school):
    request = _request()

    response = coordinator_client.post(f"{LIST}{request.pk}/decline/")

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert not Invitation.objects.exists()
    assert coordinator_client.get(f"{LIST}?status=pending").json()["results"] == []


def test_a_bare_brin_with_several_vestigingen_needs_a_school(coordinator_client, school):
    second = SchoolFactory(name="Melanchthon Schiebroek", brin="01AB01")
    request = _request(brin="01AB")
    assert request.school is None and request.programme == school.programme

    refused = coordinator_client.post(f"{LIST}{request.pk}/approve/", {}, format="json")
    assert refused.status_code == 400
    assert not Invitation.objects.exists()

    response = coordinator_client.post(
        f"{LIST}{request.pk}/approve/", {"school": second.pk}, format="json"
    )
    assert response.status_code == 200
    assert Invitation.objects.get().school == second


def test_approving_for_another_programmes_school_is_a_400(coordinator_client, school, school_b):
    request = _request()

    response = coordinator_client.post(
        f"{LIST}{request.pk}/approve/", {"school": school_b.pk}, format="json"
    )

    assert response.status_code == 400
    assert "school" in response.json()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("body", [{"school": "x"}, {"school": 10**9}, {"school": [1]}])
def test_bad_approve_input_is_a_400(coordinator_client, school, body):
    request = _request()

    assert (
        coordinator_client.post(f"{LIST}{request.pk}/approve/", body, format="json").status_code
        == 400
    )
    request.refresh_from_db()
    assert request.status == "pending"


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_query_count_does_not_grow(
    coordinator_client, school, count, django_assert_max_num_queries
):
    for n in range(count):
        _request(email=f"t{n}@kralingen.nl")

    with django_assert_max_num_queries(5):
        response = coordinator_client.get(f"{LIST}?page_size=100")

    assert response.status_code == 200
    assert response.json()["count"] == count


def test_a_superuser_declines_an_unknown_brin_in_the_admin(db, school):
    from tests.factories import make_user

    unknown = _request(brin="99ZZ00")
    known = _request()
    admin = make_user("beheer", "coordinator")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/onboarding/accessrequest/").content.decode()
    assert "99ZZ00" in listing

    client.post(
        "/admin/onboarding/accessrequest/",
        {"action": "decline", "_selected_action": [unknown.pk]},
    )

    unknown.refresh_from_db()
    known.refresh_from_db()
    assert (unknown.status, unknown.decided_by) == ("declined", admin)
    assert known.status == "pending"


def test_a_coordinator_in_the_admin_sees_only_its_programmes_requests(coordinator, school):
    _request(brin="99ZZ00")
    _request()
    coordinator.is_staff = True
    coordinator.save()
    from django.contrib.auth.models import Permission

    coordinator.user_permissions.add(Permission.objects.get(codename="view_accessrequest"))
    client = Client()
    client.force_login(coordinator)

    listing = client.get("/admin/onboarding/accessrequest/").content.decode()

    assert "01AB00" in listing and "99ZZ00" not in listing
