"""The day-two pages in English for who chose it; Dutch stays the default."""

import pytest
import time_machine

from tests.pages.portal_world import NOW, OPEN_DAY
from tests.pages.test_planning_i18n import client_for, page, request_for, world  # noqa: F401


@time_machine.travel(NOW, tick=False)
def test_visit_page_in_english(world):  # noqa: F811
    booking = request_for(world)
    html = page(client_for(world, "en"), f"/planning/visits/{booking.id}/")
    for text in (">Confirm</button>", ">Move</button>", "History", "Equipment that day", "Tue 16"):
        assert text in html, text
    for text in ("Bevestigen<", "Geschiedenis", "di 16 februari"):
        assert text not in html, text
    dutch = page(client_for(world, None), f"/planning/visits/{booking.id}/")
    assert "Bevestigen</button>" in dutch and "di 16 februari 2027" in dutch


@time_machine.travel(NOW, tick=False)
def test_plan_and_board_controls_in_english(world):  # noqa: F811
    request_for(world, status="confirmed")
    client = client_for(world, "en")
    board = page(client, f"/planning/board/?start={OPEN_DAY}")
    for text in ("Print view", "Plan routes", "all wagons", "all statuses"):
        assert text in board, text
    plan_url = f"/planning/plan/?wagon={world.wagon.id}&start={OPEN_DAY}"
    plan = page(client, plan_url)
    for text in ("Make a proposal", "Proposal"):
        assert text in plan, text
    # Saving is offered once a proposal is there (the planning job ran: inline in tests).
    started = client.post(
        "/planning/plan/propose/", {"wagon": world.wagon.id, "start": OPEN_DAY.isoformat()}
    )
    assert started.status_code == 302
    proposal = page(client, started["Location"])
    assert ">Save</button>" in proposal and "Opslaan" not in proposal


@pytest.mark.parametrize("language", ["en", None])
@time_machine.travel(NOW, tick=False)
def test_move_messages_follow_the_language(world, language):  # noqa: F811
    booking = request_for(world)
    client = client_for(world, language)
    html = client.post(
        f"/planning/visits/{booking.id}/move/", {"date": "2027-02-17"}, follow=True
    ).content.decode()
    expected = "has been moved to" if language == "en" else "is verplaatst naar wo 17 februari 2027"
    assert expected in html
