"""API tokens (django-rest-knox): `Authorization: Token <token>` as before, but tokens expire when
unused, can be revoked one at a time or all at once, and die with a password change."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-123"
START = dt.datetime(2027, 8, 30, 7, 30, tzinfo=dt.UTC)


@pytest.fixture
def crew(db):
    return make_user("crew-tablet", "crew")


def login(username="crew-tablet", password=PASSWORD) -> str:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/me/").status_code


def post(token: str, url: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.post(url).status_code


def test_the_token_response_names_its_expiry(crew):
    with time_machine.travel(START, tick=False):
        response = APIClient().post(
            "/api/v1/auth/token/", {"username": "crew-tablet", "password": PASSWORD}, format="json"
        )
    body = response.json()
    assert set(body) == {"token", "expiry"}
    assert dt.datetime.fromisoformat(body["expiry"]) == START + dt.timedelta(days=30)


def test_an_unused_token_expires_after_30_days(crew):
    with time_machine.travel(START, tick=False) as clock:
        token = login()
        clock.shift(dt.timedelta(days=29, hours=23))
        assert me(token) == 200
        clock.shift(dt.timedelta(days=30, hours=1))
        assert me(token) == 401
    assert not AuthToken.objects.filter(user=crew).exists()  # expired tokens are deleted


def test_a_token_request_reads_the_token_and_the_users_access_only(crew, django_assert_num_queries):
    with time_machine.travel(START, tick=False):
        token = login()
        # The token with its user, then the user's groups and programmes; no session, and not
        # the user's other tokens.
        with django_assert_num_queries(2):
            assert me(token) == 200


def test_a_login_deletes_the_users_expired_tokens(crew):
    other = make_user("other-crew", "crew")
    with time_machine.travel(START, tick=False) as clock:
        login(), login("other-crew")
        clock.shift(dt.timedelta(days=31))
        login()  # deletes the first, expired, token
    assert AuthToken.objects.filter(user=crew).count() == 1
    assert AuthToken.objects.filter(user=other).count() == 1  # not this user's: left alone


def test_a_token_in_use_keeps_working_all_school_year_but_not_longer(crew):
    with time_machine.travel(START, tick=False) as clock:
        token = login()
        # Used every three weeks, including across the autumn and Christmas holidays.
        for _ in range(17):
            clock.shift(dt.timedelta(days=21))
            assert me(token) == 200
        # 357 days after the login; the hard limit is a year.
        clock.shift(dt.timedelta(days=9))
        assert me(token) == 401


def test_logout_revokes_only_this_token(crew):
    first, second = login(), login()
    assert post(first, "/api/v1/auth/logout/") == 204
    assert me(first) == 401
    assert me(second) == 200


def test_logout_all_revokes_every_token_of_the_user(crew):
    other = make_user("other-crew", "crew")
    tokens = [login(), login()]
    others = login("other-crew")
    assert post(tokens[0], "/api/v1/auth/logout-all/") == 204
    assert [me(t) for t in tokens] == [401, 401]
    assert me(others) == 200
    assert AuthToken.objects.filter(user=other).count() == 1


def test_logout_without_a_token_is_401():
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401
    assert APIClient().post("/api/v1/auth/logout-all/").status_code == 401


def test_set_password_and_save_revokes_every_token(crew):
    tokens = [login(), login()]
    crew.set_password("een-nieuw-wachtwoord-2027")
    crew.save()
    assert [me(t) for t in tokens] == [401, 401]
    assert login(password="een-nieuw-wachtwoord-2027")


def test_setting_the_same_password_again_also_revokes(crew):
    token = login()
    crew.set_password(PASSWORD)
    crew.save(update_fields=["password"])
    assert me(token) == 401


def test_a_password_change_in_the_admin_revokes_every_token(crew):
    token = login()
    admin = make_user("coord-admin", "coordinator")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    response = client.post(
        f"/admin/auth/user/{crew.pk}/password/",
        {
            "password1": "admin-gekozen-wachtwoord-9",
            "password2": "admin-gekozen-wachtwoord-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert me(token) == 401


def test_disabling_the_password_revokes_every_token(crew):
    token = login()
    crew.set_unusable_password()
    crew.save()
    assert me(token) == 401


def test_other_changes_to_the_user_keep_the_tokens(crew):
    token = login()
    crew.first_name = "Sam"
    crew.save()
    User.objects.get(pk=crew.pk).save()
    assert me(token) == 200


class OneIterationPBKDF2(PBKDF2PasswordHasher):
    iterations = 1


class TwoIterationPBKDF2(PBKDF2PasswordHasher):
    iterations = 2


def test_a_password_hash_upgrade_is_not_a_password_change(crew, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.OneIterationPBKDF2"]
    crew.set_password(PASSWORD)
    crew.save()
    token = login()
    settings.PASSWORD_HASHERS = [f"{__name__}.TwoIterationPBKDF2"]
    old_hash = User.objects.get(pk=crew.pk).password
    login()  # Django re-hashes the correct password with the new iteration count
    assert User.objects.get(pk=crew.pk).password != old_hash
    assert me(token) == 200
