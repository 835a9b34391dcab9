"""`{% uncharged_kit %}`: the planning board's mark for wagon-days whose kit is not charged yet
(the crew tick "geladen?" on the wagon-day page). An inclusion tag, so the board's view needs no
change."""

import datetime as dt

from django import template
from django.utils import timezone

from bookings.packing.selectors import uncharged_kit as uncharged_kit_days

register = template.Library()
LOOKAHEAD_DAYS = 7


@register.inclusion_tag("planning/_uncharged_kit.html", takes_context=True)
def uncharged_kit(context):
    # Only the wagons of the viewer's programmes (the request is in every page's context).
    request = context.get("request")
    today = timezone.localdate()
    return {
        "uncharged": uncharged_kit_days(
            date_from=today,
            date_to=today + dt.timedelta(days=LOOKAHEAD_DAYS - 1),
            user=request.user if request is not None else None,
        )
    }
