"""Fixtures that build on each other: users per role, API clients per role, a school each."""

import pytest
from rest_framework.test import APIClient

from tests.factories import SchoolFactory, make_user


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _dutch_first():
    """Every test starts in Dutch: a request in English activates English for the thread, and in
    random order the next test (one that renders without a request) would inherit it."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.deactivate()


@pytest.fixture
def school(db):
    return SchoolFactory(name="Melanchthon Kralingen", brin="01AB00")


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="Vak College Hillegersberg", brin="02CD00")


@pytest.fixture
def coordinator(db):
    return make_user("coord", "coordinator")


@pytest.fixture
def crew_user(db):
    return make_user("crewmember", "crew")


@pytest.fixture
def school_user(school):
    return make_user("teacher", "school", school=school)


@pytest.fixture
def other_school_user(other_school):
    return make_user("stranger", "school", school=other_school)


def _client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def coordinator_client(coordinator):
    return _client_for(coordinator)


@pytest.fixture
def crew_client(crew_user):
    return _client_for(crew_user)


@pytest.fixture
def school_client(school_user):
    return _client_for(school_user)


@pytest.fixture
def other_school_client(other_school_user):
    return _client_for(other_school_user)


@pytest.fixture
def client_for(coordinator_client, crew_client, school_client, other_school_client, anon_client):
    """role name → API client: coordinator, crew, school, other_school, anon."""
    return {
        "coordinator": coordinator_client,
        "crew": crew_client,
        "school": school_client,
        "other_school": other_school_client,
        "anon": anon_client,
    }


def pytest_collection_modifyitems(config, items):
    """Skip marked tests with a clear reason where their database or browser is absent."""
    import shutil

    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    on_postgres = "postgresql" in engine
    has_chromium = shutil.which("chromium") is not None or shutil.which("/usr/bin/chromium")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI does)"
                )
            )
        if "sqlite" in item.keywords and on_postgres:
            item.add_marker(pytest.mark.skip(reason="file-based SQLite only (CI's SQLite pass)"))
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
                )
            )
