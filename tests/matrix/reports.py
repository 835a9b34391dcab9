from tests.matrix import HIDDEN, Bad, b, r


def build(ctx: dict) -> None:
    """The reach and impact reports need no objects of their own."""


# The funder (no column here) is covered by tests/reports/test_funder_access.py (every report is
# readable, every write a 403) and tests/reports/test_impact_api.py.
ROWS = [
    ("get", "/api/v1/reports/reach/", r(200, 403, 403)),
    ("get", "/api/v1/reports/reach/?format=csv", r(200, 403, 403)),
    ("post", "/api/v1/reports/reach/", r(405, 403, 403), {}),
    ("get", "/api/v1/reports/impact/", r(200, 403, 403)),
    ("get", "/api/v1/reports/impact/?format=csv", r(200, 403, 403)),
    ("get", "/api/v1/reports/impact/?school_year=2026&group_by=workshop", r(200, 403, 403)),
    ("post", "/api/v1/reports/impact/", r(405, 403, 403), {}),
    ("get", "/api/v1/reports/impact.pdf", r(200, 403, 403)),
    ("post", "/api/v1/reports/impact.pdf", r(405, 403, 403), {}),
]


# Programme B's coordinator sees only B in the report; crew never reads reports.
PROGRAMME_ROWS = [
    ("get", "/api/v1/reports/impact/?school_year=2026&group_by=workshop", b(HIDDEN, 403)),
    ("get", "/api/v1/reports/impact/?school_year=2026&group_by=programme", b(HIDDEN, 403)),
    ("get", "/api/v1/reports/impact/?school_year=2026&format=csv", b(HIDDEN, 403)),
    # A's programme named in the filter is refused, not reported on (the PDF is compressed:
    # the refusal is what shows it is scoped).
    ("get", "/api/v1/reports/impact/?programme={programme_a}", b(Bad("programme"), 403)),
    ("get", "/api/v1/reports/impact.pdf?programme={programme_a}", b(Bad("programme"), 403)),
    ("get", "/api/v1/reports/impact.pdf?school_year=2026", b(200, 403)),
    ("post", "/api/v1/reports/impact/", b(405, 403), {}),
    ("get", "/api/v1/reports/reach/?year=2027&planned=true&group_by=school", b(HIDDEN, 403)),
    (
        "get",
        "/api/v1/reports/reach/?year=2027&planned=true&group_by=school&format=csv",
        b(HIDDEN, 403),
    ),
    ("get", "/api/v1/reports/reach/?year=2027&planned=true&group_by=workshop", b(HIDDEN, 403)),
    ("post", "/api/v1/reports/reach/", b(405, 403), {}),
]
