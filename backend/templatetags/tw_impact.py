"""The visit page's partners-and-feedback block (issue 18), as an inclusion tag so the visit view
needs no change: two small queries for the one visit shown."""

from django import template

from feedback.models import FeedbackResponse
from partners.selectors import participations_of_booking

register = template.Library()


@register.inclusion_tag("feedback/_visit.html", takes_context=True)
def visit_impact(context, booking):
    return {
        "b": booking,
        "participations": list(participations_of_booking(booking)),
        "feedback": FeedbackResponse.objects.filter(booking=booking).first(),
        # The block's forms post with the page's CSRF token.
        "csrf_token": context.get("csrf_token"),
    }
