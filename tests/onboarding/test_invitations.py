"""A coordinator invites a school contact: a one-time link, valid 7 days, that sets a password
and makes a school user of that school; a new invitation revokes the old link."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from bookings.models import SchoolMembership
from onboarding.models import Invitation
from onboarding.services import invitation_create
from outbox.models import OutgoingEmail
from tests.factories import BookingFactory

User = get_user_model()
NEW_PASSWORD = "Techniek-2027-wagen!"
INVITE = {"email": "M.Jansen@Kralingen.nl", "name": "Marieke Jansen"}


def _invite_url(school) -> str:
    return f"/api/v1/schools/{school.pk}/invite/"


def _token_from_last_email() -> str:
    email = OutgoingEmail.objects.filter(kind="invitation").latest("pk")
    return re.search(r"/school/invite/([^/\s]+)/", email.body).group(1)


def _accept(token: str, password: str = NEW_PASSWORD, again: str | None = None):
    return Client().post(
        f"/school/invite/{token}/",
        {"password1": password, "password2": again if again is not None else password},
    )


# --- the API ----------------------------------------------------------------------------------


def test_a_coordinator_invites_a_contact_of_its_own_school(coordinator_client, school):
    response = coordinator_client.post(_invite_url(school), INVITE, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["email"] == "m.jansen@kralingen.nl"
    assert response.json()["school"] == school.pk
    email = OutgoingEmail.objects.get(kind="invitation")
    assert email.to == ["m.jansen@kralingen.nl"]
    assert "Beste Marieke Jansen," in email.body
    assert "Kies via deze link een wachtwoord" in email.body
    assert school.name in email.body


def test_only_a_hash_of_the_token_is_stored(coordinator_client, school):
    coordinator_client.post(_invite_url(school), INVITE, format="json")
    token = _token_from_last_email()

    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64


@pytest.mark.parametrize("role", ["crew", "school", "other_school"])
def test_other_roles_may_not_invite(client_for, school, role):
    response = client_for[role].post(_invite_url(school), INVITE, format="json")

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_stranger_must_log_in(anon_client, school):
    assert anon_client.post(_invite_url(school), INVITE, format="json").status_code == 401


def test_the_funder_may_not_invite(funder_client, school):
    assert funder_client.post(_invite_url(school), INVITE, format="json").status_code == 403


def test_another_programmes_school_is_not_found(coordinator_b_client, school):
    response = coordinator_b_client.post(_invite_url(school), INVITE, format="json")

    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"email": "geen-adres"}, {"email": "a@b.nl", "name": "x" * 101}, {"email": ["a@b.nl"]}],
)
def test_bad_input_is_a_400(coordinator_client, school, body):
    response = coordinator_client.post(_invite_url(school), body, format="json")

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_an_address_with_an_account_is_refused(coordinator_client, school, school_user):
    school_user.email = "m.jansen@kralingen.nl"
    school_user.save()

    response = coordinator_client.post(_invite_url(school), INVITE, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "account_exists"
    assert not OutgoingEmail.objects.exists()


# --- the link ---------------------------------------------------------------------------------


def test_the_link_works_once(coordinator_client, school):
    coordinator_client.post(_invite_url(school), INVITE, format="json")
    token = _token_from_last_email()

    page = Client().get(f"/school/invite/{token}/")
    assert page.status_code == 200
    assert "Kies een wachtwoord" in page.content.decode()

    response = _accept(token)
    assert response.status_code == 302
    user = User.objects.get(username="m.jansen@kralingen.nl")
    assert user.check_password(NEW_PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["school"]
    assert SchoolMembership.objects.get(user=user).school == school

    again = Client().get(f"/school/invite/{token}/")
    assert again.status_code == 404
    assert "verlopen" in again.content.decode()
    assert _accept(token, "Nog-een-2027-wachtwoord!").status_code == 404
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert User.objects.filter(username="m.jansen@kralingen.nl").count() == 1


def test_the_new_user_can_log_in_with_the_chosen_password(coordinator_client, school):
    coordinator_client.post(_invite_url(school), INVITE, format="json")
    _accept(_token_from_last_email())

    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "m.jansen@kralingen.nl", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/school/").status_code == 200


def test_the_link_expires_after_7_days(coordinator_client, school):
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        coordinator_client.post(_invite_url(school), INVITE, format="json")
        token = _token_from_last_email()
    with time_machine.travel(dt.datetime(2027, 3, 8, 8, 59, tzinfo=dt.UTC), tick=False):
        assert Client().get(f"/school/invite/{token}/").status_code == 200
    with time_machine.travel(dt.datetime(2027, 3, 8, 9, 0, tzinfo=dt.UTC), tick=False):
        assert Client().get(f"/school/invite/{token}/").status_code == 404
        assert _accept(token).status_code == 404
    assert not User.objects.filter(username="m.jansen@kralingen.nl").exists()


def test_a_second_invitation_revokes_the_first(coordinator_client, school):
    coordinator_client.post(_invite_url(school), INVITE, format="json")
    first = _token_from_last_email()
    coordinator_client.post(_invite_url(school), INVITE, format="json")
    second = _token_from_last_email()

    assert first != second
    assert Client().get(f"/school/invite/{first}/").status_code == 404
    assert _accept(first).status_code == 404
    assert _accept(second).status_code == 302


def test_inviting_another_address_leaves_the_first_link_working(coordinator_client, school):
    coordinator_client.post(_invite_url(school), INVITE, format="json")
    first = _token_from_last_email()
    coordinator_client.post(_invite_url(school), {"email": "p.bakker@kralingen.nl"}, format="json")

    assert Client().get(f"/school/invite/{first}/").status_code == 200


@pytest.mark.parametrize("change", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), str.upper])
def test_a_tampered_token_is_not_found(coordinator_client, school, change):
    coordinator_client.post(_invite_url(school), INVITE, format="json")
    token = change(_token_from_last_email())

    assert Client().get(f"/school/invite/{token}/").status_code == 404
    assert _accept(token).status_code == 404
    assert not User.objects.filter(username="m.jansen@kralingen.nl").exists()


def test_an_overlong_token_is_not_found(db):
    assert Client().get(f"/school/invite/{'a' * 500}/").status_code == 404


@pytest.mark.parametrize(
    "password,again", [(NEW_PASSWORD, "iets-anders-2027!"), ("123", "123"), ("", "")]
)
def test_a_refused_password_writes_nothing(coordinator_client, school, password, again):
    coordinator_client.post(_invite_url(school), INVITE, format="json")
    token = _token_from_last_email()

    response = _accept(token, password, again)

    assert response.status_code == 200
    assert not User.objects.filter(username="m.jansen@kralingen.nl").exists()
    assert Invitation.objects.get().used_at is None


def test_the_invitee_sees_only_its_own_school(coordinator_client, school, other_school):
    own = BookingFactory(school=school)
    theirs = BookingFactory(school=other_school)
    coordinator_client.post(_invite_url(school), INVITE, format="json")
    _accept(_token_from_last_email())
    user = User.objects.get(username="m.jansen@kralingen.nl")
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user=user)

    assert [s["id"] for s in client.get("/api/v1/schools/").json()["results"]] == [school.pk]
    assert client.get(f"/api/v1/schools/{other_school.pk}/").status_code == 404
    assert client.get(f"/api/v1/bookings/{own.pk}/").status_code == 200
    assert client.get(f"/api/v1/bookings/{theirs.pk}/").status_code == 404
    assert client.post(_invite_url(school), INVITE, format="json").status_code == 403


def test_the_service_records_who_invited(coordinator, school):
    invitation, token = invitation_create(
        school=school, email="x@school.nl", name="", acting_user=coordinator
    )

    assert invitation.created_by == coordinator
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    assert invitation.is_open(timezone.now())
    assert "Beste collega," in OutgoingEmail.objects.get().body


def test_two_open_links_for_one_address_and_school_cannot_exist(coordinator, school, monkeypatch):
    from django.db import IntegrityError, transaction

    from onboarding import services
    from onboarding.exceptions import OnboardingError

    first, _token = invitation_create(school=school, email="x@school.nl", acting_user=coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            school=school,
            email="x@school.nl",
            token_hash="0" * 64,
            created_at=first.created_at,
            expires_at=first.expires_at,
        )
    # A racing invitation (it did not see the first one to revoke it) is a 409, not a 500.
    monkeypatch.setattr(
        services.Invitation.objects, "select_for_update", lambda: Invitation.objects.none()
    )
    with pytest.raises(OnboardingError) as refused:
        invitation_create(school=school, email="x@school.nl", acting_user=coordinator)
    assert refused.value.code == "invitation_conflict"
    assert Invitation.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1
