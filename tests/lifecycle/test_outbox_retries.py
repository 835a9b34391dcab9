"""A failing mail server: the request still succeeds, the message is retried with backoff, then
marked failed, visible in the admin, and a coordinator's retry sends it once the server is back."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from outbox.models import OutgoingEmail
from outbox.services import email_retry_due
from tests.bookings.conftest import booking_payload

pytestmark = pytest.mark.django_db


def test_a_failing_smtp_server_is_retried_with_backoff_then_marked_failed(
    school_client, workshop, wagon, broken_smtp, settings, django_capture_on_commit_callbacks
):
    settings.TW_EMAIL_MAX_ATTEMPTS = 3
    settings.TW_EMAIL_RETRY_SECONDS = 60
    with (
        time_machine.travel(timezone.now(), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = school_client.post("/api/v1/bookings/", booking_payload(workshop), format="json")
    assert response.status_code == 201  # the request never fails because of SMTP
    email = OutgoingEmail.objects.get(kind="request_received")
    assert (email.status, email.attempts) == ("queued", 1)
    assert "smtp down" in email.last_error
    first_retry = email.next_attempt_at
    assert first_retry - email.created == dt.timedelta(seconds=60)

    # Not yet due: the sweep leaves it alone.
    with django_capture_on_commit_callbacks(execute=True):
        assert email_retry_due() == 0
    with time_machine.travel(first_retry + dt.timedelta(seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert email_retry_due() == 1
        email.refresh_from_db()
        assert (email.status, email.attempts) == ("queued", 2)
        # The second wait is four times the first.
        assert email.next_attempt_at - timezone.now() == dt.timedelta(seconds=240)
        second_retry = email.next_attempt_at
    with time_machine.travel(second_retry + dt.timedelta(seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            email_retry_due()
        email.refresh_from_db()
        assert (email.status, email.attempts, email.next_attempt_at) == ("failed", 3, None)
        with django_capture_on_commit_callbacks(execute=True):
            assert email_retry_due() == 0  # failed stays failed until someone retries
    assert mail.outbox == []


def test_a_failed_message_is_visible_and_retryable_in_the_admin(
    client, admin_user, broken_smtp, settings, school_client, workshop, wagon,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.TW_EMAIL_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        school_client.post("/api/v1/bookings/", booking_payload(workshop), format="json")
    email = OutgoingEmail.objects.get(kind="request_received")
    assert email.status == "failed"
    client.force_login(admin_user)
    page = client.get("/admin/outbox/outgoingemail/?status__exact=failed")
    assert page.status_code == 200
    assert "Aanvraag ontvangen" in page.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/outbox/outgoingemail/",
            {"action": "retry", "_selected_action": [email.pk]},
        )
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == "sent"
    [message] = mail.outbox
    assert message.to == ["j.devries@school.nl"]


def test_delivery_is_once_even_when_the_task_runs_twice(school_client, workshop, wagon):
    from outbox.services import email_deliver

    response = school_client.post("/api/v1/bookings/", booking_payload(workshop), format="json")
    assert response.status_code == 201
    email = OutgoingEmail.objects.get(kind="request_received")
    assert email_deliver(email_id=email.pk) == "sent"
    assert email_deliver(email_id=email.pk) == "sent"
    assert len([m for m in mail.outbox if m.subject == email.subject]) == 1
