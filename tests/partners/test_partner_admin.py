"""The admin writes partners through the services: the KvK rule shows as a form error, a
partner that took part in a visit is not deleted."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from partners import services
from partners.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(db):
    user = User.objects.create_superuser("beheer", password="pw-test-123")
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_refuses_a_bad_kvk_number_and_adds_a_good_one(admin_client_, coordinator):
    programme = coordinator.programmes.get()
    url = "/admin/partners/partner/add/"
    body = {"programme": programme.pk, "name": "Admin BV", "kvk_number": "00000000", "active": "on"}
    refused = admin_client_.post(url, body)
    assert refused.status_code == 200 and not Partner.objects.exists()
    assert "Dit is geen geldig KvK-nummer." in refused.content.decode()
    added = admin_client_.post(url, {**body, "kvk_number": "1234 5678"})
    assert added.status_code == 302
    partner = Partner.objects.get()
    assert partner.kvk_number == "12345678"
    assert partner.history.get().history_user.username == "beheer"


def test_the_admin_keeps_a_partner_that_took_part(admin_client_, coordinator, partner, booking):
    services.participation_add(
        booking=booking, partner=partner, kind="sponsor", acting_user=coordinator
    )
    response = admin_client_.post(
        f"/admin/partners/partner/{partner.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert Partner.objects.filter(pk=partner.pk).exists()
