"""The onboarding pages at phone, tablet and desktop width: no sideways scroll, touch targets,
axe without serious findings (the same sweep as tests/pages/test_phone_and_axe.py)."""

import pytest

from onboarding.services import access_request_create, invitation_create
from tests.factories import SchoolFactory, make_user
from tests.pages.test_phone_and_axe import chromium, sweep  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_onboarding_pages(chromium, live_server):  # noqa: F811
    coordinator = make_user("coord", "coordinator")
    school = SchoolFactory(name="Melanchthon Kralingen", brin="01AB00")
    SchoolFactory(name="Melanchthon Schiebroek", brin="01AB01")
    access_request_create(
        name="Sanne de Boer",
        email="s.deboer@kralingen.nl",
        brin="01AB",
        message="Ik geef techniek in groep 7 en 8 en wil graag een bezoek aanvragen.",
    )
    _invitation, token = invitation_create(
        school=school, email="m.jansen@kralingen.nl", name="M. Jansen", acting_user=coordinator
    )
    urls = [
        f"/planning/schools/{school.pk}/invite/",
        "/planning/access-requests/",
        "/school/access/",
        f"/school/invite/{token}/",
        "/school/invite/verlopen-of-onbekend/",
    ]

    problems = sweep(chromium, live_server, coordinator.username, urls)

    assert not problems, "\n".join(problems)
