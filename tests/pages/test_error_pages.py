"""Dutch 403, 404 and 500 pages that look like the rest of the site, and a favicon on every page."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_403_is_dutch_and_names_why():
    client = Client()
    client.force_login(make_user("juf-403", "school"))
    response = client.get("/planning/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Geen toegang" in page and "Alleen voor coördinatoren." in page
    assert 'class="topbar"' in page and "favicon.svg" in page
    assert "Forbidden" not in page


def test_404_is_dutch_and_looks_like_the_site():
    client = Client()
    client.force_login(make_user("coord-404", "coordinator"))
    for url in ("/does-not-exist/", "/planning/visits/999999/"):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404
        assert "Pagina niet gevonden" in page and 'class="topbar"' in page
        assert "Not Found" not in page


def test_404_in_english_for_who_chose_it():
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get("/does-not-exist/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page not found" in page


def test_500_is_dutch_and_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in page and "favicon.svg" in page


def test_every_page_has_the_favicon(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
