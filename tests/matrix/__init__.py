"""The permission matrix: endpoint × method × role → expected status, as one table.

Each module here (one per app or feature) defines:

    def build(ctx: dict) -> None   # create the objects its rows need; put ids in ctx
    ROWS = [(method, path_template, {role: expected, ...}, body_or_None), ...]

`path_template` is formatted with ctx (e.g. "/api/v1/items/{item}/"). Roles: coordinator, crew,
school (owns ctx's school), other_school (a stranger), anon. `expected` is an int status, or
ALLOWED, meaning "passes auth and permission": neither 401, 403, 404 nor 405.

tests/test_permission_matrix.py runs every row for every role and fails when a URL under
/api/v1/ is missing from the table — so every new endpoint must add its rows here.
"""

import importlib

ALLOWED = "allowed"
ROLES = ("coordinator", "crew", "school", "other_school", "anon")
# Order matters: later modules may use objects earlier ones built.
MODULE_NAMES = [
    "inventory",
    "bookings",
    "packing",
    "routes",
    "reports",
    "waiting",
    "onboarding",
    "partners",
]


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
