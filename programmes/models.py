"""Programmes: an STO region or regeling that owns depots, schools, workshops, closed days and
routes, and the coordinators and crew who work for it. The bottom of the app graph:
`routes` → `bookings` → `inventory` → `programmes`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backend.core.scoping import ScopedQuerySet

PROJECT_CODE_RE = r"^[A-Z]{2,6}\d{2,8}$"


class LiberationDay(models.TextChoices):
    EVERY_YEAR = "every_year", _("Elk jaar vrij")
    LUSTRUM = "lustrum", _("Alleen in lustrumjaren vrij")


class Programme(models.Model):
    """An STO region or regeling (e.g. `STO18065`): its calendar policy and its people."""

    name = models.CharField(max_length=100, unique=True)
    project_code = models.CharField(
        max_length=16,
        unique=True,
        validators=[RegexValidator(PROJECT_CODE_RE, _("Projectcode zoals STO18065."))],
    )
    contact_name = models.CharField(max_length=100, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(365)]
    )
    liberation_day = models.CharField(
        max_length=10, choices=LiberationDay.choices, default=LiberationDay.EVERY_YEAR
    )
    friday_after_ascension_closed = models.BooleanField(default=True)
    good_friday_closed = models.BooleanField(default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="programmes",
        help_text=_("Coördinatoren en crew die dit programma zien en beheren."),
    )
    history = HistoricalRecords(m2m_fields=[])

    objects = ScopedQuerySet.scoped_as("pk")

    class Meta:
        ordering = ["name"]
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")

    def __str__(self) -> str:
        return f"{self.name} ({self.project_code})"
