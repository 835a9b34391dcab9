"""/api/v1/programmes/: members read their own programme(s), the funder every one (read-only)."""

from tests.matrix import HIDDEN, NOT_FOUND, b, r


def build(ctx: dict) -> None:
    from tests.factories import default_programme

    ctx["programme"] = default_programme().pk


ROWS = [
    ("get", "/api/v1/programmes/", r(200, 200, 200)),
    ("post", "/api/v1/programmes/", r(403, 403, 403), {}),
    ("get", "/api/v1/programmes/{programme}/", r(200, 200, 200, other_school=200)),
]

# Programme B's members do not see A.
PROGRAMME_ROWS = [
    ("get", "/api/v1/programmes/", b(HIDDEN)),
    ("get", "/api/v1/programmes/{programme}/", NOT_FOUND),
]
