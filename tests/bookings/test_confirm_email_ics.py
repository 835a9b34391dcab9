"""Confirmation e-mail (Dutch, after commit, with .ics) and the calendar feeds."""

import datetime as dt

import icalendar
import pytest
from django.core import mail

from bookings import services
from tests.bookings.conftest import VISIT_DAY, make_booking


@pytest.fixture
def requested(school, workshop, coordinator, wagon):
    return make_booking(school, workshop, coordinator, pupils=20)


@pytest.mark.django_db
def test_confirm_mails_the_school_after_commit(
    coordinator_client, requested, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = coordinator_client.post(f"/api/v1/bookings/{requested.pk}/confirm/")
    assert response.status_code == 200
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["j.devries@school.nl"]
    assert "Bevestiging bezoek Techniekwagen 09-03-2027" in message.subject
    assert "is bevestigd" in message.body
    assert "09:00 Robotauto coderen: groep 7, 20 leerlingen" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"{requested.reference}.ics"
    assert mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(content)
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart").replace(tzinfo=None) == dt.datetime(2027, 3, 9, 9, 0)
    assert event.decoded("dtend").replace(tzinfo=None) == dt.datetime(2027, 3, 9, 10, 30)
    assert str(event["uid"]) == f"{requested.reference}@techniekwagen"


@pytest.mark.django_db
def test_no_mail_when_confirm_fails(
    coordinator_client, requested, django_capture_on_commit_callbacks
):
    requested.status = "declined"
    requested.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(f"/api/v1/bookings/{requested.pk}/confirm/")
    assert response.status_code == 409
    assert mail.outbox == []


@pytest.mark.django_db
def test_booking_calendar_ics(school_client, requested):
    response = school_client.get(f"/api/v1/bookings/{requested.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert "Techniekwagen bij" in str(event["summary"])


@pytest.mark.django_db
def test_wagon_calendar_has_confirmed_visits_only(
    crew_client, school_client, school, workshop, coordinator, wagon, requested
):
    confirmed = make_booking(
        school, workshop, coordinator, pupils=2, date=VISIT_DAY + dt.timedelta(days=1)
    )
    services.booking_confirm(booking=confirmed, acting_user=coordinator, send_email=False)
    response = crew_client.get(f"/api/v1/wagons/{wagon.pk}/calendar.ics")
    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"{confirmed.reference}@techniekwagen"]
    assert school_client.get(f"/api/v1/wagons/{wagon.pk}/calendar.ics").status_code == 403
    assert crew_client.get("/api/v1/wagons/99999/calendar.ics").status_code == 404


@pytest.mark.django_db
def test_ics_with_accept_header(crew_client, wagon):
    response = crew_client.get(
        f"/api/v1/wagons/{wagon.pk}/calendar.ics", HTTP_ACCEPT="text/calendar"
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_failing_mail_server_does_not_undo_or_break_the_confirmation(
    coordinator_client, requested, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(f"/api/v1/bookings/{requested.pk}/confirm/")
    assert response.status_code == 200
    requested.refresh_from_db()
    assert requested.status == "confirmed"
    assert "confirmation e-mail" in caplog.text
