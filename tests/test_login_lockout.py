"""Login throttling (django-axes): five wrong passwords for one user from one IP address lock that
pair out — the login page, the admin login and the token endpoint alike — for 15 minutes."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-123"  # make_user's password
START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
IP = "203.0.113.7"
OTHER_IP = "198.51.100.9"


@pytest.fixture
def user(db):
    return make_user("juf-anna", "school")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def page_login(client: Client, username: str, password: str, ip: str = IP, url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def token_login(username: str, password: str, ip: str = IP):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=ip,
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_sixth_attempt_is_refused_even_with_the_right_password_until_the_cool_off_ends(
    user, clock
):
    client = Client()
    for _ in range(4):
        response = page_login(client, "juf-anna", "wrong")
        assert response.status_code == 200
        assert "Gebruikersnaam of wachtwoord klopt niet." in response.content.decode()
    fifth = page_login(client, "juf-anna", "wrong")
    assert fifth.status_code == 429

    sixth = page_login(client, "juf-anna", PASSWORD)
    assert sixth.status_code == 429
    html = sixth.content.decode()
    assert "Inloggen tijdelijk geblokkeerd" in html
    assert "Probeer het over 15 minuten opnieuw." in html
    assert sixth["Retry-After"] == str(15 * 60)
    assert not logged_in(client)

    clock.shift(dt.timedelta(minutes=14))
    again = page_login(client, "juf-anna", PASSWORD)
    assert again.status_code == 429
    assert "Probeer het over 1 minuut opnieuw." in again.content.decode()
    assert not logged_in(client)

    clock.shift(dt.timedelta(minutes=1, seconds=1))
    response = page_login(client, "juf-anna", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_attempts_during_the_lock_out_do_not_extend_it(user, clock):
    for _ in range(5):
        page_login(Client(), "juf-anna", "wrong")
    for _ in range(10):
        clock.shift(dt.timedelta(minutes=1))
        assert page_login(Client(), "juf-anna", "wrong").status_code == 429
    clock.shift(dt.timedelta(minutes=5, seconds=1))
    assert page_login(Client(), "juf-anna", PASSWORD).status_code == 302


def test_another_ip_address_is_not_locked_out(user, clock):
    for _ in range(5):
        page_login(Client(), "juf-anna", "wrong", ip=IP)
    assert page_login(Client(), "juf-anna", PASSWORD, ip=IP).status_code == 429
    client = Client()
    assert page_login(client, "juf-anna", PASSWORD, ip=OTHER_IP).status_code == 302
    assert logged_in(client)


def test_another_user_from_the_same_ip_address_is_not_locked_out(user, clock):
    make_user("meester-bas", "school")
    for _ in range(5):
        page_login(Client(), "juf-anna", "wrong")
    client = Client()
    assert page_login(client, "meester-bas", PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_good_login_starts_the_count_again(user, clock):
    for _ in range(4):
        page_login(Client(), "juf-anna", "wrong")
    assert page_login(Client(), "juf-anna", PASSWORD).status_code == 302
    for _ in range(4):
        assert page_login(Client(), "juf-anna", "wrong").status_code == 200
    assert page_login(Client(), "juf-anna", PASSWORD).status_code == 302


def test_the_token_endpoint_locks_out_with_the_api_error_shape(user, clock):
    for _ in range(4):
        assert token_login("juf-anna", "wrong").status_code == 400
    assert token_login("juf-anna", "wrong").status_code == 429

    response = token_login("juf-anna", PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out"
    assert body["retry_after"] == 15 * 60
    assert "15 minuten" in body["detail"]
    assert "token" not in body
    assert response["Retry-After"] == str(15 * 60)
    assert token_login("juf-anna", PASSWORD, ip=OTHER_IP).status_code == 200

    clock.shift(dt.timedelta(minutes=15, seconds=1))
    assert token_login("juf-anna", PASSWORD).status_code == 200


def test_the_login_page_and_the_token_endpoint_share_one_count(user, clock):
    for _ in range(3):
        page_login(Client(), "juf-anna", "wrong")
    for _ in range(2):
        token_login("juf-anna", "wrong")
    assert token_login("juf-anna", PASSWORD).status_code == 429
    assert page_login(Client(), "juf-anna", PASSWORD).status_code == 429


def test_the_admin_login_locks_out_too(clock):
    admin_user = make_user("coord-admin", "coordinator")
    admin_user.is_staff = True
    admin_user.save()
    url = "/admin/login/?next=/admin/"
    for _ in range(5):
        page_login(Client(), "coord-admin", "wrong", url=url)
    client = Client()
    response = page_login(client, "coord-admin", PASSWORD, url=url)
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()
    assert not logged_in(client)


def test_behind_a_proxy_the_forwarded_address_counts(user, clock, settings):
    settings.TW_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    def via_proxy(password, client_ip):
        return Client().post(
            "/accounts/login/",
            {"username": "juf-anna", "password": password},
            REMOTE_ADDR=proxy,
            # The client may send its own header; the proxy appends the address it saw.
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, {client_ip}",
        )

    for _ in range(5):
        via_proxy("wrong", IP)
    assert via_proxy(PASSWORD, IP).status_code == 429
    assert via_proxy(PASSWORD, OTHER_IP).status_code == 302


def test_the_lock_out_page_is_english_for_who_chose_english(user, clock, settings):
    for _ in range(5):
        page_login(Client(), "juf-anna", "wrong")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page_login(client, "juf-anna", PASSWORD).content.decode()
    assert "Login temporarily locked" in html
    assert "Try again in 15 minutes." in html
