"""Partners (issue 18): the companies and organisations a programme works with, and their part
in visits (guest instructor, materials, sponsor) with hours. Depends on `bookings`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backend.core.scoping import ScopedQuerySet
from bookings.models import Booking
from programmes.models import Programme

KVK_RE = r"^\d{8}$"


class Partner(models.Model):
    """A company or organisation in a programme's register."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="partners")
    name = models.CharField(max_length=150)
    kvk_number = models.CharField(
        max_length=8,
        blank=True,
        validators=[RegexValidator(KVK_RE, _("Een KvK-nummer heeft 8 cijfers."))],
    )
    sector = models.CharField(max_length=100, blank=True)
    contact_name = models.CharField(max_length=100, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("programme")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="partner_programme_name"),
            models.UniqueConstraint(
                fields=["programme", "kvk_number"],
                condition=~models.Q(kvk_number=""),
                name="partner_programme_kvk",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """A partner's part in one visit."""

    class Kind(models.TextChoices):
        GUEST_INSTRUCTOR = "guest_instructor", _("Gastdocent")
        MATERIALS = "materials", _("Materiaal")
        SPONSOR = "sponsor", _("Sponsor")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="participations")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="participations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    hours = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("partner__programme")

    class Meta:
        ordering = ["booking_id", "partner__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "partner", "kind"], name="participation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.get_kind_display()} ({self.booking_id})"
