"""Reads over kit that other apps use (bookings, packing lists, routes)."""

from collections import defaultdict

from django.db.models import Count, Q

from inventory.models import Depot, Item, KitType


def kit_types_with_counts(*, user=None):
    """Kit types annotated with `available_count` (items now available; with `user`, only in
    the depots of the user's programmes) in one query."""
    counted = Q(items__status=Item.Status.AVAILABLE)
    if user is not None:
        counted &= Q(items__depot__in=Depot.objects.restrict(user).values("pk"))
    return KitType.objects.annotate(available_count=Count("items", filter=counted))


def available_counts(*, depot_id: int) -> dict[int, int]:
    """{kit_type_id: number of available items in the depot}."""
    rows = (
        Item.objects.filter(depot_id=depot_id, status=Item.Status.AVAILABLE)
        .values("kit_type_id")
        .annotate(n=Count("id"))
    )
    return {row["kit_type_id"]: row["n"] for row in rows}


def available_counts_by_depot(*, depot_ids=None) -> dict[int, dict[int, int]]:
    """{depot: {kit type: available items}}; with `depot_ids`, of those depots only."""
    items = Item.objects.filter(status=Item.Status.AVAILABLE)
    if depot_ids is not None:
        items = items.filter(depot_id__in=sorted(depot_ids))
    rows = items.values("depot_id", "kit_type_id").annotate(n=Count("id"))
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        result[row["depot_id"]][row["kit_type_id"]] = row["n"]
    return result


def label_targets(
    *,
    item_ids=(),
    asset_tags=(),
    case_ids=(),
    kit_type_ids=(),
    depot_ids=(),
    include_cases_items: bool = False,
    user=None,
):
    """What a label sheet prints, in order: the named items (ids, then asset tags, as given), the
    items of the given kit types (by asset tag), then the named cases. Returns
    `(items, cases, unknown)`; `unknown` lists ids or tags that match nothing."""
    from inventory.models import Case

    items_q = Item.objects.select_related("kit_type", "depot")
    if user is not None:  # another programme's items and cases are unknown to this user
        items_q = items_q.restrict(user)
    if depot_ids:
        items_q = items_q.filter(depot_id__in=depot_ids)
    items: list[Item] = []
    seen: set[int] = set()
    unknown: list[str] = []

    def add(item):
        if item.id not in seen:
            seen.add(item.id)
            items.append(item)

    if item_ids:
        by_id = {item.id: item for item in items_q.filter(id__in=item_ids)}
        for item_id in item_ids:
            if item_id in by_id:
                add(by_id[item_id])
            else:
                unknown.append(str(item_id))
    if asset_tags:
        wanted = [tag.strip() for tag in asset_tags if tag.strip()]
        lookup = Q()
        for tag in wanted:
            lookup |= Q(asset_tag__iexact=tag)
        by_tag = {item.asset_tag.casefold(): item for item in items_q.filter(lookup)}
        for tag in wanted:
            item = by_tag.get(tag.casefold())
            if item is not None:
                add(item)
            else:
                unknown.append(tag)
    if kit_type_ids:
        for item in items_q.filter(kit_type_id__in=kit_type_ids).order_by("asset_tag", "id"):
            add(item)
    cases = []
    if case_ids:
        cases_q = Case.objects.select_related("depot")
        if user is not None:
            cases_q = cases_q.restrict(user)
        if depot_ids:
            cases_q = cases_q.filter(depot_id__in=depot_ids)
        by_id = {case.id: case for case in cases_q.filter(id__in=case_ids)}
        for case_id in dict.fromkeys(case_ids):
            if case_id in by_id:
                cases.append(by_id[case_id])
            else:
                unknown.append(str(case_id))
        if include_cases_items:
            for item in items_q.filter(case_id__in=[c.id for c in cases]).order_by(
                "case_id", "asset_tag"
            ):
                add(item)
    return items, cases, unknown
