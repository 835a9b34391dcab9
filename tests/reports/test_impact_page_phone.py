"""The impact page at phone, tablet and desktop width (no sideways scroll, axe-clean), for a
coordinator and for the funder."""

import pytest

from tests.factories import make_user
from tests.pages.test_phone_and_axe import chromium, sweep  # noqa: F401 (chromium: a fixture)
from tests.reports.impact_data import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URLS = [
    "/planning/reports/impact/?mode=school_year&school_year=2026",
    "/planning/reports/impact/?mode=school_year&school_year=2026&group_by=workshop",
    "/planning/reports/impact/?mode=school_year&school_year=twintig",
]


def test_impact_page_on_a_phone(chromium, live_server):  # noqa: F811
    build()
    make_user("coord_phone", "coordinator")
    make_user("funder_phone", "funder")
    problems = sweep(chromium, live_server, "coord_phone", URLS)
    problems += sweep(chromium, live_server, "funder_phone", URLS[:2])
    assert not problems, "\n".join(problems)
