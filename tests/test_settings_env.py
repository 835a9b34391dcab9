"""Settings come from the environment and fail loudly on values we cannot use."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.core.env import (
    database_config,
    email_config,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_rate,
)

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    # The production settings documented in README.md.
    "DEBUG": "0",
    "SECRET_KEY": "prod-3f9a8c1d7e6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0",
    "ALLOWED_HOSTS": "techniekwagen.example.nl",
    "CSRF_TRUSTED_ORIGINS": "https://techniekwagen.example.nl",
    "SITE_URL": "https://techniekwagen.example.nl",
    "EMAIL_URL": "smtp://planning%40example.nl:geheim@smtp.example.nl:587",
}


# --- the helper ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [("1", True), ("true", True), ("On", True), ("0", False), ("no", False), ("", False)],
)
def test_env_bool_reads_common_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("TW_FLAG", value)
    assert env_bool("TW_FLAG", not expected) is expected


@pytest.mark.parametrize("value", ["maybe", "2", "yes please", "tru"])
def test_env_bool_refuses_garbage(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("TW_FLAG", raising=False)
    assert env_bool("TW_FLAG", True) is True


def test_env_rate(monkeypatch):
    monkeypatch.delenv("TW_WRITE_RATE_SCHOOL", raising=False)
    assert env_rate("TW_WRITE_RATE_SCHOOL", "120/hour") == "120/hour"
    monkeypatch.setenv("TW_WRITE_RATE_SCHOOL", "30/min")
    assert env_rate("TW_WRITE_RATE_SCHOOL", "120/hour") == "30/min"
    for bad in ("120", "0/hour", "lots/hour", "120/week", "-5/day"):
        monkeypatch.setenv("TW_WRITE_RATE_SCHOOL", bad)
        with pytest.raises(ImproperlyConfigured, match="TW_WRITE_RATE_SCHOOL"):
            env_rate("TW_WRITE_RATE_SCHOOL", "120/hour")


def test_env_int_and_float(monkeypatch):
    monkeypatch.setenv("TW_LEAD_TIME_DAYS", "12")
    assert env_int("TW_LEAD_TIME_DAYS", 10, minimum=0) == 12
    monkeypatch.setenv("TW_LEAD_TIME_DAYS", "ten")
    with pytest.raises(ImproperlyConfigured, match="TW_LEAD_TIME_DAYS"):
        env_int("TW_LEAD_TIME_DAYS", 10)
    monkeypatch.setenv("TW_LEAD_TIME_DAYS", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("TW_LEAD_TIME_DAYS", 10, minimum=0)
    monkeypatch.setenv("TW_ROAD_FACTOR", "0.5")
    with pytest.raises(ImproperlyConfigured, match="TW_ROAD_FACTOR"):
        env_float("TW_ROAD_FACTOR", 1.35, minimum=1.0)
    monkeypatch.setenv("TW_ROAD_FACTOR", "x")
    with pytest.raises(ImproperlyConfigured, match="TW_ROAD_FACTOR"):
        env_float("TW_ROAD_FACTOR", 1.35)


def test_env_list(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.nl, ,b.nl ")
    assert env_list("ALLOWED_HOSTS", []) == ["a.nl", "b.nl"]


def test_database_url_default_is_sqlite_file_with_immediate_transactions(tmp_path):
    config = database_config("", tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5


def test_database_url_postgres(tmp_path):
    config = database_config("postgres://tw:geheim@db.example.nl:5433/techniekwagen", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == (
        "db.example.nl",
        5433,
        "techniekwagen",
    )
    assert config["USER"] == "tw" and config["PASSWORD"] == "geheim"


def test_postgres_keeps_its_connections_and_checks_them_before_reuse(tmp_path):
    config = database_config("postgres://tw@db.example.nl/techniekwagen", tmp_path)
    assert config["CONN_MAX_AGE"] == 600 and config["CONN_HEALTH_CHECKS"] is True
    short = database_config("postgres://tw@db/techniekwagen", tmp_path, conn_max_age=0)
    assert short["CONN_MAX_AGE"] == 0


def test_sqlite_opens_a_file_per_request_as_before(tmp_path):
    assert database_config("", tmp_path)["CONN_MAX_AGE"] == 0


def test_the_settings_read_db_conn_max_age(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    env = {
        **PRODUCTION_ENV,
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DATABASE_URL": "postgres://tw@db.example.nl/techniekwagen",
        "DB_CONN_MAX_AGE": "120",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "120", out.stderr[-1000:]


@pytest.mark.parametrize(
    "url", ["mysql://u:p@h/db", "nonsense", "postgres://u:p@h:notaport/db", "http://x"]
)
def test_bad_database_url_fails_loudly(tmp_path, url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_config(url, tmp_path)


def test_email_urls():
    assert email_config("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = email_config("smtp://planning%40example.nl:geh%3Aeim@smtp.example.nl:587")
    assert smtp["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert smtp["EMAIL_HOST"] == "smtp.example.nl"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "planning@example.nl"
    assert smtp["EMAIL_HOST_PASSWORD"] == "geh:eim"
    assert smtp["EMAIL_USE_TLS"] is True
    smtps = email_config("smtps://u:p@smtp.example.nl")
    assert smtps["EMAIL_PORT"] == 465 and smtps["EMAIL_USE_SSL"] is True


@pytest.mark.parametrize(
    "url", ["smtp://", "ftp://mail.example.nl", "mail.example.nl", "smtp://u:p@h:notaport"]
)
def test_bad_email_url_fails_loudly(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_config(url)


# --- the settings module in a fresh process -------------------------------------------------


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "TW_", "DEBUG", "SECURE_"))
    }
    clean.pop("DATABASE_URL", None)
    clean.pop("SECRET_KEY", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run(
        ["-c", "import django; from django.conf import settings; django.setup(); print('ok')"],
        {"DJANGO_SETTINGS_MODULE": "backend.settings", **env},
    )


def test_debug_off_with_dev_secret_refuses_to_start():
    result = _import_settings({"DEBUG": "0"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_manage_py_refuses_to_start_on_dev_secret():
    result = _run(["manage.py", "check"], {"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "env,name",
    [
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://u:p@h/db"}, "DATABASE_URL"),
        ({"DEBUG": "1", "EMAIL_URL": "pigeon://loft"}, "EMAIL_URL"),
        ({"DEBUG": "1", "TW_LEAD_TIME_DAYS": "tien"}, "TW_LEAD_TIME_DAYS"),
    ],
)
def test_bad_environment_stops_the_app(env, name):
    result = _import_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_debug_on_starts_with_the_dev_secret():
    result = _import_settings({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_settings_values():
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.LANGUAGE_CODE == "nl"
    assert "en" in dict(settings.LANGUAGES)
    assert settings.USE_TZ is True
    assert settings.TW_LEAD_TIME_DAYS == 10


def test_check_deploy_passes_with_documented_production_env():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_https_settings():
    """The check above can fail: switching the HTTPS redirect off is reported."""
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "0"},
    )
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_settings_serve_static_through_whitenoise():
    result = _run(
        [
            "-c",
            "import django; from django.conf import settings; django.setup();"
            "print(settings.STORAGES['staticfiles']['BACKEND']);"
            "print('whitenoise.middleware.WhiteNoiseMiddleware' in settings.MIDDLEWARE);"
            "print(settings.EMAIL_BACKEND)",
        ],
        {"DJANGO_SETTINGS_MODULE": "backend.settings", **PRODUCTION_ENV},
    )
    assert result.returncode == 0, result.stderr
    backend, middleware, email = result.stdout.split()
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert middleware == "True"
    assert email == "django.core.mail.backends.smtp.EmailBackend"
