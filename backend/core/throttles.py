"""Per-user quota on API writes. Reads are never counted; the counters live in the shared cache
(the database cache, settings.CACHES), so every worker counts the same writes."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from backend.core.roles import COORDINATOR, CREW, role_of

STAFF = {COORDINATOR, CREW}


class WriteRateThrottle(SimpleRateThrottle):
    """POST/PUT/PATCH/DELETE per user: `writes_staff` for coordinators and crew (a tablet sends
    its offline queue in one burst), `writes_school` for everyone else. Over the rate → DRF's
    `429 {"detail"}` with a Retry-After header."""

    cache_format = "throttle_writes_%(ident)s"

    def __init__(self):
        # The rate depends on the user's role; it is chosen per request in allow_request.
        self.rate = None

    def get_rate(self):
        # Read at request time (not DRF's import-time copy) so changed settings apply.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS or not request.user.is_authenticated:
            return True
        self.scope = "writes_staff" if role_of(request.user) in STAFF else "writes_school"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"ident": request.user.pk}
