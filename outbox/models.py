"""Every e-mail the system sends, as a row: queued by a service, delivered by a task, retried with
backoff, and left visible (and retryable) in the admin when it keeps failing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One message to one or more recipients, plain text with an HTML alternative."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        SENT = "sent", _("Verzonden")
        FAILED = "failed", _("Mislukt")

    kind = models.CharField(max_length=40)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)
    attachment_type = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Queued: when the next attempt is due (null: at once). While a worker sends, a lease in the
    # future keeps the sweep from handing the same message to a second worker.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")

    def __str__(self) -> str:
        return f"{self.kind} → {', '.join(self.to)}: {self.subject}"


class Notice(models.Model):
    """The sent-log: one row per message kind and subject (`booking:12`, `digest:2027-03-01:4`).
    Written in the same transaction as the e-mail it queues, so a job run twice, crashed halfway
    or run by two workers at once queues each message once."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    email = models.ForeignKey(
        OutgoingEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="notice_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
