"""Delivery of the outbox and its tasks (the backend is chosen by TW_TASKS_BACKEND): send one
queued message under a lease, record the outcome, retry with backoff, sweep what is due. Queueing
lives in `outbox.services`."""

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)
Status = OutgoingEmail.Status
# How long a worker may take to hand one message to the mail server before the sweep tries again.
LEASE = dt.timedelta(minutes=5)
# A queued row whose task was never enqueued (enqueue failed, process died) is picked up after this.
STALE = dt.timedelta(minutes=2)


@task()
def send_email(email_id: int) -> str:
    return email_deliver(email_id=email_id)


@task()
def send_emails(email_ids: list[int]) -> list[str]:
    """A batch queued together (the daily job); each message keeps its own retries."""
    return [email_deliver(email_id=pk) for pk in email_ids]


@task()
def retry_due_emails() -> int:
    return email_retry_due()


def backoff(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64 ... times the base delay after the 1st, 2nd, 3rd ... failed attempt."""
    return dt.timedelta(seconds=settings.TW_EMAIL_RETRY_SECONDS * 4 ** (attempts - 1))


def _enqueue_many(email_ids: list[int]) -> None:
    try:
        send_emails.enqueue(email_ids)
    except Exception:
        logger.exception("could not enqueue %s e-mails; the sweep will retry them", len(email_ids))


def _enqueue(email_id: int, *, run_after: dt.datetime | None = None) -> None:
    task = send_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the sweep (`email_retry_due`) will pick it up when due
        task = task.using(run_after=run_after)
    try:
        task.enqueue(email_id)
    except Exception:
        # The broker being down must not fail the request that queued the e-mail.
        logger.exception("could not enqueue e-mail %s; the sweep will retry it", email_id)


def email_deliver(*, email_id: int) -> str:
    """Send one queued message. Claims it with a lease first, so two workers never send it both;
    sends outside any transaction, then records the outcome."""
    now = timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "missing"
        if email.status != Status.QUEUED or (email.next_attempt_at and email.next_attempt_at > now):
            return email.status if email.status != Status.QUEUED else "not_due"
        email.attempts += 1
        email.next_attempt_at = now + LEASE
        email.save(update_fields=["attempts", "next_attempt_at"])
    error = ""
    try:
        _message(email).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning(
            "%s e-mail %s failed (attempt %s): %s", email.kind, email.pk, email.attempts, error
        )
    done = timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email_id)
        if not error:
            email.status, email.sent_at, email.next_attempt_at = Status.SENT, done, None
            email.last_error = ""
        elif email.attempts >= settings.TW_EMAIL_MAX_ATTEMPTS:
            email.status, email.next_attempt_at, email.last_error = Status.FAILED, None, error
        else:
            email.next_attempt_at, email.last_error = done + backoff(email.attempts), error
            transaction.on_commit(
                partial(_enqueue, email.pk, run_after=email.next_attempt_at), robust=True
            )
        email.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
    return email.status


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    if email.attachment_name:
        message.attach(email.attachment_name, email.attachment, email.attachment_type)
    return message


def email_retry_due(*, now: dt.datetime | None = None) -> int:
    """Enqueue every queued message that is due: retries whose backoff is over, and rows whose
    task was never enqueued. Run by the scheduler every minute; returns how many."""
    now = now or timezone.now()
    due = list(
        OutgoingEmail.objects.filter(status=Status.QUEUED)
        .filter(
            Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created__lte=now - STALE)
        )
        .values_list("pk", flat=True)[:500]
    )
    for pk in due:
        _enqueue(pk)
    return len(due)
