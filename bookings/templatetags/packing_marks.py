"""`{% uncharged_kit %}`: the planning board's mark for wagon-days whose kit is not charged yet
(the crew tick "geladen?" on the wagon-day page). An inclusion tag, so the board's view needs no
change."""

import datetime as dt

from django import template
from django.utils import timezone

from bookings.packing.selectors import uncharged_kit as uncharged_kit_days

register = template.Library()
LOOKAHEAD_DAYS = 7


@register.inclusion_tag("planning/_uncharged_kit.html")
def uncharged_kit():
    today = timezone.localdate()
    return {
        "uncharged": uncharged_kit_days(
            date_from=today, date_to=today + dt.timedelta(days=LOOKAHEAD_DAYS - 1)
        )
    }
