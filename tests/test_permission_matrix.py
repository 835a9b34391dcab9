"""Runs the permission matrix (tests/matrix/) and checks it covers every API URL."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix import ALLOWED, ROLES, all_rows, build_all

ROWS = all_rows()
DENIED = {401, 403, 404, 405}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern):
            yield text


def normalise(route: str) -> str:
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


def test_every_api_url_is_in_the_matrix():
    covered = {normalise(path) for _m, _meth, path, _e, _b in ROWS}
    missing = sorted(api_routes() - covered)
    assert not missing, f"URLs missing from tests/matrix/: {missing}"


def test_every_row_names_every_role():
    for module, method, path, expectations, _body in ROWS:
        assert set(expectations) == set(ROLES), (module, method, path)


@pytest.fixture
def matrix_ctx(db, school, other_school):
    ctx = {
        "school_obj": school,
        "school": school.id,
        "other_school_obj": other_school,
        "other_school": other_school.id,
    }
    return build_all(ctx)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "module,method,path,expectations,body",
    ROWS,
    ids=[f"{m}:{meth.upper()} {p}" for m, meth, p, _e, _b in ROWS],
)
def test_permission(matrix_ctx, client_for, role, module, method, path, expectations, body):
    client = client_for[role]
    url = path.format(**matrix_ctx)
    response = (
        getattr(client, method)(url, data=body, format="json")
        if body is not None
        else getattr(client, method)(url)
    )
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
