import datetime as dt

from bookings.models import WaitingEntry
from tests.matrix import ALLOWED, HIDDEN, Bad, b, r

VISIT = dt.date(2027, 3, 9)


def build(ctx: dict) -> None:
    ctx["waiting"] = WaitingEntry.objects.create(
        school=ctx["school_obj"],
        dates=[VISIT.isoformat()],
        sessions=[
            {
                "workshop": ctx["workshop"],
                "group_label": "groep 7",
                "school_type": "po",
                "year": 7,
                "pupils": 10,
                "start_time": "09:00",
            }
        ],
        contact_name="J. de Vries",
        contact_email="j.devries@school.nl",
    ).pk


SCHOOL_AND_COORDINATOR = r(ALLOWED, 403, ALLOWED)
OWN_ENTRY = r(ALLOWED, 403, ALLOWED, other_school=404)

ROWS = [
    ("get", "/api/v1/waiting-list/", r(200, 403, 200)),
    ("post", "/api/v1/waiting-list/", SCHOOL_AND_COORDINATOR, {}),
    ("get", "/api/v1/waiting-list/{waiting}/", r(200, 403, 200, other_school=404)),
    ("post", "/api/v1/waiting-list/{waiting}/accept/", OWN_ENTRY),
    ("post", "/api/v1/waiting-list/{waiting}/decline/", OWN_ENTRY),
]


# Programme B against programme A (see tests/matrix/__init__.py).
ONLY_COORD_404 = b(404, 403)

PROGRAMME_ROWS = [
    ("get", "/api/v1/waiting-list/", b(HIDDEN, 403)),
    (
        "post",
        "/api/v1/waiting-list/",
        b(Bad("school"), 403),
        lambda ctx: {
            "school": ctx["school"],
            "date": VISIT.isoformat(),
            "sessions": [
                {
                    "workshop": ctx["b_workshop"],
                    "group_label": "groep 7",
                    "school_type": "po",
                    "year": 7,
                    "pupils": 10,
                    "start_time": "09:00",
                }
            ],
        },
    ),
    ("get", "/api/v1/waiting-list/{waiting}/", ONLY_COORD_404),
    ("post", "/api/v1/waiting-list/{waiting}/accept/", ONLY_COORD_404),
    ("post", "/api/v1/waiting-list/{waiting}/decline/", ONLY_COORD_404),
]
