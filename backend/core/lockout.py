"""Login throttling (django-axes): who a login attempt comes from, and the answer once locked out.

After `AXES_FAILURE_LIMIT` wrong passwords for one username from one IP address, every attempt for
that pair — even with the right password — is refused until `AXES_COOLOFF_TIME` has passed since
the last counted failure. The login pages answer with a Dutch page, the API with
`429 {"detail", "code": "locked_out", "retry_after"}` (README, "Logins, tokens and quotas").
"""

import math

from axes.helpers import get_client_username
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.exceptions import DomainError

LOCKED_OUT_STATUS = 429


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or, behind `TW_TRUSTED_PROXY_COUNT` proxies that append to X-Forwarded-For,
    the address the outermost of them saw (a client can prepend anything; the proxies' own
    entries are the rightmost ones, so only those are trusted)."""
    hops = settings.TW_TRUSTED_PROXY_COUNT
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR")


def seconds_left(request: HttpRequest, username: str | None) -> int:
    """Seconds until this username + IP may try again (the cool-off runs from the last failure
    that counted; attempts during the lock-out do not extend it)."""
    from axes.models import AccessAttempt

    cool_off = settings.AXES_COOLOFF_TIME
    last = (
        AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if last is None:
        return math.ceil(cool_off.total_seconds())
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))


def locked_out_error(seconds: int) -> DomainError:
    """The API's answer: the project's error shape with status 429."""
    return DomainError(
        _(
            "Te veel mislukte inlogpogingen voor deze gebruiker vanaf dit adres. "
            "Probeer het over %(minutes)s minuten opnieuw."
        )
        % {"minutes": math.ceil(seconds / 60)},
        code="locked_out",
        status_code=LOCKED_OUT_STATUS,
        retry_after=seconds,
    )


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or request.headers.get("x-requested-with") == (
        "XMLHttpRequest"
    )


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: replaces the answer to any locked-out login attempt."""
    seconds = seconds_left(request, get_client_username(request, credentials))
    if _wants_json(request):
        error = locked_out_error(seconds)
        response = JsonResponse(error.as_dict(), status=LOCKED_OUT_STATUS)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"minutes": math.ceil(seconds / 60)},
            status=LOCKED_OUT_STATUS,
        )
    response["Retry-After"] = str(seconds)
    return response
