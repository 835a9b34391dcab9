"""The landing page, `/api/v1/me/` per role and the token endpoint."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import default_programme, make_user

pytestmark = pytest.mark.django_db


def test_landing_page_is_dutch_and_links_to_docs_and_admin(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "Techniekwagen" in html
    assert "Boeken, materiaal en ritplanning" in html
    for link in ('href="/api/v1/docs/"', 'href="/admin/"', 'href="/accounts/login/"'):
        assert link in html
    assert 'href="/planning/"' not in html  # pages for roles appear once logged in


@pytest.mark.parametrize(
    "role,links,absent",
    [
        ("coordinator", ["/planning/", "/crew/", "/admin/"], ["/school/"]),
        ("crew", ["/crew/"], ["/planning/", "/school/"]),
        ("school", ["/school/"], ["/planning/", "/crew/"]),
    ],
)
def test_landing_page_links_per_role(client, school, role, links, absent):
    user = make_user(f"landing-{role}", role, school=school if role == "school" else None)
    client.force_login(user)
    html = client.get("/").content.decode()
    for link in links:
        assert f'href="{link}"' in html
    for link in absent:
        assert f'href="{link}"' not in html
    assert "Uitloggen" in html


def test_api_docs_and_schema_are_served(client):
    assert client.get("/api/v1/docs/").status_code == 200
    schema = client.get("/api/v1/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Techniekwagen API"


def test_admin_login_page(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "fixture,expected",
    [
        ("coordinator_client", {"username": "coord", "role": "coordinator", "school": None}),
        ("crew_client", {"username": "crewmember", "role": "crew", "school": None}),
    ],
)
def test_me_for_staff(request, fixture, expected):
    response = request.getfixturevalue(fixture).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {**expected, "programmes": [default_programme().pk]}


def test_me_for_school_user(school_client, school):
    response = school_client.get("/api/v1/me/")
    assert response.json() == {
        "username": "teacher",
        "role": "school",
        "school": school.id,
        "programmes": [school.programme_id],
    }


def test_me_for_user_without_role():
    user = make_user("nobody", "visitor")
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/v1/me/").json() == {
        "username": "nobody",
        "role": None,
        "school": None,
        "programmes": [],
    }


def test_me_anonymous_is_401(anon_client):
    assert anon_client.get("/api/v1/me/").status_code == 401


def test_token_flow():
    user = make_user("tokenuser", "crew")
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "tokenuser", "password": "pw-test-123"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    # Only a hash is stored.
    stored = AuthToken.objects.get(user=user)
    assert token not in (stored.digest, stored.token_key)
    # A second login (another tablet) gets its own token; both work.
    again = client.post(
        "/api/v1/auth/token/", {"username": "tokenuser", "password": "pw-test-123"}, format="json"
    )
    assert again.status_code == 200
    assert again.json()["token"] != token
    for key in (token, again.json()["token"]):
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/v1/me/").json()["role"] == "crew"


@pytest.mark.parametrize(
    "body",
    [
        {"username": "tokenuser", "password": "wrong"},
        {"username": "ghost", "password": "pw-test-123"},
        {"username": "tokenuser"},
        {},
    ],
)
def test_token_with_bad_credentials_is_400(body):
    make_user("tokenuser", "crew")
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_bad_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/me/").status_code == 401
