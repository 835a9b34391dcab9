"""`{% labels_form %}`: the coordinator's "print labels" form (GET to /api/v1/items/labels.pdf).

An inclusion tag so the inventory page shows it without its view knowing about labels.
"""

from django import template
from django.db.models import Value
from django.db.models.functions import Concat

from inventory.labels import LAYOUTS
from inventory.models import Case, KitType

register = template.Library()


@register.inclusion_tag("inventory/_labels_form.html", takes_context=True)
def labels_form(context):
    # One query for both choice lists: the inventory page pins its query count. Cases are the
    # viewer's programmes' only (kit types are a shared catalogue).
    request = context.get("request")
    user = getattr(request, "user", None)
    kit_types = (
        KitType.objects.order_by().annotate(kind=Value("kit")).values_list("kind", "id", "name")
    )
    cases = (
        Case.objects.restrict(user)
        .order_by()
        .annotate(kind=Value("case"), label=Concat("code", Value(" "), "name"))
        .values_list("kind", "id", "label")
    )
    rows = sorted(kit_types.union(cases, all=True), key=lambda row: (row[0], row[2]))
    return {
        "kit_types": [{"id": pk, "name": name} for kind, pk, name in rows if kind == "kit"],
        "cases": [{"id": pk, "label": label} for kind, pk, label in rows if kind == "case"],
        "layouts": sorted(LAYOUTS),
        "positions": range(1, 25),
    }
