"""The signed feedback link: works without a login, only for its own visit, one response per
visit (a second submit edits it), only for completed visits, expires after 30 days; a tampered
token is a 404."""

import datetime as dt

import pytest
from django.core import signing
from django.test import Client

from feedback import links
from feedback.models import FeedbackResponse
from tests.feedback.conftest import ANSWER, VISIT, at, completed_visit

pytestmark = pytest.mark.django_db


def _url(booking):
    return f"/school/feedback/{links.token_for(booking)}/"


def test_the_form_opens_without_a_login_in_dutch(done, day_after):
    response = Client().get(_url(done))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Leerlingen zijn enthousiaster over techniek" in html
    assert done.school.name in html
    assert 'name="viewport"' in html  # the phone layout of every page


def test_the_form_is_available_in_english(done, day_after):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(_url(done)).content.decode()
    assert "Pupils are more enthusiastic about technology" in html


def test_a_submit_stores_one_response_and_a_second_submit_edits_it(done, day_after):
    client = Client()
    first = client.post(_url(done), ANSWER)
    assert first.status_code == 200
    assert "Bedankt! Uw reactie is opgeslagen." in first.content.decode()
    response = FeedbackResponse.objects.get()
    assert (response.booking, response.workshop_rating, response.book_again) == (done, 5, True)
    again = client.post(_url(done), {**ANSWER, "workshop_rating": "2", "book_again": "nee"})
    assert again.status_code == 200
    assert FeedbackResponse.objects.count() == 1
    response.refresh_from_db()
    assert (response.workshop_rating, response.book_again, response.comments) == (
        2,
        False,
        "Prachtig!",
    )
    # The form shows what was given, to change it.
    form = client.get(_url(done)).context["form"]
    assert form.initial["workshop_rating"] == 2 and form.initial["book_again"] == "nee"


def test_a_token_opens_only_its_own_visit(done, other_done, day_after):
    Client().post(_url(done), ANSWER)
    assert list(FeedbackResponse.objects.values_list("booking", flat=True)) == [done.pk]
    assert not FeedbackResponse.objects.filter(booking=other_done).exists()
    assert links.token_for(done) != links.token_for(other_done)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(token.split(":")[0], signing.b64_encode(b'{"b":2}').decode()),
        lambda token: "x" * 500,
        lambda token: "nonsense",
    ],
)
def test_a_tampered_token_is_a_404(done, day_after, mangle):
    token = mangle(links.token_for(done))
    assert Client().get(f"/school/feedback/{token}/").status_code == 404
    assert Client().post(f"/school/feedback/{token}/", ANSWER).status_code == 404
    assert not FeedbackResponse.objects.exists()


def test_a_token_signed_for_another_purpose_is_a_404(done, day_after):
    token = signing.dumps({"b": done.pk})  # the right id, the wrong salt
    assert Client().get(f"/school/feedback/{token}/").status_code == 404


def test_the_link_expires_30_days_after_the_visit(done):
    client = Client()
    with at(VISIT + dt.timedelta(days=30)):
        assert client.post(_url(done), ANSWER).status_code == 200
    with at(VISIT + dt.timedelta(days=31)):
        assert client.get(_url(done)).status_code == 404
        assert client.post(_url(done), {**ANSWER, "workshop_rating": "1"}).status_code == 404
    assert FeedbackResponse.objects.get().workshop_rating == 5


@pytest.mark.parametrize("status", ["confirmed", "on_site", "returned", "cancelled"])
def test_only_a_completed_visit_has_a_form(school, day_after, status):
    booking = completed_visit(school, status=status)
    assert Client().get(_url(booking)).status_code == 404
    assert Client().post(_url(booking), ANSWER).status_code == 404
    assert not FeedbackResponse.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"workshop_rating": "6"},
        {"crew_rating": "0"},
        {"enthusiasm": ""},
        {"organisation_rating": "drie"},
        {"book_again": "misschien"},
        {"comments": "x" * 2001},
    ],
)
def test_bad_input_is_a_400_and_nothing_is_stored(done, day_after, change):
    response = Client().post(_url(done), {**ANSWER, **change})
    assert response.status_code == 400
    assert not FeedbackResponse.objects.exists()


def test_the_school_sees_its_own_response_in_the_portal(
    done, other_done, school_user, other_school_user, day_after
):
    Client().post(_url(done), ANSWER)
    own = Client()
    own.force_login(school_user)
    page = own.get(f"/school/bookings/{done.pk}/feedback/")
    assert page.status_code == 200
    assert "Prachtig!" in page.content.decode()
    assert f"/school/bookings/{done.pk}/feedback/" in own.get("/school/bookings/").content.decode()
    stranger = Client()
    stranger.force_login(other_school_user)
    assert stranger.get(f"/school/bookings/{done.pk}/feedback/").status_code == 404
