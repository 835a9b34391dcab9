"""Every write to kit and stock goes through here."""

from decimal import Decimal

from django.db import transaction

from backend.history import with_acting_user
from backend.limits import TEXT_MAX_LENGTH
from inventory.exceptions import InventoryError
from inventory.models import Consumable, Item


@transaction.atomic
def item_set_status(
    *, item: Item, status: str, note: str = "", acting_user=None, reason: str = ""
) -> Item:
    """Change an item's status, recording who and why in its history."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if status not in Item.Status.values:
        raise InventoryError(f"Unknown status {status!r}.", code="invalid_status", status_code=400)
    item.status = status
    if note:
        # Notes accumulate per report; keep the newest within the field's limit (history keeps
        # every earlier version).
        item.notes = ((item.notes + "\n" if item.notes else "") + note)[-TEXT_MAX_LENGTH:]
    with_acting_user(item, acting_user)
    item._change_reason = reason or note or f"status → {status}"
    item.save()
    return item


def item_report_defect(*, item: Item, note: str = "", acting_user=None) -> Item:
    """Crew report: the item is broken and must not be planned until repaired."""
    if item.status in (Item.Status.LOST, Item.Status.RETIRED):
        raise InventoryError(
            f"{item.asset_tag} is {item.get_status_display().lower()}; it cannot be reported defect.",
            code="invalid_status",
        )
    return item_set_status(
        item=item,
        status=Item.Status.DEFECT,
        note=note,
        acting_user=acting_user,
        reason=f"defect gemeld: {note}" if note else "defect gemeld",
    )


@transaction.atomic
def consumable_adjust_stock(
    *,
    consumable: Consumable,
    delta: Decimal,
    reason: str = "",
    acting_user=None,
    allow_negative: bool = False,
) -> Consumable:
    """Add (delta > 0) or take (delta < 0) stock. Row-locked, so parallel changes never get lost."""
    consumable = Consumable.objects.select_for_update().get(pk=consumable.pk)
    new_stock = consumable.stock + Decimal(delta)
    if new_stock < 0:
        if not allow_negative:
            raise InventoryError(
                f"Not enough {consumable.name}: {consumable.stock} {consumable.unit} in stock, "
                f"{-Decimal(delta)} requested.",
                code="insufficient_stock",
                stock=str(consumable.stock),
            )
        new_stock = Decimal(0)
    consumable.stock = new_stock
    with_acting_user(consumable, acting_user)
    consumable._change_reason = reason or f"voorraad {'+' if delta >= 0 else ''}{delta}"
    consumable.save(update_fields=["stock"])
    return consumable
