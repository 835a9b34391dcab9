"""Routes: one wagon on one date (depot → stops → depot), with its stops in order."""

from django.core.validators import MaxLengthValidator
from django.db import models
from simple_history.models import HistoricalRecords

from backend.core.dates import validate_date_window
from backend.core.limits import TEXT_MAX_LENGTH
from bookings.models import Booking
from inventory.models import Wagon

# A wagon visits at most 10 schools a day (Wagon.max_visits_per_day); a route never holds more.
MAX_STOPS = 10


class Route(models.Model):
    """A wagon-day (rit/dagplanning). Times and feasibility are computed, never stored."""

    wagon = models.ForeignKey(Wagon, on_delete=models.PROTECT, related_name="routes")
    date = models.DateField(validators=[validate_date_window])
    notes = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "wagon_id"]
        constraints = [
            models.UniqueConstraint(fields=["wagon", "date"], name="route_wagon_date_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.wagon.name} {self.date}"


class RouteStop(models.Model):
    """One booking visited on a route, at `position` (0-based) in driving order."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="route_stop")
    position = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["route_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "position"],
                name="route_stop_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} #{self.position + 1}: {self.booking_id}"
