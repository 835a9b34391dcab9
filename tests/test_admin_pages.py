"""Every model in the admin has a changelist that renders for the superuser, with demo data."""

import pytest
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse


@pytest.fixture
def demo_admin_client(demo_loaded, client):
    """The superuser's client, with the demo loaded once for the module (tests/conftest.py)."""
    # axes counts failures per request, so authenticate() needs one
    assert client.login(request=HttpRequest(), username="beheer", password="techniek-demo")
    return client


def test_every_admin_changelist_renders(demo_admin_client):
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = demo_admin_client.get(url)
        assert response.status_code == 200, url


def test_tracked_models_show_history_in_admin(demo_admin_client):
    from bookings.models import Booking

    booking = Booking.objects.first()
    url = reverse("admin:bookings_booking_history", args=[booking.pk])
    response = demo_admin_client.get(url)
    assert response.status_code == 200
    assert booking.reference in response.content.decode()
