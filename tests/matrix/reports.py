from tests.matrix import r


def build(ctx: dict) -> None:
    """The reach report needs no objects of its own."""


ROWS = [
    ("get", "/api/v1/reports/reach/", r(200, 403, 403)),
    ("get", "/api/v1/reports/reach/?format=csv", r(200, 403, 403)),
    ("post", "/api/v1/reports/reach/", r(405, 403, 403), {}),
]
