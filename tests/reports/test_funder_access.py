"""The funder (national STO office) reads reports and nothing else: every other API endpoint is a
403 for it, reads and writes alike, and what it may read holds nothing personal."""

import re

import pytest
from drf_spectacular.generators import EndpointEnumerator
from rest_framework.test import APIClient

from tests.factories import make_user

# What the funder may read: the reports, who it is, the programmes (names and project codes), and
# the API's own documentation (no data). Everything else answers 403.
FUNDER_READS = (
    re.compile(r"^/api/v1/reports/"),
    re.compile(r"^/api/v1/me/$"),
    re.compile(r"^/api/v1/programmes/"),
    re.compile(r"^/api/v1/(schema|docs|redoc)/$"),
)
# Its own session: it logs in and out like anyone.
OWN_SESSION = re.compile(r"^/api/v1/auth/")
WRITES = ("post", "put", "patch", "delete")


def _paths() -> list[str]:
    """Every API path of the router (and the other API views), with ids filled in."""
    paths = {path for path, _regex, _method, _view in EndpointEnumerator().get_api_endpoints()}
    return sorted(
        re.sub(r"\{date\}", "2027-03-09", re.sub(r"\{(pk|id|\w+_id)\}", "1", path))
        for path in paths
    )


PATHS = _paths()


@pytest.fixture
def funder_client(db):
    client = APIClient()
    client.force_authenticate(user=make_user("funder_walk", "funder"))
    return client


def test_the_walk_covers_the_api():
    # A guard against an enumerator that finds nothing (the test would pass vacuously).
    assert len(PATHS) > 40
    assert "/api/v1/reports/reach/" in PATHS
    assert "/api/v1/bookings/1/" in PATHS


@pytest.mark.parametrize("path", PATHS)
def test_the_funder_reads_only_reports(funder_client, path):
    if OWN_SESSION.match(path):
        return
    response = funder_client.get(path)
    if any(pattern.match(path) for pattern in FUNDER_READS):
        assert response.status_code in (200, 404, 405), (path, response.status_code)
    else:
        assert response.status_code == 403, (path, response.status_code)


@pytest.mark.parametrize("path", PATHS)
def test_the_funder_writes_nothing(funder_client, path):
    if OWN_SESSION.match(path):
        return
    for method in WRITES:
        response = getattr(funder_client, method)(path, {}, format="json")
        if any(pattern.match(path) for pattern in FUNDER_READS[1:]):
            # Read-only endpoints other than the report (me, programmes, the API docs) may
            # answer 405 rather than 403: there is nothing to write either way.
            assert response.status_code in (403, 405), (method, path, response.status_code)
        else:
            assert response.status_code == 403, (method, path, response.status_code)
