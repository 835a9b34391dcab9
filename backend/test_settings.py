"""Settings for the test suite: production settings with the dev secret allowed and no HTTPS."""

import os

os.environ.setdefault("TW_ALLOW_DEV_SECRET", "1")
# Tasks run inside the caller in tests, deterministically; worker tests pick their backend.
os.environ.setdefault("TW_TASKS_BACKEND", "immediate")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Tests write far more than any person; tests/test_throttle.py lowers the rate to see it work.
os.environ.setdefault("TW_WRITE_RATE_STAFF", "100000/hour")
os.environ.setdefault("TW_WRITE_RATE_SCHOOL", "100000/hour")
# Planning jobs run inside the request that starts them, so a test reads the result at once;
# tests/routes/test_plan_jobs.py covers the queued (task worker) and pooled runs.
os.environ.setdefault("TW_PLAN_JOBS", "inline")

from backend.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Test processes running at once (`make test` runs the fuzz test's shards side by side) each need
# their own database: TW_TEST_DB_SUFFIX names it (xdist workers get pytest-django's own suffix).
_suffix = os.environ.get("TW_TEST_DB_SUFFIX", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not :memory:, so threads in concurrency tests share one database as in production.
    _name = os.environ.get("TW_TEST_DB", str(BASE_DIR / ".test-db.sqlite3"))  # noqa: F405
    if _suffix:
        _name = f"{_name.removesuffix('.sqlite3')}-{_suffix}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": _name}  # noqa: F405
elif _suffix:
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}_{_suffix}"  # noqa: F405
    }

# pytest-django runs the tests with DEBUG off, yet with DEBUG=1 in the environment WhiteNoise would
# still list every static file through the finders, again for each test client (~55 ms a client,
# half the time of a run). No test fetches a static file through the test client (live_server
# serves them itself), so the tests use what production does: STATIC_ROOT only.
WHITENOISE_USE_FINDERS = False
