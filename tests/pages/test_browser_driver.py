"""The shared Playwright driver (tests/conftest.py `PlaywrightDriver`): its asyncio loop is marked
running on the thread only while a browser test runs, so Django's async-unsafe check holds for
every other test in the process."""

import asyncio

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SynchronousOnlyOperation

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_loop_is_marked_only_while_the_driver_is_active(playwright_driver, monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    users = get_user_model().objects
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    users.count()  # Django sees no loop
    with playwright_driver.active():
        asyncio.get_running_loop()
        with pytest.raises(SynchronousOnlyOperation):
            users.count()
        context = playwright_driver.browser().new_context()
        page = context.new_page()
        page.set_content("<p>klaar</p>")
        assert page.inner_text("p") == "klaar"
        context.close()
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    users.count()
