"""Reading settings from the environment, failing loudly on values we cannot use."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number.") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


_RATE_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as `600/hour` (periods: second, minute, hour, day)."""
    value = os.environ.get(name, default).strip()
    count, _, period = value.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in _RATE_PERIODS:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate; use e.g. 600/hour (per second, minute, hour or day)."
        )
    return value


def database_config(url: str, base_dir, *, conn_max_age: int = 600) -> dict:
    """Turn DATABASE_URL into Django's DATABASES entry; SQLite gets safe concurrency options.

    PostgreSQL keeps its connection for `conn_max_age` seconds (a new connection per request
    costs more than the request itself) and checks it before reuse, so a database restart
    costs one reconnect instead of a 500. SQLite opens a file: nothing to keep."""
    import dj_database_url

    if not url:
        url = f"sqlite:///{base_dir / 'db.sqlite3'}"
    if not url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme not supported: {url.split(':', 1)[0]!r} (use sqlite or postgres)."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except Exception as exc:  # dj_database_url raises several types on garbage
        raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = conn_max_age
        config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so racing writers wait (busy timeout)
        # instead of failing with "database is locked" on lock upgrade.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


def email_config(url: str) -> dict:
    """EMAIL_URL: console:// (default), locmem://, smtp://user:pass@host:port, smtps://..."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    scheme = parsed.scheme
    try:
        port = parsed.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL {url!r} has an invalid port.") from exc
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "dummy":
        return {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    if scheme in {"smtp", "smtps", "submission"}:
        if not parsed.hostname:
            raise ImproperlyConfigured(f"EMAIL_URL {url!r} has no host.")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname,
            "EMAIL_PORT": port or (465 if scheme == "smtps" else 587),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": scheme in {"smtp", "submission"} and port != 25,
        }
    raise ImproperlyConfigured(f"EMAIL_URL scheme not supported: {scheme!r}.")


TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_config(name: str) -> dict:
    """TW_TASKS_BACKEND: db (default; the project's own database), rq (Redis at TW_REDIS_URL) or
    immediate (runs a task inside the caller; tests and one-off scripts)."""
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"TW_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {name!r}."
        )
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}
