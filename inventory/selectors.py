"""Reads over kit that other apps use (bookings, packing lists, routes)."""

from collections import defaultdict

from django.db.models import Count, Q

from inventory.models import Item, KitType


def kit_types_with_counts():
    """Kit types annotated with `available_count` (items now available) in one query."""
    return KitType.objects.annotate(
        available_count=Count("items", filter=Q(items__status=Item.Status.AVAILABLE))
    )


def available_counts(*, depot_id: int) -> dict[int, int]:
    """{kit_type_id: number of available items in the depot}."""
    rows = (
        Item.objects.filter(depot_id=depot_id, status=Item.Status.AVAILABLE)
        .values("kit_type_id")
        .annotate(n=Count("id"))
    )
    return {row["kit_type_id"]: row["n"] for row in rows}


def available_counts_by_depot() -> dict[int, dict[int, int]]:
    rows = (
        Item.objects.filter(status=Item.Status.AVAILABLE)
        .values("depot_id", "kit_type_id")
        .annotate(n=Count("id"))
    )
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        result[row["depot_id"]][row["kit_type_id"]] = row["n"]
    return result
