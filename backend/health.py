"""`GET /healthz` for the load balancer (API.md): database, planning queue and disk.

A small view rather than django-health-check: three checks, the response shape API.md fixes
(`{"database": "ok", ...}`, 503 naming what is not), no extra tables and no writes."""

import shutil

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database is "not healthy", never a 500
        return f"niet bereikbaar ({type(exc).__name__})"
    return None


def _queue() -> str | None:
    from routes import jobs

    try:
        return jobs.health()
    except Exception as exc:  # the queue's state lives in the database, which may be down
        return f"onbekend ({type(exc).__name__})"


def _disk() -> str | None:
    try:
        free_mb = shutil.disk_usage(settings.BASE_DIR).free // (1024 * 1024)
    except OSError as exc:
        return f"onbekend ({type(exc).__name__})"
    if free_mb < settings.TW_HEALTH_MIN_FREE_MB:
        return f"nog {free_mb} MB vrij"
    return None


CHECKS = {"database": _database, "queue": _queue, "disk": _disk}


@never_cache
@require_GET
def healthz(request):
    problems = {name: check() for name, check in CHECKS.items()}
    if problems["database"]:
        problems["queue"] = problems["queue"] or "onbekend (geen database)"
    body = {name: problem or "ok" for name, problem in problems.items()}
    healthy = not any(problems.values())
    return JsonResponse(body, status=200 if healthy else 503)
