"""The thank-you e-mail the day after a completed visit carries the signed feedback link, and the
link opens the form without a login."""

import datetime as dt
import re

import pytest
from django.test import Client

from feedback.models import FeedbackResponse
from lifecycle.daily import daily_run
from outbox.models import OutgoingEmail
from tests.feedback.conftest import ANSWER, VISIT, at, completed_visit

pytestmark = pytest.mark.django_db


def test_the_thank_you_email_carries_a_working_link(
    school, other_school, django_capture_on_commit_callbacks
):
    done = completed_visit(school)
    completed_visit(other_school)
    with at(VISIT + dt.timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            daily_run()
        emails = list(OutgoingEmail.objects.filter(kind="thank_you"))
        assert len(emails) == 2
        tokens = {}
        for email in emails:
            match = re.search(r"https?://\S+/school/feedback/([^/\s]+)/", email.body)
            assert match, email.body
            tokens[email.subject] = match.group(1)
        client = Client()  # no login: the link is the key
        for token in tokens.values():
            assert client.get(f"/school/feedback/{token}/").status_code == 200
        mine = next(t for subject, t in tokens.items() if done.reference in subject)
        assert client.post(f"/school/feedback/{mine}/", ANSWER).status_code == 200
    assert FeedbackResponse.objects.get().booking == done
