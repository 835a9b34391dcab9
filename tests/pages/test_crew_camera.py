"""Camera scanning on the wagon-day page, in Chromium with a fake camera whose video is a QR code
made in the test: the right line is ticked, offline included, and exactly once on the server.

Headless Chromium on Linux has no BarcodeDetector, so this runs the vendored WebAssembly decoder
(static/vendor/zxing-wasm).
"""

import datetime as dt

import pytest

from bookings.models import Booking
from bookings.packing.models import CheckAction, PackingLine, WagonDayAction
from tests.pages.conftest import TABLET_VIEWPORT, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
segno = pytest.importorskip("segno")

OUTBOX_LENGTH = "JSON.parse(localStorage.getItem('tw:outbox:v1') || '[]').length"
WIDTH, HEIGHT, FRAMES = 640, 480, 5


def write_y4m(path, text: str) -> None:
    """A few grey-scale YUV 4:2:0 frames showing `text` as a QR code (Chromium loops the file)."""
    from PIL import Image

    qr = segno.make_qr(text, error="m")
    size = HEIGHT - 80
    scale = max(1, size // qr.symbol_size(border=4)[0])
    matrix = list(qr.matrix_iter(scale=scale, border=4))
    code = Image.new("L", (len(matrix[0]), len(matrix)))
    code.putdata([0 if dark else 255 for row in matrix for dark in row])
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(code, ((WIDTH - code.width) // 2, (HEIGHT - code.height) // 2))
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


@pytest.fixture
def camera_context(tmp_path, playwright_on):
    """A Chromium of its own, whose camera shows a QR code for VR-003."""
    video = tmp_path / "qr.y4m"
    write_y4m(video, "VR-003")
    browser = playwright_on.launch(
        [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ]
    )
    context = browser.new_context(viewport=TABLET_VIEWPORT, locale="nl-NL")
    context.grant_permissions(["camera"])
    context.set_default_timeout(20_000)
    try:
        yield context
    finally:
        context.close()
        browser.close()


@pytest.fixture
def vr_day(db):
    from django.utils import timezone

    from bookings.packing.services import packing_list_follow
    from tests.factories import (
        BookingFactory,
        BookingSessionFactory,
        DepotFactory,
        ItemFactory,
        KitRuleFactory,
        KitTypeFactory,
        SchoolFactory,
        WagonFactory,
        WorkshopFactory,
    )

    depot = DepotFactory(name="Depot Rotterdam")
    wagon = WagonFactory(name="Techniekwagen Rotterdam-Noord", plate="VZ-123-T", depot=depot)
    vr = KitTypeFactory(name="VR-bril", storage_location="V1", needs_charging=True)
    for n in range(1, 6):
        ItemFactory(asset_tag=f"VR-{n:03d}", kit_type=vr, depot=depot)
    workshop = WorkshopFactory(name="VR-beroepenexpeditie", duration_minutes=60)
    KitRuleFactory(workshop=workshop, kit_type=vr, per_pupils=None, fixed=2)
    day = timezone.localdate() + dt.timedelta(days=1)
    bookings = []
    for index, name in enumerate(["Melanchthon Kralingen", "Vak College Hillegersberg"]):
        booking = BookingFactory(
            school=SchoolFactory(name=name, depot=depot),
            wagon=wagon,
            date=day,
            status=Booking.Status.CONFIRMED,
        )
        BookingSessionFactory(
            booking=booking, workshop=workshop, pupils=20, start_time=dt.time(9 + 3 * index, 0)
        )
        packing_list_follow(booking=booking)
        bookings.append(booking)
    return wagon, day, vr, bookings


def test_the_camera_ticks_the_right_line_offline_and_exactly_once(
    camera_context, live_server, crew_user, vr_day
):
    from playwright.sync_api import expect

    wagon, day, vr, bookings = vr_day
    page = camera_context.new_page()
    login(page, live_server, crew_user.username, next_url="/crew/")
    page.goto(f"{live_server.url}/crew/days/{wagon.pk}/{day.isoformat()}/")
    packed = page.locator(f"#kit-{vr.pk} .kit-packed")
    expect(packed).to_have_text("0")

    camera_context.set_offline(True)
    page.click("#camera-btn")
    expect(page.locator("html")).to_have_attribute("data-camera", "on")
    # Read while offline: the action waits in the outbox.
    page.wait_for_function(f"() => {OUTBOX_LENGTH} === 1")
    expect(page.locator("#camera-status")).to_contain_text("VR-003")
    assert page.locator("html").get_attribute("data-decoder") in ("wasm", "native")
    assert not PackingLine.objects.filter(packed=True).exists()

    camera_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(packed).to_have_text("1")
    page.wait_for_function(f"() => {OUTBOX_LENGTH} === 0")
    page.click("#camera-btn")
    expect(page.locator("html")).not_to_have_attribute("data-camera", "on")
    # The same tag again (here typed, as a keyboard-wedge scanner does) sends nothing.
    page.fill("#scan-input", "vr-003")
    page.press("#scan-input", "Enter")
    expect(page.locator("#message")).to_contain_text("al ingepakt")
    assert page.evaluate(f"() => {OUTBOX_LENGTH}") == 0

    lines = PackingLine.objects.filter(packed=True)
    assert {line.item.asset_tag for line in lines} == {"VR-003"}
    assert sorted(line.packing_list.booking_id for line in lines) == sorted(b.pk for b in bookings)
    assert WagonDayAction.objects.count() == 1
    assert CheckAction.objects.count() == 2  # one per stop


def test_the_camera_stops_when_the_page_is_hidden(camera_context, live_server, crew_user, vr_day):
    from playwright.sync_api import expect

    wagon, day, _vr, _bookings = vr_day
    page = camera_context.new_page()
    login(page, live_server, crew_user.username, next_url="/crew/")
    page.goto(f"{live_server.url}/crew/days/{wagon.pk}/{day.isoformat()}/")
    page.click("#camera-btn")
    expect(page.locator("html")).to_have_attribute("data-camera", "on")
    page.evaluate(
        """() => {
            Object.defineProperty(document, 'hidden', {value: true, configurable: true});
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    expect(page.locator("html")).not_to_have_attribute("data-camera", "on")
    assert page.evaluate("document.getElementById('camera-video').srcObject === null")


@pytest.mark.parametrize("width,height", [(768, 1024), (390, 844)])
def test_the_wagon_day_page_fits_the_screen_with_big_touch_targets(
    camera_context, live_server, crew_user, vr_day, width, height
):
    import uuid

    from playwright.sync_api import expect

    from bookings.packing.wagon_day import wagon_day_check

    wagon, day, vr, _bookings = vr_day
    wagon_day_check(
        wagon=wagon, date=day, action="pack", client_id=uuid.uuid4(), asset_tag="VR-001"
    )
    page = camera_context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, crew_user.username, next_url="/crew/")
    page.goto(f"{live_server.url}/crew/days/{wagon.pk}/{day.isoformat()}/")
    expect(page.locator(f"#kit-{vr.pk} button.charge")).to_be_visible()
    expect(page.locator("#return-items select[name=condition]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll(
                'main button, main a.button, main input, main select'))
            .filter(el => el.offsetParent !== null)
            .map(el => [el.textContent.trim() || el.name || el.id,
                        el.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)"""
    )
    assert small == [], f"touch targets under 44 px: {small}"
