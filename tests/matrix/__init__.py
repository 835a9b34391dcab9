"""The permission matrix: endpoint × method × role → expected status, as one table.

Each module here (one per app or feature) defines:

    def build(ctx: dict) -> None   # create the objects its rows need; put ids in ctx
    ROWS = [(method, path_template, {role: expected, ...}, body_or_None), ...]

`path_template` is formatted with ctx (e.g. "/api/v1/items/{item}/"). Roles: coordinator, crew,
school (owns ctx's school), other_school (a stranger), anon. `expected` is an int status, or
ALLOWED, meaning "passes auth and permission": neither 401, 403, 404 nor 405.

tests/test_permission_matrix.py runs every row for every role and fails when a URL under
/api/v1/ or of the pages (/crew/, /school/, /planning/) is missing from the table — so every new
endpoint and page must add its rows here. Page paths (not under /api/) are requested with a logged
in session and form-encoded bodies; anonymous users are sent to the login page (302).

The programme case (issue 14). Each module also defines

    PROGRAMME_ROWS = [(method, path_template, b(coordinator_b, crew_b), body_or_None), ...]

run as a coordinator and a crew member of programme B (`programme.py` builds it, last) against
programme A — every object the other modules build. Every URL of the matrix needs at least one
programme row (the completeness test fails otherwise). Expectations, besides a status or ALLOWED:

- HIDDEN: 200, and none of programme A's marker strings (`ctx["a_markers"]`: its school, depot,
  wagon, workshop names, asset tags, booking references) anywhere in the response;
- Bad(field): 400 whose errors name `field` (an A id in a B request body);
- Check(status, fn): that status, then `fn(ctx, user)` must hold (e.g. "no plan job was started":
  a page form refuses an A id with a message, and must not have acted on it).

A body may be a callable `body(ctx) -> dict` when it names ids only build() knows.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

ALLOWED = "allowed"
HIDDEN = "hidden"
ROLES = ("coordinator", "crew", "school", "other_school", "anon")
PROGRAMME_ROLES = ("coordinator_b", "crew_b")
# Order matters: later modules may use objects earlier ones built; "programme" (programme B and
# the markers of A) comes last.
MODULE_NAMES = [
    "inventory",
    "bookings",
    "packing",
    "routes",
    "reports",
    "waiting",
    "onboarding",
    "partners",
    "pages",
    "programmes",
    "programme",
]


@dataclass(frozen=True)
class Bad:
    """400, and the response's errors name `field`."""

    field: str


@dataclass(frozen=True)
class Check:
    """`status`, then `holds(ctx, user)` is true (something was not acted on)."""

    status: int
    holds: Callable
    what: str = ""


def modules():
    found = []
    for name in MODULE_NAMES:
        try:
            found.append(importlib.import_module(f"tests.matrix.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.matrix.{name}":
                raise
    return found


def all_rows():
    rows = []
    for module in modules():
        for row in module.ROWS:
            method, path, expectations = row[0], row[1], row[2]
            body = row[3] if len(row) > 3 else None
            rows.append((module.__name__.rsplit(".", 1)[1], method, path, expectations, body))
    return rows


def programme_rows():
    rows = []
    for module in modules():
        for row in getattr(module, "PROGRAMME_ROWS", []):
            method, path, expectations = row[0], row[1], row[2]
            body = row[3] if len(row) > 3 else None
            rows.append((module.__name__.rsplit(".", 1)[1], method, path, expectations, body))
    return rows


def build_all(ctx: dict) -> dict:
    for module in modules():
        module.build(ctx)
    return ctx


def r(coordinator, crew, school, other_school=None, anon=401):
    """Shorthand for an expectations dict; other_school defaults to school's expectation."""
    return {
        "coordinator": coordinator,
        "crew": crew,
        "school": school,
        "other_school": school if other_school is None else other_school,
        "anon": anon,
    }


def b(coordinator, crew=None):
    """Programme-case expectations: coordinator and crew member of programme B (crew defaults to
    the coordinator's)."""
    return {"coordinator_b": coordinator, "crew_b": coordinator if crew is None else crew}


NOT_FOUND = b(404)
