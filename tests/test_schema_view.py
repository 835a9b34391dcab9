"""`/api/v1/schema/` is built once per process (backend/core/schema_view.py): what it serves is
what a fresh generation gives, for every role and both languages, and a changed setting
builds it again."""

import json

import pytest
from django.test import override_settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from backend.core.schema_view import _schemas

pytestmark = pytest.mark.django_db

JSON = "application/vnd.oai.openapi+json"


@pytest.fixture(autouse=True)
def _no_schema_left_behind():
    """Each test starts and ends with no schema kept in the process, so a stand-in generation
    never outlives its test (the next request in this process builds the real one)."""
    _schemas.clear()
    yield
    _schemas.clear()


def fresh(language: str) -> dict:
    with translation.override(language):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        return json.loads(OpenApiJsonRenderer().render(schema))


def served(client, language: str) -> dict:
    response = client.get("/api/v1/schema/", {"lang": language}, headers={"Accept": JSON})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_role_is_served_the_freshly_generated_schema(client_for, language):
    expected = fresh(language)
    for role, client in client_for.items():
        assert served(client, language) == expected, role


def test_the_languages_are_kept_apart(anon_client):
    dutch, english = served(anon_client, "nl"), served(anon_client, "en")
    assert dutch != english
    assert served(anon_client, "nl") == dutch


def test_the_schema_is_generated_once_until_a_setting_changes(anon_client, monkeypatch):
    calls = []

    def counting(self, request=None, public=False):  # a small stand-in for the real generation
        calls.append(request)
        return {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}}

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    with override_settings(USE_THOUSAND_SEPARATOR=False):  # starts from an empty cache
        first = served(anon_client, "nl")
        assert served(anon_client, "nl") == first
        assert calls == [None]  # built without the caller's request: the same for every role
        served(anon_client, "en")
        assert len(calls) == 2
        with override_settings(ALLOWED_HOSTS=["testserver", "example.org"]):
            assert served(anon_client, "nl") == first
            assert len(calls) == 3
    assert served(anon_client, "nl") == first
    assert len(calls) == 4
