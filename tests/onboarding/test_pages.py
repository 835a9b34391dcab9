"""The coordinator's "Uitnodigen" form and access-request queue under /planning/."""

import pytest
from django.test import Client

from onboarding.models import AccessRequest, Invitation
from onboarding.services import access_request_create
from outbox.models import OutgoingEmail
from tests.factories import SchoolFactory, make_user


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _invite_page(school) -> str:
    return f"/planning/schools/{school.pk}/invite/"


def _pending(school, email="s.deboer@kralingen.nl") -> AccessRequest:
    return access_request_create(name="Sanne de Boer", email=email, brin=school.brin)


def test_the_coordinator_invites_from_the_page(coordinator, school):
    client = _login(coordinator)
    page = client.get(_invite_page(school))
    assert page.status_code == 200
    assert "Uitnodigen voor Melanchthon Kralingen" in page.content.decode()

    response = client.post(_invite_page(school), {"name": "M. Jansen", "email": "m@k.nl"})

    assert response.status_code == 302
    assert Invitation.objects.get().email == "m@k.nl"
    assert OutgoingEmail.objects.get().to == ["m@k.nl"]
    listing = client.get(_invite_page(school)).content.decode()
    assert "Uitnodiging verstuurd naar m@k.nl" in listing and "geldig tot" in listing


def test_bad_input_stays_on_the_form(coordinator, school):
    response = _login(coordinator).post(_invite_page(school), {"name": "", "email": "nee"})

    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_existing_account_is_named_on_the_form(coordinator, school, school_user):
    school_user.email = "m@k.nl"
    school_user.save()

    response = _login(coordinator).post(_invite_page(school), {"name": "M", "email": "m@k.nl"})

    assert response.status_code == 200
    assert "Er bestaat al een account" in response.content.decode()


def test_another_programmes_coordinator_gets_404(coordinator_b, school):
    client = _login(coordinator_b)

    assert client.get(_invite_page(school)).status_code == 404
    assert client.post(_invite_page(school), {"name": "M", "email": "m@k.nl"}).status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["crew", "school"])
def test_other_roles_get_403(school, role):
    user = make_user(f"u_{role}", role, school=school if role == "school" else None)

    assert _login(user).get(_invite_page(school)).status_code == 403
    assert _login(user).get("/planning/access-requests/").status_code == 403


def test_a_stranger_is_sent_to_the_login(school):
    response = Client().get(_invite_page(school))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_queue_lists_only_the_own_programmes_requests(coordinator, school, school_b):
    _pending(school)
    _pending(school_b, email="t@vlier.nl")

    html = _login(coordinator).get("/planning/access-requests/").content.decode()

    assert "s.deboer@kralingen.nl" in html
    assert "t@vlier.nl" not in html


def test_approving_on_the_page_sends_the_invitation(coordinator, school):
    request = _pending(school)

    response = _login(coordinator).post(f"/planning/access-requests/{request.pk}/approve/")

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved"
    assert Invitation.objects.get().school == school


def test_a_bare_brin_is_approved_for_the_school_picked(coordinator, school):
    second = SchoolFactory(name="Melanchthon Schiebroek", brin="01AB01")
    request = access_request_create(name="S", email="s@k.nl", brin="01AB")
    client = _login(coordinator)
    assert (
        "Melanchthon Schiebroek (01AB01)"
        in client.get("/planning/access-requests/").content.decode()
    )

    client.post(f"/planning/access-requests/{request.pk}/approve/", {"school": second.pk})

    assert Invitation.objects.get().school == second


def test_declining_on_the_page(coordinator, school):
    request = _pending(school)

    _login(coordinator).post(f"/planning/access-requests/{request.pk}/decline/")

    request.refresh_from_db()
    assert request.status == "declined"
    assert not Invitation.objects.exists()


def test_another_programmes_coordinator_cannot_decide(coordinator_b, school):
    request = _pending(school)
    client = _login(coordinator_b)

    assert client.post(f"/planning/access-requests/{request.pk}/approve/").status_code == 404
    assert client.post(f"/planning/access-requests/{request.pk}/decline/").status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_public_page_speaks_english_when_chosen(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get("/school/access/").content.decode()

    assert "Request access" in html and "Your school&#x27;s BRIN code" in html


def test_the_school_picker_leads_to_the_invitation_form(coordinator, school, school_b):
    client = _login(coordinator)
    html = client.get("/planning/access-requests/").content.decode()
    assert "Melanchthon Kralingen (01AB00)" in html
    assert school_b.name not in html

    response = client.get(f"/planning/schools/invite/?school={school.pk}")
    assert response["Location"] == _invite_page(school)
    assert client.get(f"/planning/schools/invite/?school={school_b.pk}").status_code == 404
    assert client.get("/planning/schools/invite/?school=x").status_code == 302


def test_the_invitation_is_dutch_when_the_coordinator_reads_english(coordinator, school):
    client = _login(coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    client.post(_invite_page(school), {"name": "M. Jansen", "email": "m@k.nl"})

    email = OutgoingEmail.objects.get()
    assert email.subject == "Uitnodiging voor het schoolportaal van de Techniekwagen"
    assert "Kies via deze link een wachtwoord" in email.body
