"""Queue, deliver and retry e-mail. A web request only writes a row (and, after commit, enqueues
a task): it never waits for, nor fails on, the mail server."""

import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.utils.html import escape, linebreaks

from outbox.models import Notice, OutgoingEmail
from outbox.tasks import (  # noqa: F401  (delivery lives with its tasks; re-exported here)
    _enqueue,
    _enqueue_many,
    email_deliver,
    email_retry_due,
    send_email,
    send_emails,
)

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status


def html_from_text(body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="nl"><body style="font-family: sans-serif">'
        f"{linebreaks(escape(body))}</body></html>"
    )


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
    if type(send_emails.get_backend()).__module__.startswith("django_tasks_db"):
        _enqueue_many(ids)
    else:
        transaction.on_commit(partial(_enqueue_many, ids))
    return len(ids)


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
