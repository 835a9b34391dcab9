"""Onboarding schools: one-time invitations for a school contact and access requests from
teachers, which a coordinator of the school's programme approves (sending an invitation)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.scoping import ScopedQuerySet
from bookings.models import School
from programmes.models import Programme

MESSAGE_MAX_LENGTH = 1000


class Invitation(models.Model):
    """A one-time link for `email` to set a password and become a user of `school`. Only the
    SHA-256 of the link's token is stored: a database leak hands out no working links."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        help_text=_("Het account dat met deze uitnodiging is aangemaakt."),
    )

    objects = ScopedQuerySet.scoped_as("school__programme", school_path="school")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "email"])]
        constraints = [
            # One working link per address and school: a racing second invitation fails here
            # instead of leaving two links alive.
            models.UniqueConstraint(
                fields=["school", "email"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="onboarding_one_open_invitation",
            )
        ]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self) -> str:
        return f"{self.email} → {self.school}"

    def is_open(self, now) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


class AccessRequest(models.Model):
    """A teacher asks for access to a school by BRIN. `school` (and through it `programme`) is
    filled in when the BRIN matched a school; a request for an unknown BRIN has no programme, so
    no coordinator sees it and only a superuser can decline it in the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op beoordeling")
        APPROVED = "approved", _("Goedgekeurd")
        DECLINED = "declined", _("Afgewezen")

    name = models.CharField(max_length=100)
    email = models.EmailField()
    brin = models.CharField(max_length=6)
    message = models.TextField(
        blank=True,
        max_length=MESSAGE_MAX_LENGTH,
        validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)],
    )
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="access_requests"
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_requests",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.scoped_as("programme")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "programme"])]
        verbose_name = _("toegangsverzoek")
        verbose_name_plural = _("toegangsverzoeken")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.brin})"
