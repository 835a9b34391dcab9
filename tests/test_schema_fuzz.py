"""The OpenAPI schema is valid and complete, and no operation answers 5xx to fuzzed input.

Schemathesis loads `/api/v1/schema/` from the in-process WSGI app and generates requests for
EVERY operation (later endpoints are covered automatically), sent with a coordinator token.
Path ids are mostly swapped for ids of real objects so the handlers do real work, not just 404.
"""

import functools
import random

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import factories
from tests.conftest import fuzz_shard, module_world
from tests.factories import make_user

MAX_EXAMPLES = 15

# Operations of other apps that fail today, with the reason; reported to their owners. They run
# and are reported as xfail (XPASS once fixed; then delete the entry).
KNOWN_FAILURES: dict[str, str] = {}
HTTP_METHODS = {"get", "put", "post", "patch", "delete"}

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


def _this_shard(full):
    """The operations this process fuzzes: under TW_FUZZ_SHARD=i/n (tests/conftest.py) every n-th
    from the i-th, chosen before collection, since building an operation's cases is most of a
    shard's set-up; all of them otherwise."""
    shard = fuzz_shard()
    if shard is None:
        return full
    index, count = shard
    labels = [result.ok().label for result in full.get_all_operations() if isinstance(result, Ok)]
    mine = set(labels[index::count])
    return full.include(func=lambda ctx: ctx.operation.label in mine)


fuzzed = _this_shard(schema)


@functools.lru_cache(maxsize=1)
def _openapi() -> dict:
    """A freshly generated schema (not the view's copy), once per process: read, never changed."""
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi():
    validate_schema(_openapi())


def test_schema_loaded_by_schemathesis_is_valid():
    schema.validate()


def _is_empty(media_schema: dict) -> bool:
    return not media_schema or media_schema in (
        {"type": "object"},
        {"type": "object", "properties": {}},
    )


def test_no_operation_has_an_empty_body_schema():
    empty = []
    for path, operations in _openapi()["paths"].items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            for content_type, media in operation.get("requestBody", {}).get("content", {}).items():
                if _is_empty(media.get("schema", {})):
                    empty.append(f"{method.upper()} {path} request {content_type}")
            responses = operation.get("responses", {})
            if not responses:
                empty.append(f"{method.upper()} {path} has no responses")
            for code, response in responses.items():
                if code == "204":
                    continue
                content = response.get("content")
                if not content:
                    empty.append(f"{method.upper()} {path} response {code} has no content")
                    continue
                for content_type, media in content.items():
                    if content_type.startswith("application/json") and _is_empty(
                        media.get("schema", {})
                    ):
                        empty.append(f"{method.upper()} {path} response {code} {content_type}")
    assert not empty, "operations with an empty body schema:\n" + "\n".join(empty)


def test_schema_covers_every_api_url():
    """Every routed /api/v1/ URL appears in the schema (so the fuzzing below reaches it)."""
    from tests.test_permission_matrix import api_routes, normalise

    documented = {normalise(path) for path in _openapi()["paths"]}
    # The schema and docs views themselves are excluded from the schema by design.
    undocumented = sorted(
        route
        for route in api_routes() - documented
        if route not in {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"}
    )
    assert not undocumented, f"API URLs missing from the OpenAPI schema: {undocumented}"


def _build_world() -> None:
    """A few objects of every kind, so generated ids can point at real rows."""
    depot = factories.DepotFactory()
    kit_type = factories.KitTypeFactory()
    case = factories.CaseFactory(depot=depot)
    consumable = factories.ConsumableFactory()
    for _ in range(2):
        factories.WagonFactory(depot=depot)
        factories.ItemFactory(kit_type=kit_type, depot=depot, case=case)
        factories.StandardEquipmentFactory(kit_type=kit_type)
    school = factories.SchoolFactory(depot=depot)
    workshop = factories.WorkshopFactory()
    factories.KitRuleFactory(workshop=workshop, kit_type=kit_type)
    factories.ConsumableRuleFactory(workshop=workshop, consumable=consumable)
    factories.BlackoutFactory()
    booking = factories.BookingFactory(school=school, wagon__depot=depot)
    factories.BookingSessionFactory(booking=booking, workshop=workshop)
    extra = getattr(factories, "fuzz_world", None)  # later apps may add their own objects
    if extra is not None:
        extra()


@functools.cache
def _model_for(path: str):
    """The model behind a routed detail URL (None when we cannot tell); once per operation, not
    per case (the URLs and views do not change during the run)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    view_class = getattr(match.func, "cls", None)
    queryset = getattr(view_class, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer_class = getattr(view_class, "serializer_class", None)
    meta = getattr(serializer_class, "Meta", None)
    return getattr(meta, "model", None)


def _point_at_real_rows(case) -> None:
    """Three in four cases get the id of an existing row; the rest keep the generated (404) id."""
    params = case.path_parameters or {}
    if "id" not in params:
        return
    rng = random.Random(repr(sorted(params.items())) + case.operation.label)
    if rng.random() < 0.25:
        return
    model = _model_for(case.operation.path.replace("{id}", "1"))
    if model is None:
        return
    ids = list(model._default_manager.values_list("pk", flat=True)[:5])
    if ids:
        params["id"] = rng.choice(ids)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The world and the coordinator's token, built once for the module (tests/conftest.py
    `module_world`): each operation's examples run in a savepoint, rolled back after it."""
    with module_world(django_db_blocker):
        _build_world()
        user = make_user("fuzz-coordinator", "coordinator")
        _instance, token = AuthToken.objects.create(user=user)
        yield token


@pytest.fixture
def coordinator_token(fuzz_world, db):
    return fuzz_world


@pytest.fixture
def known_failure(request):
    label = request.node.name.partition("[")[2].rstrip("]")
    if label in KNOWN_FAILURES:
        request.node.add_marker(pytest.mark.xfail(reason=KNOWN_FAILURES[label], strict=False))


@pytest.fixture
def wsgi_in_test_transaction():
    """A raw WSGI call closes 'old' DB connections at request end, which would break the test
    transaction; Django's own test client disconnects the same handlers."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@fuzzed.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
    # No shrinking: a failure reports its first example (with a curl line) and the run stays fast.
    phases=[Phase.explicit, Phase.generate],
)
def test_api_never_answers_5xx(case, coordinator_token, wsgi_in_test_transaction, known_failure):
    _point_at_real_rows(case)
    case.call_and_validate(
        headers={"Authorization": f"Token {coordinator_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
