"""The crew tablet in a real browser: day sheet, packing by tick and scan, offline queue, check-in.

Chromium at 768×1024 against pytest-django's live server (see tests/pages/conftest.py).
"""

import re
import time

import pytest

from bookings.models import Booking
from bookings.packing.models import CheckAction, PackingLine
from inventory.models import Item
from tests.pages.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout=10.0, what="condition"):
    """Poll the database (not the page) until `predicate()` is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _progress(page):
    return page.locator("#progress-text")


def _expect_text(locator, pattern, timeout=10_000):
    from playwright.sync_api import expect

    expect(locator).to_have_text(re.compile(pattern), timeout=timeout)


def _packed_count(booking):
    return PackingLine.objects.filter(packing_list__booking=booking, packed=True).count()


def test_crew_packs_a_visit_online_and_offline_and_checks_it_in(
    browser_context, browser_page, live_server, crew_user, crew_visit
):
    page = browser_page
    from playwright.sync_api import expect

    login(page, live_server, crew_user.username, next_url="/crew/")

    # Day sheet: the visit with its school, contact and a link into the packing list.
    page.goto(f"{live_server.url}/crew/")
    card = page.locator(f".visit-card[data-booking='{crew_visit.id}']")
    expect(card).to_contain_text("Melanchthon Kralingen")
    expect(card).to_contain_text("Mevr. Jansen")
    expect(card.locator("a[href^='tel:']")).to_have_attribute("href", "tel:0612345678")
    expect(card.locator("a[href*='google.com/maps/dir']")).to_have_count(1)
    card.get_by_role("link", name="Paklijst & check-in").click()
    page.wait_for_url(f"**/crew/visits/{crew_visit.id}/")

    # 4 Blue-Bots + hygiene covers + first-aid kit.
    _expect_text(_progress(page), r"^0 van 6 ingepakt$")
    ticks = page.locator("button.tick[aria-checked=false]")
    ticks.nth(0).click()
    ticks.nth(0).click()  # the first one is now checked, so nth(0) is the next open line
    _expect_text(_progress(page), r"^2 van 6 ingepakt$")
    _wait_for(lambda: _packed_count(crew_visit) == 2, what="two ticked lines on the server")

    # A keyboard-wedge scanner types the tag and Enter: a spare Blue-Bot is swapped in.
    line_tags = set(
        PackingLine.objects.filter(
            packing_list__booking=crew_visit, item__isnull=False
        ).values_list("item__asset_tag", flat=True)
    )
    spare = sorted({f"BB-{n:03d}" for n in range(1, 7)} - line_tags)[0]
    page.fill("#scan-input", spare)
    page.press("#scan-input", "Enter")
    expect(page.locator("#message")).to_contain_text(spare)
    _expect_text(_progress(page), r"^3 van 6 ingepakt$")
    _wait_for(lambda: _packed_count(crew_visit) == 3, what="the scanned item on the server")
    assert PackingLine.objects.get(packing_list__booking=crew_visit, item__asset_tag=spare).packed

    # A defect item and an unknown tag are refused with a clear message.
    page.fill("#scan-input", "BB-DEF")
    page.press("#scan-input", "Enter")
    expect(page.locator("#message.error")).to_contain_text("BB-DEF")
    expect(page.locator("#message.error")).to_contain_text("defect")
    page.fill("#scan-input", "XX-999")
    page.press("#scan-input", "Enter")
    expect(page.locator("#message.error")).to_contain_text("Onbekend inventarisnummer")
    _expect_text(_progress(page), r"^3 van 6 ingepakt$")

    # Reload: the state came from the server.
    page.reload()
    _expect_text(_progress(page), r"^3 van 6 ingepakt$")
    expect(page.locator(".line.done")).to_have_count(3)
    screenshot(page, "crew-packing-768x1024")
    assert CheckAction.objects.filter(packing_list__booking=crew_visit).count() == 3

    # Offline: the page keeps working and counts what it has not sent.
    browser_context.set_offline(True)
    page.locator("button.tick[aria-checked=false]").nth(0).click()
    page.locator("button.tick[aria-checked=false]").nth(0).click()
    _expect_text(_progress(page), r"^5 van 6 ingepakt$")
    expect(page.locator("#tw-queue-banner")).to_contain_text("2 acties nog niet verstuurd")
    assert _packed_count(crew_visit) == 3

    # A reload without network still shows the list, with the unsent ticks.
    page.reload()
    _expect_text(_progress(page), r"^5 van 6 ingepakt$")
    expect(page.locator("#loaded-at")).to_contain_text("Offline: lijst van")
    expect(page.locator("#tw-queue-banner")).to_contain_text("2 acties nog niet verstuurd")
    screenshot(page, "crew-packing-offline-768x1024")
    assert _packed_count(crew_visit) == 3

    # Back online: both arrive, in order, exactly once.
    browser_context.set_offline(False)
    expect(page.locator("#tw-queue-banner")).to_be_hidden(timeout=15_000)
    _wait_for(lambda: _packed_count(crew_visit) == 5, what="the queued ticks on the server")
    actions = CheckAction.objects.filter(packing_list__booking=crew_visit)
    assert actions.count() == 5
    assert len(set(actions.values_list("client_id", flat=True))) == 5

    # A retry whose first answer was lost (same client_id sent again) changes nothing.
    last = actions.order_by("-id").first()
    page.evaluate(
        """([booking, url, clientId, line]) => {
            const box = JSON.parse(localStorage.getItem('tw:outbox:v1') || '[]');
            box.push({booking: booking, url: url, client_id: clientId,
                      body: {action: 'pack', line: line, client_id: clientId}});
            localStorage.setItem('tw:outbox:v1', JSON.stringify(box));
            return TW.queue.flush();
        }""",
        [
            crew_visit.id,
            f"/api/v1/bookings/{crew_visit.id}/packing-list/check/",
            str(last.client_id),
            last.line_id,
        ],
    )
    _wait_for(
        lambda: (
            page.evaluate("JSON.parse(localStorage.getItem('tw:outbox:v1') || '[]').length") == 0
        ),
        what="the retried action to leave the outbox",
    )
    assert CheckAction.objects.filter(packing_list__booking=crew_visit).count() == 5
    assert _packed_count(crew_visit) == 5

    # Pack the last line: the booking is packed; the crew arrive at the school.
    page.locator("button.tick[aria-checked=false]").nth(0).click()
    _expect_text(_progress(page), r"^6 van 6 ingepakt$")
    arrive = page.get_by_role("button", name="Aangekomen op locatie")
    expect(arrive).to_be_visible()
    arrive.click()
    expect(page.locator("#booking-status")).to_have_text("Op locatie")
    _wait_for(
        lambda: Booking.objects.get(pk=crew_visit.pk).status == Booking.Status.ON_SITE,
        what="the booking on site",
    )

    # Check-in: one Blue-Bot is missing, the rest is fine; 20 covers were used.
    page.get_by_role("tab", name="Check-in na bezoek").click()
    _expect_text(_progress(page), r"^0 van 6 gecontroleerd$")
    rows = page.locator(".line.ret")
    expect(rows).to_have_count(6)
    missing_row = rows.filter(has_text="BB-").first
    missing_tag = missing_row.locator(".tag").inner_text()
    missing_row.locator(".note").fill("Niet teruggevonden in lokaal 12")
    missing_row.get_by_role("button", name="Vermist").click()
    covers_row = rows.filter(has_text="Hygiënehoesjes")
    covers_row.locator(".used-qty").fill("20")
    for i in range(6):
        row = rows.nth(i)
        if "chosen" in (row.locator(".cond-missing").get_attribute("class") or ""):
            continue
        row.get_by_role("button", name="In orde").click()
    _expect_text(_progress(page), r"^6 van 6 gecontroleerd$")
    summary = page.locator("#return-summary")
    expect(summary).to_contain_text("Vermist (1)")
    expect(summary).to_contain_text(missing_tag)
    expect(summary).to_contain_text("Alles is gecontroleerd")
    expect(page.locator("#tw-queue-banner")).to_be_hidden(timeout=15_000)

    _wait_for(
        lambda: Item.objects.get(asset_tag=missing_tag).status == Item.Status.LOST,
        what="the missing item to be lost",
    )
    _wait_for(
        lambda: Booking.objects.get(pk=crew_visit.pk).status == Booking.Status.RETURNED,
        what="the booking returned",
    )
    covers_line = PackingLine.objects.get(packing_list__booking=crew_visit, kind="consumable")
    assert covers_line.used_quantity == 20
    screenshot(page, "crew-checkin-768x1024")


@pytest.mark.parametrize(
    "width,height",
    [(768, 1024), (1024, 768), (1280, 800), (800, 1280)],
    ids=["tablet-portrait", "tablet-landscape", "laptop-landscape", "laptop-portrait"],
)
def test_the_crew_pages_fit_the_screen_with_big_touch_targets(
    browser_page, live_server, crew_user, crew_visit, width, height
):
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, crew_user.username)
    for path, ready in [
        ("/crew/", f".visit-card[data-booking='{crew_visit.id}']"),
        (f"/crew/visits/{crew_visit.id}/", "button.tick"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator(ready).first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
        small = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                    'main button, main a.button, main input, main summary, .tick'))
                .filter(el => el.offsetParent !== null)
                .map(el => [el.textContent.trim() || el.name || el.className,
                            el.getBoundingClientRect().height])
                .filter(([, h]) => h < 44)"""
        )
        assert small == [], f"touch targets under 44 px: {small}"
        name = "day-sheet" if path == "/crew/" else "packing"
        screenshot(page, f"crew-{name}-{width}x{height}")


def test_a_new_crew_member_finds_and_packs_a_demo_visit(browser_page, live_server):
    """`make run` + `load_demo`: log in as crew, the day sheet leads to a visit that can be packed."""
    from django.core.management import call_command
    from playwright.sync_api import expect

    call_command("load_demo", verbosity=0)
    page = browser_page
    login(page, live_server, "crew", "techniek-demo", next_url="/crew/")
    page.goto(f"{live_server.url}/crew/")
    confirmed = page.locator(".visit-card", has=page.locator(".status-confirmed")).first
    expect(confirmed).to_be_visible()
    confirmed.get_by_role("link", name="Paklijst & check-in").click()
    _expect_text(_progress(page), r"^0 van \d+ ingepakt$")
    total = int(_progress(page).inner_text().split(" van ")[1].split()[0])
    assert total > 0
    page.locator("button.tick[aria-checked=false]").first.click()
    _expect_text(_progress(page), rf"^1 van {total} ingepakt$")
    expect(page.locator("#tw-queue-banner")).to_be_hidden()
    screenshot(page, "crew-demo-visit-768x1024")


def test_crew_report_a_defect_from_a_line(browser_page, live_server, crew_user, crew_visit):
    from playwright.sync_api import expect

    page = browser_page
    login(page, live_server, crew_user.username)
    page.goto(f"{live_server.url}/crew/visits/{crew_visit.id}/")
    _expect_text(_progress(page), r"^0 van 6 ingepakt$")
    row = page.locator(".line", has=page.locator(".tag")).first
    tag = row.locator(".tag").inner_text()
    row.locator("summary", has_text="Defect melden").click()
    row.locator(".defect-note").fill("Wiel zit los")
    row.get_by_role("button", name="Meld defect").click()
    expect(page.locator("#message")).to_contain_text(f"{tag} is als defect gemeld")
    item = Item.objects.get(asset_tag=tag)
    assert item.status == Item.Status.DEFECT
    latest = item.history.first()
    assert latest.history_change_reason == "defect gemeld: Wiel zit los"
    assert latest.history_user == crew_user
