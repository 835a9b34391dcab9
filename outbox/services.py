"""Queue, deliver and retry e-mail. A web request only writes a row (and, after commit, enqueues
a task): it never waits for, nor fails on, the mail server."""

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape, linebreaks

from outbox.models import Notice, OutgoingEmail

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status
# How long a worker may take to hand one message to the mail server before the sweep tries again.
LEASE = dt.timedelta(minutes=5)
# A queued row whose task was never enqueued (enqueue failed, process died) is picked up after this.
STALE = dt.timedelta(minutes=2)


def html_from_text(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="nl"><body style="font-family: sans-serif">'
        f"{linebreaks(escape(body))}</body></html>"
    )


def backoff(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64 ... times the base delay after the 1st, 2nd, 3rd ... failed attempt."""
    return dt.timedelta(seconds=settings.TW_EMAIL_RETRY_SECONDS * 4 ** (attempts - 1))


def email_queue(
    *,
    kind: str,
    to: list[str],
    subject: str,
    body: str,
    attachment: tuple[str, str, str] | None = None,
) -> OutgoingEmail:
    """Store the message; its delivery task is enqueued once the caller's transaction commits."""
    name, content, mimetype = attachment or ("", "", "")
    email = OutgoingEmail.objects.create(
        kind=kind,
        to=[address for address in to if address],
        subject=subject[:300],
        body=body,
        html=html_from_text(body),
        attachment_name=name,
        attachment=content,
        attachment_type=mimetype,
    )
    _enqueue_after_commit(email.pk)
    return email


def _enqueue_after_commit(email_id: int) -> None:
    """The database backend's queue is a table in this database: enqueue inside the caller's
    transaction (one commit for the e-mail and its task, none lost between them). Any other
    backend (Redis, immediate) is enqueued once the e-mail row is committed."""
    from outbox.tasks import send_email

    if type(send_email.get_backend()).__module__.startswith("django_tasks_db"):
        _enqueue(email_id)
    else:
        transaction.on_commit(partial(_enqueue, email_id))


@transaction.atomic
def notice_queue(*, kind: str, key: str, **email) -> OutgoingEmail | None:
    """Queue an e-mail once per (kind, key): None when it was queued before (or is being queued by
    a transaction racing this one, which then wins)."""
    try:
        # The e-mail first, then its sent-log row: a duplicate key rolls both back (and drops the
        # e-mail's enqueue-on-commit registered inside this savepoint).
        with transaction.atomic():
            queued = email_queue(kind=kind, **email)
            Notice.objects.create(kind=kind, key=key, email=queued)
    except IntegrityError:
        return None
    return queued


@transaction.atomic
def notices_queue(*, kind: str, messages: list[dict]) -> int:
    """`notice_queue` for many messages at once (dicts with key, to, subject, body), in bulk:
    the e-mails and their sent-log rows in one transaction, one delivery task for the lot.
    Returns how many were queued by this call."""
    keys = [m["key"] for m in messages]
    sent = set(Notice.objects.filter(kind=kind, key__in=keys).values_list("key", flat=True))
    todo = [m for m in messages if m["key"] not in sent]
    if not todo:
        return 0
    try:
        with transaction.atomic():
            emails = OutgoingEmail.objects.bulk_create(
                OutgoingEmail(
                    kind=kind,
                    to=[a for a in m["to"] if a],
                    subject=m["subject"][:300],
                    body=m["body"],
                    html=html_from_text(m["body"]),
                )
                for m in todo
            )
            Notice.objects.bulk_create(
                Notice(kind=kind, key=m["key"], email=e) for m, e in zip(todo, emails, strict=True)
            )
    except IntegrityError:
        # A racing run queued some of these meanwhile: one by one, the sent-log decides each.
        return sum(notice_queue(kind=kind, **m) is not None for m in todo)
    ids = [e.pk for e in emails]
    from outbox.tasks import send_emails

    if type(send_emails.get_backend()).__module__.startswith("django_tasks_db"):
        _enqueue_many(ids)
    else:
        transaction.on_commit(partial(_enqueue_many, ids))
    return len(ids)


def _enqueue_many(email_ids: list[int]) -> None:
    from outbox.tasks import send_emails

    try:
        send_emails.enqueue(email_ids)
    except Exception:
        logger.exception("could not enqueue %s e-mails; the sweep will retry them", len(email_ids))


def _enqueue(email_id: int, *, run_after: dt.datetime | None = None) -> None:
    from outbox.tasks import send_email

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


@transaction.atomic
def email_retry(*, email: OutgoingEmail) -> OutgoingEmail:
    """A coordinator's retry of a failed message (admin action): a fresh set of attempts."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if email.status == Status.SENT:
        return email
    email.status, email.attempts, email.next_attempt_at = Status.QUEUED, 0, None
    email.save(update_fields=["status", "attempts", "next_attempt_at"])
    _enqueue_after_commit(email.pk)
    return email
