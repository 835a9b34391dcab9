"""The crew tablet's outbox (static/crew/queue.js) around page loads, and the packing list's
re-rendering (static/crew/visit.js) while the crew type, in Chromium against the live server."""

import re
import time

import pytest

from bookings.models import Booking
from bookings.packing.models import CheckAction, PackingLine
from tests.pages.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTBOX_LENGTH = "JSON.parse(localStorage.getItem('tw:outbox:v1') || '[]').length"


def _wait_for(predicate, timeout=10.0, what="condition"):
    """Poll the database (not the page) until `predicate()` is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _packed(booking):
    return PackingLine.objects.filter(packing_list__booking=booking, packed=True).count()


def _open_visit(page, live_server, crew_user, booking):
    from playwright.sync_api import expect

    login(page, live_server, crew_user.username, next_url="/crew/")
    page.goto(f"{live_server.url}/crew/visits/{booking.id}/")
    expect(page.locator("#progress-text")).to_have_text("0 van 6 ingepakt")


def _queue_a_tick_offline(browser_context, page):
    from playwright.sync_api import expect

    browser_context.set_offline(True)
    page.locator("button.tick[aria-checked=false]").first.click()
    expect(page.locator("#tw-queue-banner")).to_contain_text("1 actie nog niet verstuurd")


def test_a_page_that_is_being_left_starts_no_send(browser_page, live_server, crew_user, crew_visit):
    """Between `beforeunload` and the next page the outbox sends nothing: the answer would be lost
    with the page, leaving the action queued although the server applied it."""
    from playwright.sync_api import expect

    page = browser_page
    _open_visit(page, live_server, crew_user, crew_visit)
    line = PackingLine.objects.filter(packing_list__booking=crew_visit, kind="item").first()
    # A queued tick, and then what the 'online' handler does when Chromium reports "online" to a
    # page that is unloading.
    page.evaluate(
        """([booking, url, line]) => {
            const id = TW.uuid();
            localStorage.setItem("tw:outbox:v1", JSON.stringify([{booking: booking, url: url,
                client_id: id, body: {action: "pack", line: line, client_id: id}}]));
            window.dispatchEvent(new Event("beforeunload"));
            return TW.queue.flush();
        }""",
        [crew_visit.id, f"/api/v1/bookings/{crew_visit.id}/packing-list/check/", line.id],
    )
    assert page.evaluate(OUTBOX_LENGTH) == 1
    assert not CheckAction.objects.exists()

    # The navigation did not happen after all: the next tap sends it, once.
    page.locator("#scan-input").click()
    _wait_for(lambda: page.evaluate(OUTBOX_LENGTH) == 0, what="the outbox to empty")
    expect(page.locator("#tw-queue-banner")).to_be_hidden()
    assert _packed(crew_visit) == 1
    assert CheckAction.objects.count() == 1


def test_reloading_without_network_sends_nothing_until_the_network_is_back(
    browser_context, browser_page, live_server, crew_user, crew_visit
):
    """Chromium's offline emulation says "online" to the outgoing page of a reload now and then;
    none of those moments may deliver the queued tick."""
    from playwright.sync_api import expect

    page = browser_page
    _open_visit(page, live_server, crew_user, crew_visit)
    page.reload()  # the service worker now controls the page and has it cached
    expect(page.locator("#progress-text")).to_have_text("0 van 6 ingepakt")
    _queue_a_tick_offline(browser_context, page)
    for _ in range(15):
        page.reload()
        expect(page.locator("#loaded-at")).to_contain_text("Offline: lijst van")
        expect(page.locator("#progress-text")).to_have_text("1 van 6 ingepakt")
        expect(page.locator("#tw-queue-banner")).to_contain_text("1 actie nog niet verstuurd")
        assert not CheckAction.objects.exists()

    browser_context.set_offline(False)
    expect(page.locator("#tw-queue-banner")).to_be_hidden(timeout=15_000)
    _wait_for(lambda: _packed(crew_visit) == 1, what="the queued tick on the server")
    assert CheckAction.objects.count() == 1


def test_an_answer_for_another_line_does_not_interrupt_typing(
    browser_page, live_server, crew_user, crew_visit
):
    """The used quantity being typed keeps its focus and text while another line's answer
    re-renders the list."""
    from playwright.sync_api import expect

    page = browser_page
    _open_visit(page, live_server, crew_user, crew_visit)
    for _ in range(6):
        page.locator("button.tick[aria-checked=false]").first.click()
    expect(page.locator("#progress-text")).to_have_text("6 van 6 ingepakt")
    page.get_by_role("button", name="Aangekomen op locatie").click()
    _wait_for(
        lambda: Booking.objects.get(pk=crew_visit.pk).status == Booking.Status.ON_SITE,
        what="the booking on site",
    )
    page.get_by_role("tab", name="Check-in na bezoek").click()
    expect(page.locator("#progress-text")).to_have_text("0 van 6 gecontroleerd")

    used = page.locator(".line.ret", has_text="Hygiënehoesjes").locator(".used-qty")
    used.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    other = PackingLine.objects.filter(packing_list__booking=crew_visit, kind="item").first()
    # A check of an item goes through the outbox; its answer re-renders the list.
    page.evaluate(
        """([booking, url, line]) => { TW.queue.enqueue({booking: booking, url: url,
              body: {action: "return", line: line, condition: "ok"}}); }""",
        [crew_visit.id, f"/api/v1/bookings/{crew_visit.id}/packing-list/check/", other.id],
    )
    expect(page.locator(f".line.ret[data-line='{other.id}']")).to_have_class(re.compile("c-ok"))
    expect(page.locator("#progress-text")).to_have_text("1 van 6 gecontroleerd")
    page.keyboard.type("0")
    expect(used).to_have_value("20")
    expect(used).to_be_focused()
