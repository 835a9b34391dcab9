"""Fixtures that build on each other: users per role, API clients per role, a school each."""

from contextlib import contextmanager

import pytest
from rest_framework.test import APIClient

from tests.factories import SchoolFactory, make_user


@pytest.fixture(autouse=True, scope="session")
def _locmem_email(django_test_environment):
    """E-mail goes to `mail.outbox`: Django's test environment sets it once for the session (a
    test that changes it uses the `settings` fixture, which puts it back). Not set again per test:
    every settings change empties per-process caches such as the API schema's."""
    from django.conf import settings

    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _dutch_first():
    """Every test starts in Dutch: a request in English activates English for the thread, and in
    random order the next test (one that renders without a request) would inherit it."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.deactivate()


def _world_object(request, name: str):
    """The module's shared matrix world's object of this fixture name, or None when the test
    does not use the world (see `matrix_world`)."""
    if "matrix_world" not in request.fixturenames:
        return None
    return request.getfixturevalue("matrix_world")["fixtures"][name]


def _make(name: str, made: dict):
    """Build the object behind one of the fixtures below (`made` holds those it builds on)."""
    if name == "school":
        return SchoolFactory(name="Melanchthon Kralingen", brin="01AB00")
    if name == "other_school":
        return SchoolFactory(name="Vak College Hillegersberg", brin="02CD00")
    if name == "coordinator":
        return make_user("coord", "coordinator")
    if name == "crew_user":
        return make_user("crewmember", "crew")
    if name == "school_user":
        return make_user("teacher", "school", school=made["school"])
    return make_user("stranger", "school", school=made["other_school"])  # other_school_user


@pytest.fixture
def school(request, db):
    return _world_object(request, "school") or _make("school", {})


@pytest.fixture
def other_school(request, db):
    return _world_object(request, "other_school") or _make("other_school", {})


@pytest.fixture
def coordinator(request, db):
    return _world_object(request, "coordinator") or _make("coordinator", {})


@pytest.fixture
def crew_user(request, db):
    return _world_object(request, "crew_user") or _make("crew_user", {})


@pytest.fixture
def school_user(request, school):
    return _world_object(request, "school_user") or _make("school_user", {"school": school})


@pytest.fixture
def other_school_user(request, other_school):
    made = {"other_school": other_school}
    return _world_object(request, "other_school_user") or _make("other_school_user", made)


FIXTURE_OBJECTS = (
    "school",
    "other_school",
    "coordinator",
    "crew_user",
    "school_user",
    "other_school_user",
)


@contextmanager
def module_world(django_db_blocker):
    """Rows built in here live until the block ends, then are rolled back: a module-scoped
    fixture builds its world in here once, and each test (pytest-django's `db`) runs in a
    savepoint inside it, so what a test writes is gone before the next one — Django's
    `TestCase.setUpTestData`, for pytest."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as Django's TestCase marks its own (durable checks)
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The permission matrix's objects (tests/matrix/), built once per test module.

    Built in a `module_world`. Tests take a deep copy of the context
    (`matrix_context`), so an object one test changes in memory is fresh for the next. The role
    fixtures above (`school`, `coordinator`, ...) return the world's objects in such a module.
    """
    from django.test import override_settings

    from tests.matrix import build_all

    media = tmp_path_factory.mktemp("matrix-media")  # the defect photo the pages rows open
    with module_world(django_db_blocker), override_settings(MEDIA_ROOT=media):
        made: dict = {}
        for name in FIXTURE_OBJECTS:
            made[name] = _make(name, made)
        ctx = {
            "school_obj": made["school"],
            "school": made["school"].id,
            "other_school_obj": made["other_school"],
            "other_school": made["other_school"].id,
        }
        yield {"fixtures": made, "ctx": build_all(ctx)}


DEMO_NOW = "2026-11-21T09:00:00+00:00"  # the demo tests' clock


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """`manage.py load_demo` run once per test module (at DEMO_NOW) in a `module_world`; each
    test sees the loaded demo and what it changes is rolled back. Yields what the command
    printed."""
    import datetime as dt
    from io import StringIO

    import time_machine
    from django.core.management import call_command

    out = StringIO()
    with module_world(django_db_blocker):
        with time_machine.travel(dt.datetime.fromisoformat(DEMO_NOW), tick=False):
            call_command("load_demo", stdout=out)
        yield out.getvalue()


@pytest.fixture
def demo_loaded(demo_world, db):
    """The demo, loaded (once for the module: `demo_world`); the command's output."""
    return demo_world


@pytest.fixture
def matrix_context(matrix_world, db):
    """A fresh copy of the module's matrix context (ids and objects by name)."""
    import copy

    return copy.deepcopy(matrix_world["ctx"])


def _client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def coordinator_client(coordinator):
    return _client_for(coordinator)


@pytest.fixture
def crew_client(crew_user):
    return _client_for(crew_user)


@pytest.fixture
def school_client(school_user):
    return _client_for(school_user)


@pytest.fixture
def other_school_client(other_school_user):
    return _client_for(other_school_user)


@pytest.fixture
def client_for(coordinator_client, crew_client, school_client, other_school_client, anon_client):
    """role name → API client: coordinator, crew, school, other_school, anon."""
    return {
        "coordinator": coordinator_client,
        "crew": crew_client,
        "school": school_client,
        "other_school": other_school_client,
        "anon": anon_client,
    }


class PlaywrightDriver:
    """Playwright's driver, started once per test process (starting it takes ~1.5 s), and one
    Chromium, launched on first use (again if it crashed); each browser test gets its own browser
    context, so no cookie, storage or cache passes from one test to the next.

    Playwright's sync API keeps its asyncio loop marked as running on this thread from start to
    stop, and Django refuses ORM calls on a thread with a running loop ("async-unsafe"). The mark
    is set only while a browser test runs (`active`, the `playwright_on` fixture) and cleared in
    between, so every other test runs with Django's check as if no browser had ever started."""

    def __init__(self):
        import asyncio

        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self._loop = asyncio.events._get_running_loop()
        asyncio.events._set_running_loop(None)
        self._browser = None

    @contextmanager
    def active(self):
        import asyncio

        previous = asyncio.events._get_running_loop()
        asyncio.events._set_running_loop(self._loop)
        try:
            yield self
        finally:
            asyncio.events._set_running_loop(previous)

    def launch(self, extra_args=()):
        """A Chromium of its own (e.g. with a fake camera); the caller closes it."""
        from tests.pages.conftest import CHROMIUM, CHROMIUM_ARGS

        return self.playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args]
        )

    def browser(self):
        """The shared Chromium."""
        if self._browser is None or not self._browser.is_connected():
            self._browser = self.launch()
        return self._browser

    def close_contexts(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            for context in self._browser.contexts:
                context.close()

    def stop(self) -> None:
        with self.active():
            if self._browser is not None and self._browser.is_connected():
                self._browser.close()
            self.playwright.stop()


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright driver per test process (`PlaywrightDriver`); use `playwright_on`."""
    driver = PlaywrightDriver()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture
def playwright_on(request, monkeypatch):
    """The process's Playwright driver, active for this browser test; the contexts it opened in
    the shared Chromium are closed after it. The test's own ORM calls (fixtures, assertions) run
    while Playwright's loop is marked, so Django's async-unsafe check is relaxed for the test."""
    import shutil

    from tests.pages.conftest import CHROMIUM

    if not shutil.which(CHROMIUM):
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    driver = request.getfixturevalue("playwright_driver")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with driver.active():
        try:
            yield driver
        finally:
            driver.close_contexts()


FUZZ_FILE = "tests/test_schema_fuzz.py"
FUZZ_TEST = "test_api_never_answers_5xx"  # its operations are split by the fuzz module itself


def fuzz_shard() -> tuple[int, int] | None:
    """TW_FUZZ_SHARD=i/n: this process runs the i-th of n shards of the fuzz module (`make test`
    runs them side by side, each in its own process and database; schemathesis' cases do not run
    on xdist workers). None (everything runs) when unset."""
    import os

    shard = os.environ.get("TW_FUZZ_SHARD", "")
    if not shard:
        return None
    index, count = (int(part) for part in shard.split("/"))
    return index, count


def _fuzz_shard(config, items) -> None:
    """Keep every n-th test of the fuzz module, from the i-th (`fuzz_shard`). The fuzzed
    operations themselves are split before collection (tests/test_schema_fuzz.py), so that no
    process builds the cases of another shard's operations."""
    shard = fuzz_shard()
    if shard is None:
        return
    index, count = shard
    in_module = [item for item in items if item.nodeid.startswith(FUZZ_FILE)]
    # By name, not by position: pytest-randomly has already shuffled the items, with a seed of
    # its own in each shard's process.
    fuzz = sorted(
        (item for item in in_module if item.name.partition("[")[0] != FUZZ_TEST),
        key=lambda item: item.nodeid,
    )
    if in_module and len(fuzz) == len(in_module):
        raise pytest.UsageError(f"{FUZZ_FILE} has no {FUZZ_TEST}: update FUZZ_TEST")
    dropped = {id(item) for position, item in enumerate(fuzz) if position % count != index}
    if dropped:
        config.hook.pytest_deselected(items=[item for item in items if id(item) in dropped])
        items[:] = [item for item in items if id(item) not in dropped]


def pytest_collection_modifyitems(config, items):
    """Skip marked tests with a clear reason where their database or browser is absent."""
    _fuzz_shard(config, items)
    import shutil

    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    on_postgres = "postgresql" in engine
    has_chromium = shutil.which("chromium") is not None or shutil.which("/usr/bin/chromium")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI does)"
                )
            )
        if "sqlite" in item.keywords and on_postgres:
            item.add_marker(pytest.mark.skip(reason="file-based SQLite only (CI's SQLite pass)"))
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
                )
            )
