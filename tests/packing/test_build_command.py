"""`manage.py build_packing_lists` builds the lists of visits confirmed before the services did."""

from io import StringIO

import pytest
from django.core.management import call_command

from bookings.packing.models import PackingList
from tests.factories import BookingFactory, BookingSessionFactory

pytestmark = pytest.mark.django_db


def test_it_builds_only_missing_lists(kit, school, booking):
    legacy = BookingFactory(school=school, wagon=kit.wagon, date=booking.date, status="confirmed")
    BookingSessionFactory(booking=legacy, workshop=kit.workshop, pupils=4)
    assert not PackingList.objects.filter(booking=legacy).exists()
    out = StringIO()
    call_command("build_packing_lists", stdout=out)
    assert "1 paklijst" in out.getvalue()
    assert PackingList.objects.filter(booking=legacy).exists()
