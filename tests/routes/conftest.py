import datetime as dt
from zoneinfo import ZoneInfo

import pytest

NOW = dt.datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
