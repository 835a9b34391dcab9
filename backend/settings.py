"""Django settings for Techniekwagen. Everything configurable comes from the environment."""

import datetime as dt
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from backend.core.env import (
    database_config,
    email_config,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_rate,
    env_str,
    tasks_config,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-insecure-techniekwagen-secret-key-do-not-use-in-production"
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY and not env_bool("TW_ALLOW_DEV_SECRET", False):
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development secret. Set SECRET_KEY (or DEBUG=1 locally)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "import_export",
    "backend",
    "programmes",
    "inventory",
    "bookings",
    "onboarding",
    "routes",
    "partners",
    "feedback",
    "outbox",
    "lifecycle",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "backend.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "backend.core.middleware.AtomicApiWritesMiddleware",
    # Last, as axes asks: turns a locked-out login into its answer (backend/core/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "backend.pages.context_processors.role",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL", ""),
        BASE_DIR,
        # Seconds a worker keeps its PostgreSQL connection (0: close after every request).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600, minimum=0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# Dutch is the source language; English comes from locale/fragments/*.po (`make messages`).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Project-level static files (css/base.css, crew/*.js) live outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploaded files (defect photos) go through Django's storage API: local files under MEDIA_ROOT by
# default (never served publicly: a crew page streams them to staff); TW_MEDIA_STORAGE=s3 stores
# them in S3-compatible storage with django-storages (pip install '.[s3]'; its AWS_* settings from
# the environment, README "Defect photos").
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
if env_str("TW_MEDIA_STORAGE", "local") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
TW_DEFECT_PHOTO_MAX_BYTES = env_int("TW_DEFECT_PHOTO_MAX_BYTES", 8 * 1024 * 1024, minimum=64 * 1024)

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# A crew member logs in at 07:30 and must still be logged in after the last visit.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 60 * 60, minimum=60)
# Django's database sessions, read with one plain statement per request (backend/core/sessions.py).
SESSION_ENGINE = "backend.core.sessions"

for _key, _value in email_config(env_str("EMAIL_URL", "console://")).items():
    globals()[_key] = _value
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Techniekwagen <planning@techniekwagen.nl>")

# /healthz answers 503 when the disk holding the database and uploads has less free space than this.
TW_HEALTH_MIN_FREE_MB = env_int("TW_HEALTH_MIN_FREE_MB", 100, minimum=0)

# Public base URL, used in e-mails, QR codes and calendar feeds.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (README "Background work"): the task backend, Redis for the rq backend, and how
# often a failing e-mail is tried before it is marked failed for a coordinator to retry.
TW_TASKS_BACKEND = env_str("TW_TASKS_BACKEND", "db")
TASKS = tasks_config(TW_TASKS_BACKEND)
TW_REDIS_URL = env_str("TW_REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": TW_REDIS_URL}}
TW_EMAIL_MAX_ATTEMPTS = env_int("TW_EMAIL_MAX_ATTEMPTS", 5, minimum=1)
TW_EMAIL_RETRY_SECONDS = env_int("TW_EMAIL_RETRY_SECONDS", 60, minimum=1)
TW_DAILY_JOB_TIME = env_str("TW_DAILY_JOB_TIME", "07:00")
# Accepting a waiting-list offer confirms the visit at once (else it becomes a request).
TW_WAITING_AUTO_CONFIRM = env_bool("TW_WAITING_AUTO_CONFIRM", False)
# The crew's phone on the day, in the practical-information e-mail three days ahead.
TW_CREW_PHONE = env_str("TW_CREW_PHONE", "")

# Domain settings
TW_LEAD_TIME_DAYS = env_int("TW_LEAD_TIME_DAYS", 10, minimum=0)
TW_SCHOOL_DAY_START = env_str("TW_SCHOOL_DAY_START", "08:00")
TW_SCHOOL_DAY_END = env_str("TW_SCHOOL_DAY_END", "17:00")
TW_ROAD_FACTOR = env_float("TW_ROAD_FACTOR", 1.35, minimum=1.0)
TW_PARKING_MINUTES = env_int("TW_PARKING_MINUTES", 10, minimum=0)
TW_ROUTING_BACKEND = env_str("TW_ROUTING_BACKEND", "routes.travel.OfflineTravelModel")
# Planning jobs (routes/jobs.py): "queue" enqueues them on the task queue (TW_TASKS_BACKEND; the
# worker plans), "thread" runs them in a pool of TW_PLAN_WORKERS threads in the web process,
# "inline" inside the request that starts them, "manual" not until plan_job_run.
TW_PLAN_JOBS = env_str("TW_PLAN_JOBS", "queue")
if TW_PLAN_JOBS not in {"queue", "thread", "inline", "manual"}:
    raise ImproperlyConfigured(
        f"TW_PLAN_JOBS={TW_PLAN_JOBS!r}: use queue, thread, inline or manual."
    )
TW_PLAN_WORKERS = env_int("TW_PLAN_WORKERS", 1, minimum=1)
# Wall-clock safety net per plan; the solver normally stops earlier on its deterministic budget.
TW_PLANNER_TIME_LIMIT = env_float("TW_PLANNER_TIME_LIMIT", 120, minimum=1)
# A school may have this many requests waiting for the coordinator (bookings.services).
TW_MAX_OPEN_REQUESTS_PER_SCHOOL = env_int("TW_MAX_OPEN_REQUESTS_PER_SCHOOL", 20, minimum=1)

# Request bodies (README "Limits"): 413 above this size, 400 for JSON nested deeper.
TW_MAX_BODY_BYTES = env_int("TW_MAX_BODY_BYTES", 256 * 1024, minimum=16 * 1024)
TW_MAX_JSON_DEPTH = env_int("TW_MAX_JSON_DEPTH", 32, minimum=8)
DATA_UPLOAD_MAX_MEMORY_SIZE = TW_MAX_BODY_BYTES  # forms (pages, admin) and multipart fields

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "backend.core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's two, the JSON one without its per-container cycle check (same bytes, issue 15).
    "DEFAULT_RENDERER_CLASSES": [
        "backend.core.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "backend.core.parsers.JSONParser",
        "backend.core.parsers.FormParser",
        "backend.core.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["backend.core.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "backend.core.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "backend.core.pagination.Pagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "backend.core.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # API.md: times are `09:30` everywhere.
    "TIME_FORMAT": "%H:%M",
    "TIME_INPUT_FORMATS": ["%H:%M", "%H:%M:%S"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Techniekwagen API",
    "DESCRIPTION": "Bookings, inventory, packing lists and tour planning for techniekwagens.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ParticipationKindEnum": "partners.models.Participation.Kind",
        "PackingLineKindEnum": "bookings.packing.models.PackingLine.Kind",
    },
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Content-Security-Policy on every response (django-csp): everything from our own origin; an inline
# <script> or <style> runs only with the request's nonce (`{{ request.csp_nonce }}`).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # 'wasm-unsafe-eval': the crew camera's barcode decoder (static/vendor/zxing-wasm) is
        # WebAssembly; it allows compiling WebAssembly only, not eval() of JavaScript.
        "script-src": [SELF, NONCE, "'wasm-unsafe-eval'"],
        "style-src": [SELF, NONCE],
        # The one style attribute left, in django-simple-history's admin history page, by its hash.
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        # Swagger UI's and Redoc's stylesheets draw icons as data: URIs.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling, API tokens and write quotas (README: "Logins, tokens and quotas").
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username + IP before the password is looked at.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("TW_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("TW_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # "5 wrong in a row": a good login starts the count again
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends 15 min after it began
AXES_LOCKOUT_CALLABLE = "backend.core.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "backend.core.lockout.client_ip"
AXES_VERBOSE = False
# Proxies in front of the app that append the client's address to X-Forwarded-For (0: none).
TW_TRUSTED_PROXY_COUNT = env_int("TW_TRUSTED_PROXY_COUNT", 0, minimum=0)

REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    # Sliding: a token used at least once a month keeps working all school year.
    "TOKEN_TTL": dt.timedelta(days=env_int("TW_TOKEN_IDLE_DAYS", 30, minimum=1)),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": dt.timedelta(days=env_int("TW_TOKEN_MAX_DAYS", 365, minimum=1)),
    "MIN_REFRESH_INTERVAL": 60 * 60,  # write the new expiry at most once an hour per token
}

REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["backend.core.throttles.WriteRateThrottle"]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "writes_staff": env_rate("TW_WRITE_RATE_STAFF", "600/hour"),
    "writes_school": env_rate("TW_WRITE_RATE_SCHOOL", "120/hour"),
}
# Counters (rate limits) must be shared by every worker and server: the database, not process memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tw_cache",
        # Shared counters of the public forms (the write throttle has its own table,
        # backend.models.ThrottleCounter: one statement per write instead of four here).
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer probes /healthz over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
