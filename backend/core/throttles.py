"""Per-user quota on API writes. Reads are never counted; the counters live in their own table
(`backend.models.ThrottleCounter`), so every worker and server counts the same writes, and a write
costs one statement: an upsert that counts it and answers the window's count."""

from django.db import connection
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from backend.core.roles import COORDINATOR, CREW, role_of
from backend.models import ThrottleCounter

STAFF = {COORDINATOR, CREW}

_TABLE, _KEY, _START, _HITS = map(
    connection.ops.quote_name, (ThrottleCounter._meta.db_table, "key", "window_start", "hits")
)
# Count the write in the key's window, or start a new window when the stored one has run out
# (every SET sees the old row). Atomic in one statement on SQLite and PostgreSQL: racing
# writers of one user wait for each other's row, and each gets its own count back.
_COUNT = (
    f"INSERT INTO {_TABLE} ({_KEY}, {_START}, {_HITS}) VALUES (%s, %s, 1) "
    f"ON CONFLICT ({_KEY}) DO UPDATE SET "
    f"{_HITS} = CASE WHEN {_TABLE}.{_START} <= %s THEN 1 ELSE {_TABLE}.{_HITS} + 1 END, "
    f"{_START} = CASE WHEN {_TABLE}.{_START} <= %s THEN %s ELSE {_TABLE}.{_START} END "
    f"RETURNING {_START}, {_HITS}"
)


class WriteRateThrottle(SimpleRateThrottle):
    """POST/PUT/PATCH/DELETE per user: `writes_staff` for coordinators and crew (a tablet sends
    its offline queue in one burst), `writes_school` for everyone else. A user's window starts
    with its first write and lasts the rate's period; the write over the rate in it → DRF's
    `429 {"detail"}` with a Retry-After header (the time until the window ends).

    Counted inside the request's transaction (AtomicApiWritesMiddleware): a refused or failed
    write is rolled back and doesn't count."""

    cache_format = "throttle_writes_%(ident)s"

    def __init__(self):
        # The rate depends on the user's role; it is chosen per request in allow_request.
        self.rate = None
        self._retry_after = None

    def get_rate(self):
        # Read at request time (not DRF's import-time copy) so changed settings apply.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS or not request.user.is_authenticated:
            return True
        self.scope = "writes_staff" if role_of(request.user) in STAFF else "writes_school"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.num_requests is None:
            return True
        self.now = self.timer()
        expired = self.now - self.duration
        with connection.cursor() as cursor:
            cursor.execute(
                _COUNT, [self.get_cache_key(request, view), self.now, expired, expired, self.now]
            )
            window_start, hits = cursor.fetchone()
        if hits <= self.num_requests:
            return True
        self._retry_after = max(window_start + self.duration - self.now, 1)
        return False

    def wait(self):
        return self._retry_after

    def get_cache_key(self, request, view):
        return self.cache_format % {"ident": request.user.pk}
