"""Dutch first: pages are Dutch whatever the browser asks, English when the user chooses it."""

import pytest

from backend.core.middleware import DutchFirstLocaleMiddleware  # noqa: F401  (the middleware under test)


@pytest.mark.django_db
def test_english_browser_still_gets_dutch(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "nl"
    assert "Inloggen" in response.content.decode()


@pytest.mark.django_db
def test_choosing_english_switches_the_language(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_dates_on_crew_pages_are_dutch_for_an_english_browser(client, crew_user):
    client.force_login(crew_user)
    response = client.get("/crew/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    body = response.content.decode()
    english_days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    dutch_days = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    assert not any(day in body for day in english_days)
    assert any(day in body for day in dutch_days)
