"""The reach page with its new filters, groupings and sector table at phone, tablet and desktop
width (no sideways scroll, axe-clean), for a coordinator and for the funder."""

import pytest

from tests.factories import make_user
from tests.pages.test_phone_and_axe import chromium, sweep  # noqa: F401 (chromium: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URLS = [
    "/planning/reach/?mode=school_year&school_year=2026&group_by=programme",
    "/planning/reach/?mode=school_year&school_year=2026&group_by=school",
    "/planning/reach/?mode=school_year&school_year=2026&group_by=depot&depot=999999",
]


def test_reach_page_on_a_phone(chromium, live_server, two_programmes):  # noqa: F811
    make_user("coord_phone", "coordinator", programmes=[two_programmes["a"]])
    make_user("funder_phone", "funder")
    problems = sweep(chromium, live_server, "coord_phone", URLS)
    problems += sweep(chromium, live_server, "funder_phone", URLS[:2])
    assert not problems, "\n".join(problems)
