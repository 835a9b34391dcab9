"""backend.core.sessions: the session read as one plain statement gives what Django's database
store gives — the data of a live key, nothing for an expired, unknown or missing one."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from backend.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _both(key):
    """(data, key afterwards) from this store and from Django's."""
    ours, theirs = SessionStore(key), django_db.SessionStore(key)
    return (ours.load(), ours.session_key), (theirs.load(), theirs.session_key)


def test_it_is_the_configured_engine():
    assert settings.SESSION_ENGINE == "backend.core.sessions"


def test_a_live_session_logs_the_user_in(coordinator, django_assert_num_queries):
    client = _logged_in(coordinator)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    ours, theirs = _both(key)
    assert ours == theirs
    assert ours[0]["_auth_user_id"] == str(coordinator.pk)
    assert ours[1] == key
    with django_assert_num_queries(1):
        SessionStore(key).load()
    assert client.get("/api/v1/me/").json()["username"] == coordinator.username


def test_an_expired_session_is_no_session(coordinator):
    client = _logged_in(coordinator)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    ours, theirs = _both(key)
    assert ours == theirs == ({}, None)
    assert client.get("/api/v1/me/").status_code in (401, 403)


@pytest.mark.parametrize("key", ["x" * 32, "short", "'; DROP TABLE django_session; --" + "a" * 8])
def test_an_unknown_key_is_no_session(key):
    ours, theirs = _both(key)
    assert ours == theirs == ({}, None)
    Session.objects.count()  # the table is still there: the key went in as a parameter


def test_a_session_saved_by_this_store_reads_back():
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": 42}
    store.delete()
    assert SessionStore(store.session_key).load() == {}
