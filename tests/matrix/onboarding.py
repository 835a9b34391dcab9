"""Onboarding: a coordinator invites a school contact and decides access requests."""

from onboarding.services import access_request_create
from tests.matrix import ALLOWED, HIDDEN, b, r

COORDINATOR_ONLY = r(ALLOWED, 403, 403)


def build(ctx: dict) -> None:
    ctx["access_request"] = access_request_create(
        name="Matrix Leraar", email="matrix@school.nl", brin=ctx["school_obj"].brin
    ).pk


ROWS = [
    ("post", "/api/v1/schools/{school}/invite/", COORDINATOR_ONLY, {"email": "new@school.nl"}),
    ("get", "/api/v1/access-requests/", r(200, 403, 403)),
    ("get", "/api/v1/access-requests/{access_request}/", r(200, 403, 403)),
    ("post", "/api/v1/access-requests/{access_request}/approve/", COORDINATOR_ONLY, {}),
    ("post", "/api/v1/access-requests/{access_request}/decline/", COORDINATOR_ONLY),
]


# Programme B against programme A (see tests/matrix/__init__.py): A's school and A's access
# request (its BRIN is A's school's) are not found.
PROGRAMME_ROWS = [
    ("post", "/api/v1/schools/{school}/invite/", b(404, 403), {"email": "new@school.nl"}),
    ("get", "/api/v1/access-requests/", b(HIDDEN, 403)),
    ("get", "/api/v1/access-requests/{access_request}/", b(404, 403)),
    ("post", "/api/v1/access-requests/{access_request}/approve/", b(404, 403), {}),
    ("post", "/api/v1/access-requests/{access_request}/decline/", b(404, 403)),
]
