"""Playwright helpers for page tests: Debian's Chromium at a tablet-sized viewport.

Use with `@pytest.mark.browser` and `@pytest.mark.django_db(transaction=True)` plus pytest-django's
`live_server`:

    def test_x(browser_page, live_server, crew_user):
        login(browser_page, live_server, "crewmember", PASSWORD)
"""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET_VIEWPORT = {"width": 768, "height": 1024}
# The password tests.factories.make_user gives every user.
PASSWORD = "pw-test-123"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser_context(playwright_on):
    """A fresh Chromium browser context (768×1024) in the process's shared Chromium
    (tests/conftest.py `PlaywrightDriver`); closed after the test."""
    context = playwright_on.browser().new_context(viewport=TABLET_VIEWPORT, locale="nl-NL")
    context.set_default_timeout(10_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def browser_page(browser_context):
    """A page in a 768×1024 Chromium context."""
    return browser_context.new_page()


def login(page, live_server, username, password=PASSWORD, next_url="/"):
    """Log in through the real login form; returns after the redirect."""
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "/accounts/login/" not in page.url, f"login as {username!r} failed"


def screenshot(page, name):
    """Save a full-page screenshot under test-artifacts/ (gitignored); returns the path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def crew_visit(db):
    """A confirmed visit tomorrow with a packing list to work through:
    4 Blue-Bots (of 6 available, plus one defect), 1 consumable line, 1 standard-equipment line."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from bookings.models import Booking
    from tests.factories import (
        BookingFactory,
        BookingSessionFactory,
        ConsumableFactory,
        ConsumableRuleFactory,
        DepotFactory,
        ItemFactory,
        KitRuleFactory,
        KitTypeFactory,
        SchoolFactory,
        StandardEquipmentFactory,
        WagonFactory,
        WorkshopFactory,
    )

    depot = DepotFactory(name="Depot Rotterdam")
    wagon = WagonFactory(name="Techniekwagen Rotterdam-Noord", plate="VZ-123-T", depot=depot)
    school = SchoolFactory(
        name="Melanchthon Kralingen",
        depot=depot,
        contact_phone="010 123 45 67",
        site_notes="Parkeren op het schoolplein; stopcontact bij de gymzaal.",
    )
    bluebot = KitTypeFactory(name="Blue-Bot", storage_location="R1")
    for n in range(1, 7):
        ItemFactory(asset_tag=f"BB-{n:03d}", kit_type=bluebot, depot=depot)
    ItemFactory(asset_tag="BB-DEF", kit_type=bluebot, depot=depot, status="defect")
    covers = ConsumableFactory(name="Hygiënehoesjes", unit="stuks", stock=Decimal("500"))
    StandardEquipmentFactory(name="EHBO-koffer", quantity=1)
    workshop = WorkshopFactory(name="Blue-Bot programmeren", duration_minutes=60)
    KitRuleFactory(workshop=workshop, kit_type=bluebot, per_pupils=6, fixed=None)
    ConsumableRuleFactory(workshop=workshop, consumable=covers, per_pupil=Decimal("1"))
    booking = BookingFactory(
        school=school,
        wagon=wagon,
        date=timezone.localdate() + dt.timedelta(days=1),
        status=Booking.Status.CONFIRMED,
        contact_name="Mevr. Jansen",
        contact_phone="06-12345678",
        site_notes="Lokaal 12, eerste verdieping.",
    )
    BookingSessionFactory(
        booking=booking,
        workshop=workshop,
        pupils=24,
        start_time=dt.time(9, 0),
        group_label="groep 5a",
    )
    # Confirming builds the list (bookings.packing); this fixture writes the rows directly.
    from bookings.packing.services import packing_list_follow

    packing_list_follow(booking=booking)
    return booking
