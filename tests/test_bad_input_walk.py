"""The bad-input walk: every write endpoint × every kind of bad input → a 4xx, never a 5xx, with
the offending field named where it is a field error, and not one row written anywhere.

Endpoints come from the permission matrix (tests/matrix/, which must list every API URL), their
request fields from the OpenAPI schema, so a new endpoint or field is walked without touching this
file. Per endpoint (as a coordinator, who may call every one):

- malformed JSON → 400 `malformed_json`; JSON 100,000 levels deep → 400 `too_deep`; a body over
  the size limit → 413 `too_large`; the same three without credentials → 401;
- an empty body `{}` when the operation has required fields → 400 naming one of them;
- per field: a value of the wrong type; an unknown id (id fields); a date outside the window;
  text one character over its `maxLength`; a list one item over its `maxItems`; a number one over
  its `maximum` → 400 naming that field.

Every writable text field must declare `maxLength`, every list `maxItems`, every number a
`maximum` (ids excepted: unknown ids are walked instead): an unbounded one fails the walk.
Row counts of every table are compared before and after each request.
"""

import functools
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from drf_spectacular.generators import SchemaGenerator

from tests.matrix import all_rows
from tests.test_permission_matrix import normalise

WRITE_METHODS = ("post", "put", "patch", "delete")
DEEP = "[" * 100_000 + "]" * 100_000
UNKNOWN_ID = 2_000_000_000
# Strings bounded elsewhere: the login serializer (its view is the login work's) — the body limit
# caps them.
UNBOUNDED_OK = {("/api/v1/auth/token/", "username"), ("/api/v1/auth/token/", "password")}


def write_rows() -> list[tuple[str, str, object]]:
    seen, rows = set(), []
    for _module, method, path, expectations, body in all_rows():
        # The API's writes (the matrix also lists the pages, whose forms answer with a page);
        # an operation no coordinator may call (read-only programmes: 403) has nothing to walk.
        if not path.startswith("/api/") or method not in WRITE_METHODS:
            continue
        if expectations["coordinator"] in (403, 405):
            continue
        key = (method, normalise(path))
        if key in seen:
            continue
        seen.add(key)
        rows.append((method, path, body, expectations["anon"]))
    return rows


ROWS = write_rows()


@functools.lru_cache(maxsize=1)
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(node: dict) -> dict:
    while isinstance(node, dict):
        if "$ref" in node:
            node = schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        elif "allOf" in node or "oneOf" in node or "anyOf" in node:
            variants = node.get("allOf") or node.get("oneOf") or node.get("anyOf")
            real = [resolve(v) for v in variants]
            real = [v for v in real if v.get("enum") not in ([""], [None])] or real
            node = {
                **real[0],
                **{k: v for k, v in node.items() if k not in ("allOf", "oneOf", "anyOf")},
            }
        else:
            return node
    return node


def operation(method: str, path: str) -> dict | None:
    wanted = normalise(path.split("?", 1)[0])
    for schema_path, operations in schema()["paths"].items():
        if normalise(schema_path) == wanted and method in operations:
            return operations[method]
    return None


def request_fields(op: dict) -> tuple[dict, list[str]]:
    body = (op.get("requestBody") or {}).get("content", {}).get("application/json")
    if not body:
        return {}, []
    node = resolve(body["schema"])
    fields = {
        name: resolve(prop)
        for name, prop in node.get("properties", {}).items()
        if not prop.get("readOnly")
    }
    return fields, [name for name in node.get("required", []) if name in fields]


def is_id(prop: dict) -> bool:
    return prop.get("type") == "integer" and "maximum" not in prop


def wrong_type(prop: dict):
    kind = prop.get("type")
    if kind in ("integer", "number"):
        return "not-a-number"
    if kind == "boolean":
        return {"not": "a boolean"}
    if kind == "array":
        return "not-a-list"
    if kind == "object":
        return "not-an-object"
    return {"not": "a string"}


def sample(items: dict):
    return {"integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}.get(
        items.get("type"), "2027-03-09" if items.get("format") == "date" else "x"
    )


def field_cases(path: str, fields: dict) -> tuple[list, list[str]]:
    """(case name, field, value) per field, and the fields that declare no bound."""
    cases, unbounded = [], []
    for name, prop in fields.items():
        kind = prop.get("type")
        cases.append(("wrong type", name, wrong_type(prop)))
        if is_id(prop):
            cases.append(("unknown id", name, UNKNOWN_ID))
        elif kind in ("integer", "number"):
            if "maximum" in prop:
                cases.append(("number too big", name, prop["maximum"] + 1))
            else:
                unbounded.append(name)
        if kind == "string" and prop.get("format") == "date":
            cases.append(("date out of range", name, "9999-12-31"))
            cases.append(("date far in the past", name, "0001-01-01"))
        elif kind == "string" and not ({"enum", "format", "pattern"} & set(prop)):
            if "maxLength" in prop:
                cases.append(("text too long", name, "x" * (prop["maxLength"] + 1)))
            elif (normalise(path), name) not in {(normalise(p), n) for p, n in UNBOUNDED_OK}:
                unbounded.append(name)
        if kind == "array":
            if "maxItems" in prop:
                items = resolve(prop.get("items", {}))
                cases.append(("list too long", name, [sample(items)] * (prop["maxItems"] + 1)))
            else:
                unbounded.append(name)
            items = resolve(prop.get("items", {}))
            if items.get("format") == "date":
                cases.append(("date out of range in a list", name, ["9999-12-31"]))
    return cases, unbounded


# Tables a refused request may still write, and why: not domain data.
NOT_DOMAIN = {
    "tw_throttle": "the write quota counts each attempt; /api/v1/auth/ isn't rolled back on a "
    "refusal (AtomicApiWritesMiddleware) so that failed logins stay counted",
}


@functools.lru_cache(maxsize=1)
def count_sql() -> tuple[list[str], str]:
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy
        }
        - set(NOT_DOMAIN)
    )
    quote = connection.ops.quote_name
    selects = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    return tables, f"SELECT {selects}"


def row_counts() -> dict[str, int]:
    tables, sql = count_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def send(client, method: str, url: str, raw: str):
    return getattr(client, method)(url, data=raw, content_type="application/json")


@pytest.fixture
def matrix_ctx(matrix_context):
    """The matrix's objects, built once for this module (tests/conftest.py `matrix_world`)."""
    return matrix_context


def test_every_write_endpoint_is_in_the_schema():
    missing = [(m, p) for m, p, _b, _a in ROWS if operation(m, p) is None]
    assert not missing, f"write endpoints without an OpenAPI operation: {missing}"


@pytest.mark.parametrize(
    "method,path,body,anon", ROWS, ids=[f"{m.upper()} {p}" for m, p, _b, _a in ROWS]
)
def test_bad_input_is_refused_and_writes_nothing(
    matrix_ctx, coordinator_client, anon_client, method, path, body, anon
):
    url = path.format(**matrix_ctx)
    op = operation(method, path)
    fields, required = request_fields(op)
    cases, unbounded = field_cases(path, fields)
    assert not unbounded, f"{method.upper()} {path}: no maxLength/maxItems/maximum on {unbounded}"
    base = dict(body or {})
    failures = []
    before = row_counts()

    def check(label: str, response, status: int | tuple, field: str | None = None, code=None):
        statuses = status if isinstance(status, tuple) else (status,)
        text = response.content[:300]
        if response.status_code >= 500 or response.status_code not in statuses:
            failures.append(f"{label}: {response.status_code} (expected {status}) {text!r}")
            return
        data = response.json() if response.content else {}
        if code is not None and data.get("code") != code:
            failures.append(f"{label}: code {data.get('code')!r}, expected {code!r} {text!r}")
        if field is not None and field not in data and "code" not in data:
            failures.append(f"{label}: field {field!r} not named in {text!r}")
        after = row_counts()
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        if changed:
            failures.append(f"{label}: rows changed {changed}")

    too_large = json.dumps({"x": "x" * (settings.TW_MAX_BODY_BYTES + 1)})
    for label, raw, status, code in [
        ("malformed JSON", '{"x": ', 400, "malformed_json"),
        ("deep JSON", DEEP, 400, "too_deep"),
        ("body too large", too_large, 413, "too_large"),
    ]:
        check(label, send(coordinator_client, method, url, raw), status, code=code)
        if anon == 401:
            check(f"anonymous, {label}", send(anon_client, method, url, raw), 401)
    if required:
        response = send(coordinator_client, method, url, "{}")
        check("empty body", response, 400)
        if response.status_code == 400 and not set(required) & set(response.json()):
            failures.append(f"empty body: no required field named in {response.content[:300]!r}")
    for label, name, value in cases:
        response = send(
            coordinator_client, method, url, json.dumps({**base, name: value}, default=float)
        )
        # an unknown id may be answered as a domain error ({"detail", "code"}) rather than a field
        check(f"{label} in {name!r}", response, (400, 404) if label == "unknown id" else 400, name)
    assert not failures, f"{method.upper()} {path}:\n" + "\n".join(failures)


def test_the_walk_walks_something():
    """Guard against a walk that silently finds nothing to send."""
    with_fields = [row for row in ROWS if request_fields(operation(row[0], row[1]))[0]]
    assert len(ROWS) >= 40 and len(with_fields) >= 25
