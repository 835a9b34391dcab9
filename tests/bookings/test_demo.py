"""`load_demo` fills schools, workshops and bookings in every status, and is idempotent."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from bookings.models import Booking, KitReservation, School, SchoolMembership, Workshop
from inventory.selectors import available_counts


@pytest.mark.django_db
def test_demo_loads_every_status_and_is_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    counts = (School.objects.count(), Workshop.objects.count(), Booking.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (School.objects.count(), Workshop.objects.count(), Booking.objects.count()) == counts
    assert counts[0] >= 15 and counts[1] >= 6
    assert set(Booking.objects.values_list("status", flat=True)) == set(Booking.Status.values)
    membership = SchoolMembership.objects.get(user__username="school")
    assert membership.school.city == "Rotterdam" and "po" in membership.school.school_types
    assert {s.holiday_region for s in School.objects.filter(city="Deventer")} == {"noord"}
    assert {s.holiday_region for s in School.objects.filter(city="Twello")} == {"midden"}


@pytest.mark.django_db
def test_demo_has_a_day_where_a_kit_type_is_exactly_used_up():
    call_command("load_demo", stdout=io.StringIO())
    rows = (
        KitReservation.objects.filter(booking__status__in=Booking.RESERVING)
        .values("depot_id", "date", "kit_type_id")
        .annotate(n=Sum("quantity"))
    )
    used_up = [
        row
        for row in rows
        if row["n"] == available_counts(depot_id=row["depot_id"]).get(row["kit_type_id"])
    ]
    assert used_up
    over = [
        row
        for row in rows
        if row["n"] > available_counts(depot_id=row["depot_id"]).get(row["kit_type_id"], 0)
    ]
    assert not over
