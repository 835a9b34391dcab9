"""Runs the permission matrix (tests/matrix/) and checks it covers every API URL and page, each
with a programme case (issue 14: programme B's coordinator and crew against programme A)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from tests.matrix import (
    ALLOWED,
    HIDDEN,
    PROGRAMME_ROLES,
    ROLES,
    Bad,
    Check,
    all_rows,
    programme_rows,
)

ROWS = all_rows()
PROGRAMME_ROWS = programme_rows()
DENIED = {401, 403, 404, 405}
PAGE_PREFIXES = ("crew/", "school/", "planning/")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern):
            yield text


def normalise(route: str) -> str:
    if "(?" not in route:  # a row's query string; a resolver's regex groups start with "(?"
        route = route.split("?", 1)[0]
    route = route.replace("^", "").replace("$", "").replace("\\", "")
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "{}", route)
    route = re.sub(r"<[^>]+>", "{}", route)
    route = re.sub(r"\{[^}]*\}", "{}", route)
    return "/" + route.lstrip("/")


def api_routes() -> set[str]:
    routes = set()
    for route in _walk(get_resolver().url_patterns):
        if not route.startswith(("api/v1/", "^api/v1/")) and "api/v1/" not in route[:10]:
            continue
        if "format" in route:  # DRF's .json suffix variants
            continue
        routes.add(normalise(route))
    return routes


def page_routes() -> set[str]:
    """The crew pages, the school portal and the planning pages."""
    return {
        normalise(route)
        for route in _walk(get_resolver().url_patterns)
        if route.lstrip("^").startswith(PAGE_PREFIXES)
    }


def test_every_api_url_and_page_is_in_the_matrix():
    covered = {normalise(path) for _m, _meth, path, _e, _b in ROWS}
    missing = sorted((api_routes() | page_routes()) - covered)
    assert not missing, f"URLs missing from tests/matrix/: {missing}"


def test_every_url_has_a_programme_case():
    covered = {normalise(path) for _m, _meth, path, _e, _b in PROGRAMME_ROWS}
    missing = sorted((api_routes() | page_routes()) - covered)
    assert not missing, f"URLs without a PROGRAMME_ROWS case in tests/matrix/: {missing}"


def test_every_row_names_every_role():
    for module, method, path, expectations, _body in ROWS:
        assert set(expectations) == set(ROLES), (module, method, path)
    for module, method, path, expectations, _body in PROGRAMME_ROWS:
        assert set(expectations) == set(PROGRAMME_ROLES), (module, method, path)


@pytest.fixture
def matrix_ctx(matrix_context):
    """The matrix's objects, built once for this module (tests/conftest.py `matrix_world`)."""
    return matrix_context


def is_page(path: str) -> bool:
    return not path.startswith("/api/")


def send(client, method: str, url: str, body):
    """API rows: JSON bodies; page rows: form-encoded, as a browser posts them."""
    if body is None:
        return getattr(client, method)(url)
    if is_page(url):
        return getattr(client, method)(url, data=body)
    return getattr(client, method)(url, data=body, format="json")


def release(response) -> None:
    """Read a file download (the defect photo) to its end: the test client then closes it with
    the database connection kept (response.close() itself would close that connection)."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def _body(body, ctx):
    return body(ctx) if callable(body) else body


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "module,method,path,expectations,body",
    ROWS,
    ids=[f"{m}:{meth.upper()} {p}" for m, meth, p, _e, _b in ROWS],
)
def test_permission(matrix_ctx, client_for, role, module, method, path, expectations, body):
    client = client_for[role]
    url = path.format(**matrix_ctx)
    if is_page(url):
        user = getattr(client.handler, "_force_user", None)
        if user is not None:
            client.force_login(user)  # pages read the Django session, not DRF's forced user
    response = send(client, method, url, _body(body, matrix_ctx))
    release(response)
    expected = expectations[role]
    if expected == ALLOWED:
        assert response.status_code not in DENIED, (
            f"{role} {method.upper()} {url}: expected allowed, got {response.status_code}"
        )
        assert response.status_code < 500
    else:
        assert response.status_code == expected, (
            f"{role} {method.upper()} {url}: expected {expected}, got {response.status_code} "
            f"{getattr(response, 'data', '')!r}"
        )


def content_of(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    return raw.decode("utf-8", errors="ignore").lower()


def programme_failure(response, expected, ctx, user) -> str | None:
    """What is wrong with `response` for a programme-B user, or None."""
    status = response.status_code
    if expected == HIDDEN:
        if status != 200:
            return f"expected 200 without A's rows, got {status}"
        body = content_of(response)
        seen = [m for m in ctx["a_markers"] if m in body]
        return f"shows programme A's {seen}" if seen else None
    if isinstance(expected, Bad):
        if status != 400:
            return f"expected 400 on {expected.field!r}, got {status}"
        errors = getattr(response, "data", None)
        if not isinstance(errors, dict) or expected.field not in errors:
            return f"expected a 400 naming {expected.field!r}, got {errors!r}"
        return None
    if isinstance(expected, Check):
        if status != expected.status:
            return f"expected {expected.status}, got {status}"
        return None if expected.holds(ctx, user) else f"acted on A's id: {expected.what}"
    if isinstance(expected, (set, frozenset)):
        return None if status in expected else f"expected one of {sorted(expected)}, got {status}"
    if expected == ALLOWED:
        return None if status not in DENIED and status < 500 else f"expected allowed, got {status}"
    return None if status == expected else f"expected {expected}, got {status}"


@pytest.mark.parametrize(
    "module,method,path,expectations,body",
    PROGRAMME_ROWS,
    ids=[f"{m}:{meth.upper()} {p}" for m, meth, p, _e, _b in PROGRAMME_ROWS],
)
def test_programme_isolation(matrix_ctx, module, method, path, expectations, body):
    """Programme B's crew, then its coordinator, against programme A's objects (issue 14)."""
    url = path.format(**matrix_ctx)
    failures = []
    for role in ("crew_b", "coordinator_b"):
        user = matrix_ctx[f"user_{role}"]
        client = APIClient()
        client.force_authenticate(user=user)
        client.force_login(user)
        response = send(client, method, url, _body(body, matrix_ctx))
        problem = programme_failure(response, expectations[role], matrix_ctx, user)
        release(response)
        if problem:
            detail = getattr(response, "data", "")
            failures.append(f"{role} {method.upper()} {url}: {problem} {detail!r}"[:600])
    assert not failures, "\n".join(failures)
