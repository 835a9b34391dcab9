import datetime as dt

from bookings.models import WaitingEntry
from tests.matrix import ALLOWED, r

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
