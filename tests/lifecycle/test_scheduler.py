"""The scheduler's clock: the daily job's next run is 07:00 Europe/Amsterdam, across DST."""

import datetime as dt
from zoneinfo import ZoneInfo

from lifecycle.management.commands.lifecycle_scheduler import next_run

TZ = ZoneInfo("Europe/Amsterdam")


def test_before_seven_it_is_today_after_seven_tomorrow():
    at = dt.time(7, 0)
    assert next_run(dt.datetime(2027, 3, 1, 6, 59, tzinfo=TZ), at) == dt.datetime(
        2027, 3, 1, 7, 0, tzinfo=TZ
    )
    assert next_run(dt.datetime(2027, 3, 1, 7, 0, tzinfo=TZ), at) == dt.datetime(
        2027, 3, 2, 7, 0, tzinfo=TZ
    )


def test_it_stays_at_seven_local_time_over_the_summer_time_change():
    # 27 March 2027, 08:00 local is 07:00 UTC; the next run is 28 March 07:00 CEST (05:00 UTC).
    now = dt.datetime(2027, 3, 27, 7, 0, tzinfo=dt.UTC)
    assert next_run(now, dt.time(7, 0)).astimezone(dt.UTC) == dt.datetime(
        2027, 3, 28, 5, 0, tzinfo=dt.UTC
    )
