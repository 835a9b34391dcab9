"""Request bodies are bounded before any view runs: size (413), JSON depth and syntax (400), and
anonymous callers get their 401 first. Writes are atomic: an error answer leaves no row behind."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from bookings.models import Booking, School
from routes.models import Route
from tests.factories import BookingFactory, BookingSessionFactory, WagonFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


def post_raw(client, url, body, content_type="application/json", method="post"):
    return getattr(client, method)(url, data=body, content_type=content_type)


@pytest.fixture
def wagon(db):
    return WagonFactory()


def test_deep_json_is_a_400_not_a_recursion_error(coordinator_client, wagon):
    response = post_raw(coordinator_client, "/api/v1/routes/", DEEP)
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"
    assert Route.objects.count() == 0


def test_deep_json_from_an_anonymous_caller_is_a_401(anon_client):
    for url in ("/api/v1/routes/", "/api/v1/bookings/", "/api/v1/bookings/1/confirm/"):
        response = post_raw(anon_client, url, DEEP)
        assert response.status_code == 401, url


def test_deep_json_to_the_token_endpoint_is_a_400(anon_client):
    response = post_raw(anon_client, "/api/v1/auth/token/", DEEP)
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"


def test_nesting_is_allowed_up_to_the_limit(coordinator_client, wagon):
    limit = settings.TW_MAX_JSON_DEPTH
    inside = "[" * (limit - 1) + "]" * (limit - 1)
    ok = post_raw(coordinator_client, "/api/v1/routes/", '{"bookings": ' + inside + "}")
    assert ok.status_code == 400 and "code" not in ok.json()  # field errors: it was parsed
    deeper = post_raw(coordinator_client, "/api/v1/routes/", '{"bookings": [' + inside + "]}")
    assert deeper.json()["code"] == "too_deep"


def test_brackets_inside_strings_do_not_count_as_nesting(coordinator_client):
    body = '{"name": "Depot [[[[{{{{", "address": "' + "[" * 100 + '\\"{{"}'
    response = post_raw(coordinator_client, "/api/v1/depots/", body)
    assert response.status_code == 201, response.content


def test_malformed_json_is_a_400_with_a_code(coordinator_client, wagon):
    response = post_raw(coordinator_client, "/api/v1/routes/", '{"wagon": ')
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_malformed_json_from_an_anonymous_caller_is_a_401(anon_client):
    response = post_raw(anon_client, "/api/v1/routes/", '{"wagon": ')
    assert response.status_code == 401


def test_a_body_over_the_limit_is_a_413(coordinator_client, school):
    notes = "x" * (3 * 1024 * 1024)
    response = coordinator_client.patch(
        f"/api/v1/schools/{school.pk}/", {"site_notes": notes}, format="json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert School.objects.get(pk=school.pk).site_notes == ""


def test_a_form_body_over_the_limit_is_a_413(coordinator_client, school):
    body = "site_notes=" + "x" * (settings.TW_MAX_BODY_BYTES + 10)
    response = post_raw(
        coordinator_client,
        f"/api/v1/schools/{school.pk}/",
        body,
        content_type="application/x-www-form-urlencoded",
        method="patch",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_big_body_from_an_anonymous_caller_is_a_401(anon_client):
    body = '{"site_notes": "' + "x" * (settings.TW_MAX_BODY_BYTES + 10) + '"}'
    assert post_raw(anon_client, "/api/v1/bookings/", body).status_code == 401


def test_site_notes_are_at_most_2000_characters(coordinator_client, school):
    url = f"/api/v1/schools/{school.pk}/"
    too_long = coordinator_client.patch(url, {"site_notes": "x" * 2001}, format="json")
    assert too_long.status_code == 400
    assert "site_notes" in too_long.json()
    assert (
        coordinator_client.patch(url, {"site_notes": "x" * 2000}, format="json").status_code == 200
    )


def test_a_write_that_ignores_its_body_still_refuses_a_broken_one(coordinator_client, school):
    booking = BookingFactory(school=school, date=dt.date(2027, 3, 9))
    BookingSessionFactory(booking=booking)
    url = f"/api/v1/bookings/{booking.pk}/confirm/"
    assert post_raw(coordinator_client, url, '{"x": ').status_code == 400
    assert post_raw(coordinator_client, url, DEEP).status_code == 400
    assert Booking.objects.get(pk=booking.pk).status == "requested"


def test_a_write_that_fails_after_the_service_saved_leaves_nothing(
    coordinator_client, wagon, monkeypatch
):
    """The route bug's shape: the service wrote, building the answer failed. Nothing stays."""
    from routes import views

    def broken(self, route):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(views.RouteViewSet, "_one", broken)
    response = coordinator_client.post(
        "/api/v1/routes/", {"wagon": wagon.pk, "date": "2027-03-09"}, format="json"
    )
    assert response.status_code == 400
    assert Route.objects.count() == 0
    assert Route.history.count() == 0


def test_a_500_rolls_back_too(wagon, monkeypatch, coordinator):
    from routes import views

    def broken(self, route):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.RouteViewSet, "_one", broken)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/routes/",
        {"wagon": wagon.pk, "date": "2027-03-09"},
        content_type="application/json",
    )
    assert response.status_code == 500
    assert Route.objects.count() == 0
