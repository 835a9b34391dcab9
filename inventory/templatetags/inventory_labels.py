"""`{% labels_form %}`: the coordinator's "print labels" form (GET to /api/v1/items/labels.pdf).

An inclusion tag so the inventory page shows it without its view knowing about labels.
"""

from django import template

from inventory.labels import LAYOUTS
from inventory.models import Case, KitType

register = template.Library()


@register.inclusion_tag("inventory/_labels_form.html")
def labels_form():
    return {
        "kit_types": KitType.objects.order_by("name").only("id", "name"),
        "cases": Case.objects.order_by("code").only("id", "code", "name"),
        "layouts": sorted(LAYOUTS),
        "positions": range(1, 25),
    }
