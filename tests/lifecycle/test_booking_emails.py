"""Issue 13 item 5: request received (school), new request (coordinators), declined, cancelled —
each once, after the commit, through the task queue; English for a school that asked in English."""

import pytest
from django.core import mail

from outbox.models import OutgoingEmail
from tests.bookings.conftest import VISIT_DAY, booking_payload

pytestmark = pytest.mark.django_db


def _by_kind():
    return {e.kind: e for e in OutgoingEmail.objects.all()}


def test_a_request_mails_the_school_and_every_coordinator_once(
    school_client, coordinator_with_email, workshop, wagon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = school_client.post("/api/v1/bookings/", booking_payload(workshop), format="json")
    assert response.status_code == 201, response.content
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    received = [m for m in mail.outbox if m.to == ["j.devries@school.nl"]]
    to_coordinators = [m for m in mail.outbox if m.to == ["planning@sto-rijnmond.nl"]]
    assert len(received) == 1 and len(to_coordinators) == 1 and len(mail.outbox) == 2
    assert "Aanvraag ontvangen" in received[0].subject
    assert "Een coördinator bekijkt de aanvraag" in received[0].body
    assert received[0].alternatives[0].mimetype == "text/html"
    assert "Nieuwe aanvraag" in to_coordinators[0].subject
    assert "Melanchthon Kralingen" in to_coordinators[0].body
    assert {e.status for e in OutgoingEmail.objects.all()} == {"sent"}


def test_a_school_that_asked_in_english_gets_english(
    school_client, coordinator_with_email, workshop, wagon, django_capture_on_commit_callbacks
):
    school_client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = school_client.post("/api/v1/bookings/", booking_payload(workshop), format="json")
    assert response.status_code == 201, response.content
    [received] = [m for m in mail.outbox if m.to == ["j.devries@school.nl"]]
    assert received.subject.startswith("Request received")
    assert "Dear J. de Vries" in received.body
    # Coordinators read Dutch.
    [coordinators] = [m for m in mail.outbox if m.to == ["planning@sto-rijnmond.nl"]]
    assert coordinators.subject.startswith("Nieuwe aanvraag")


def _requested(school_client, workshop, callbacks_fixture):
    with callbacks_fixture(execute=True):
        response = school_client.post("/api/v1/bookings/", booking_payload(workshop), format="json")
    assert response.status_code == 201, response.content
    mail.outbox.clear()
    return response.json()["id"]


def test_declining_mails_the_school_with_the_reason(
    school_client, coordinator_client, workshop, wagon, django_capture_on_commit_callbacks
):
    pk = _requested(school_client, workshop, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            f"/api/v1/bookings/{pk}/decline/", {"reason": "Wagen in onderhoud"}, format="json"
        )
    assert response.status_code == 200, response.content
    [message] = mail.outbox
    assert message.to == ["j.devries@school.nl"]
    assert message.subject.startswith("Aanvraag afgewezen")
    assert "Reden: Wagen in onderhoud" in message.body
    assert "wachtlijst" in message.body


def test_cancelling_mails_the_school_once(
    school_client, workshop, wagon, django_capture_on_commit_callbacks
):
    pk = _requested(school_client, workshop, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = school_client.post(
            f"/api/v1/bookings/{pk}/cancel/", {"reason": "Toetsweek"}, format="json"
        )
    assert response.status_code == 200, response.content
    [message] = mail.outbox
    assert message.subject.startswith("Bezoek geannuleerd")
    assert "Toetsweek" in message.body
    assert OutgoingEmail.objects.filter(kind="cancelled").count() == 1


def test_a_refused_request_queues_nothing(school_client, workshop, wagon):
    response = school_client.post(
        "/api/v1/bookings/",
        booking_payload(workshop, date=VISIT_DAY.replace(day=13)),
        format="json",
    )  # a Saturday
    assert response.status_code == 409
    assert not OutgoingEmail.objects.exists()
