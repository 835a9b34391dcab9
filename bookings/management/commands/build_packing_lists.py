"""Build the packing lists that confirmation did not build: visits confirmed before lists were
written by the services (reads no longer build them). Idempotent; run once after deploying."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from bookings.models import Booking
from bookings.packing.services import packing_list_follow


class Command(BaseCommand):
    help = "Build missing packing lists of confirmed visits from today on."

    def handle(self, *args, **options):
        missing = Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            date__gte=timezone.localdate(),
            packing_list__isnull=True,
        ).order_by("date", "pk")
        built = 0
        for booking in missing:
            packing_list_follow(booking=booking)
            built += 1
        self.stdout.write(f"{built} paklijst(en) gemaakt.")
