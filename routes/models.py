"""Routes: one wagon on one date (depot → stops → depot), with its stops in order."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxLengthValidator
from django.db import models
from simple_history.models import HistoricalRecords

from backend.core.dates import validate_date_window
from backend.core.limits import TEXT_MAX_LENGTH
from backend.core.scoping import ScopedQuerySet
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

    objects = ScopedQuerySet.scoped_as("wagon__depot__programme")

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

    objects = ScopedQuerySet.scoped_as("route__wagon__depot__programme")

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


class PlanJob(models.Model):
    """One run of the tour planner (`POST /api/v1/routes/plan/`): its input, state and result.

    Kept in the database so any worker or process can answer `GET` on the job; routes/jobs.py runs
    it off the request path."""

    class Status(models.TextChoices):
        QUEUED = "queued", "in de wachtrij"
        RUNNING = "running", "bezig"
        DONE = "done", "klaar"
        FAILED = "failed", "mislukt"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The programme whose wagons the job plans: only its members see the job.
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, null=True, related_name="+"
    )
    # The validated request plus the day it was made, so a job planned later plans the same.
    params = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.scoped_as("programme")

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "created"], name="plan_job_status_created")]

    def __str__(self) -> str:
        return f"planjob {self.pk} ({self.status})"
