"""The partner register at /planning/partners/, a partner's page, and adding a partner's part in
a visit from the visit page: coordinators of the partner's programme only."""

from decimal import Decimal

import pytest
from django.test import Client

from partners import services
from partners.models import Participation, Partner
from tests.partners.conftest import visit

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_register_lists_partners_with_their_reach(coordinator, partner, other_partner, school):
    done = visit(school, pupils=(24, 6))
    services.participation_add(
        booking=done, partner=partner, kind="guest_instructor", hours="1.5", acting_user=coordinator
    )
    page = logged_in(coordinator).get("/planning/partners/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Havenbouw BV" in html and "IJsselmetaal" not in html
    row = html[html.index(f'data-partner="{partner.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "<td>1</td><td>30</td><td>1,50</td>" in row
    assert 'href="/planning/partners/"' in logged_in(coordinator).get("/planning/").content.decode()


def test_a_coordinator_adds_a_partner_on_the_register_page(coordinator):
    client = logged_in(coordinator)
    bad = client.post("/planning/partners/", {"name": "Nieuw BV", "kvk_number": "00000000"})
    assert bad.status_code == 400
    assert "Dit is geen geldig KvK-nummer." in bad.content.decode()
    assert not Partner.objects.exists()
    good = client.post(
        "/planning/partners/",
        {"name": "Nieuw BV", "kvk_number": "11223344", "active": "on", "programme": ""},
    )
    partner = Partner.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/planning/partners/{partner.pk}/"
    assert partner.programme == coordinator.programmes.get()
    assert partner.history.get().history_user == coordinator


def test_the_partner_page_shows_visits_pupils_and_hours_and_edits(coordinator, partner, school):
    done = visit(school, pupils=(20,))
    services.participation_add(
        booking=done, partner=partner, kind="materials", hours=4, acting_user=coordinator
    )
    client = logged_in(coordinator)
    page = client.get(f"/planning/partners/{partner.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="partner-visits">1<' in html and 'id="partner-pupils">20<' in html
    assert 'id="partner-hours">4<' in html
    assert f"/planning/visits/{done.pk}/" in html
    saved = client.post(
        f"/planning/partners/{partner.pk}/",
        {"name": "Havenbouw BV", "kvk_number": "12345678", "sector": "Infra", "active": "on"},
    )
    assert saved.status_code == 302
    partner.refresh_from_db()
    assert partner.sector == "Infra"


def test_another_programmes_partner_page_is_a_404(coordinator, other_partner):
    client = logged_in(coordinator)
    assert client.get(f"/planning/partners/{other_partner.pk}/").status_code == 404
    assert client.post(f"/planning/partners/{other_partner.pk}/", {"name": "X"}).status_code == 404
    other_partner.refresh_from_db()
    assert other_partner.name == "IJsselmetaal"


def test_other_roles_are_refused_and_strangers_sent_to_log_in(
    crew_user, school_user, partner, booking
):
    for user in (crew_user, school_user):
        client = logged_in(user)
        assert client.get("/planning/partners/").status_code == 403
        assert client.get(f"/planning/partners/{partner.pk}/").status_code == 403
        assert client.get(f"/planning/visits/{booking.pk}/partners/").status_code == 403
    assert Client().get("/planning/partners/").status_code == 302


def test_the_visit_page_lists_partners_and_adds_one(coordinator, partner, booking, other_partner):
    client = logged_in(coordinator)
    page = client.get(f"/planning/visits/{booking.pk}/")
    assert page.status_code == 200
    assert f'href="/planning/visits/{booking.pk}/partners/"' in page.content.decode()
    form = client.get(f"/planning/visits/{booking.pk}/partners/")
    assert form.status_code == 200
    # Only the visit's programme's partners are offered; another's id is refused.
    assert "IJsselmetaal" not in form.content.decode()
    refused = client.post(
        f"/planning/visits/{booking.pk}/partners/",
        {"partner": other_partner.pk, "kind": "sponsor", "hours": "1"},
    )
    assert refused.status_code == 400 and not Participation.objects.exists()
    added = client.post(
        f"/planning/visits/{booking.pk}/partners/",
        {"partner": partner.pk, "kind": "guest_instructor", "hours": "2.5", "note": "Lassen"},
    )
    assert added.status_code == 302
    participation = Participation.objects.get()
    assert participation.hours == Decimal("2.5")
    html = client.get(f"/planning/visits/{booking.pk}/").content.decode()
    assert "Havenbouw BV" in html and "Gastdocent" in html
    removed = client.post(f"/planning/participations/{participation.pk}/remove/")
    assert removed.status_code == 302 and not Participation.objects.exists()


def test_another_programmes_visit_has_no_partner_form(coordinator, other_booking, other_partner):
    client = logged_in(coordinator)
    assert client.get(f"/planning/visits/{other_booking.pk}/partners/").status_code == 404
    theirs = services.participation_add(
        booking=other_booking, partner=other_partner, kind="sponsor", acting_user=None
    )
    assert client.post(f"/planning/participations/{theirs.pk}/remove/").status_code == 404
    assert Participation.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("count", [5, 50])
def test_the_register_page_query_count_does_not_grow(
    coordinator, django_assert_max_num_queries, count
):
    programme = coordinator.programmes.get()
    for n in range(count):
        services.partner_create(programme=programme, name=f"P{n:02d}", acting_user=coordinator)
    client = logged_in(coordinator)
    with django_assert_max_num_queries(11):
        assert client.get("/planning/partners/").status_code == 200


def test_the_partner_pages_are_available_in_english(coordinator, partner):
    client = logged_in(coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/planning/partners/").content.decode()
    assert "Add a partner" in html and "Partner toevoegen" not in html
    detail = client.get(f"/planning/partners/{partner.pk}/").content.decode()
    assert "Pupils reached" in detail and "Leerlingen bereikt" not in detail
