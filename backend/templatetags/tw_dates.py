"""`{{ day|nl_date }}` → "za 16 januari 2027" in Dutch, Django's own "Sat 16 January 2027" in
English: the one way the pages write a date in a sentence (never ISO)."""

import datetime as dt

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

from backend.core.dutch import short_date

register = template.Library()


@register.filter
def nl_date(value):
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if (get_language() or "nl").startswith("nl"):
        return short_date(value)
    return date_format(value, "D j F Y")
