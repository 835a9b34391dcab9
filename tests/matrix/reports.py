from tests.matrix import HIDDEN, b, r


def build(ctx: dict) -> None:
    """The reach report needs no objects of its own."""


ROWS = [
    ("get", "/api/v1/reports/reach/", r(200, 403, 403)),
    ("get", "/api/v1/reports/reach/?format=csv", r(200, 403, 403)),
    ("post", "/api/v1/reports/reach/", r(405, 403, 403), {}),
]


# Programme B's coordinator sees only B in the report; crew never reads reports.
PROGRAMME_ROWS = [
    ("get", "/api/v1/reports/reach/?year=2027&planned=true&group_by=school", b(HIDDEN, 403)),
    (
        "get",
        "/api/v1/reports/reach/?year=2027&planned=true&group_by=school&format=csv",
        b(HIDDEN, 403),
    ),
    ("get", "/api/v1/reports/reach/?year=2027&planned=true&group_by=workshop", b(HIDDEN, 403)),
    ("post", "/api/v1/reports/reach/", b(405, 403), {}),
]
