"""Every write to kit and stock goes through here.

An item's `status` and a consumable's `stock` change only through the services named after what
happened (report a defect, repair, retire; adjust stock), each row-locked and writing only the
fields it changes, so a concurrent edit of another field can never put an old value back.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from backend.core.limits import TEXT_MAX_LENGTH
from backend.core.updates import apply_changes, delete_instance, save_changed
from inventory import events
from inventory.exceptions import InventoryError
from inventory.models import Case, Consumable, Depot, Item, KitType, StandardEquipment, Wagon

Status = Item.Status

STATUS_ACTIONS = "/report-defect/, /maintenance/, /repair/ or /retire/"
STATUS_READ_ONLY = f"Use {STATUS_ACTIONS} to change the status."
STOCK_READ_ONLY = "Use /adjust/ to change the stock (a delta, so parallel changes add up)."


def _locked_item(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def item_update(*, item: Item, data: dict, acting_user=None) -> Item:
    """Change an item's own fields (tag, type, case, notes...); the status is not one of them."""
    item = _locked_item(item)
    if "status" in data and data["status"] != item.status:
        raise ValidationError({"status": [STATUS_READ_ONLY]})
    fields = {name: value for name, value in data.items() if name != "status"}
    save_changed(item, apply_changes(item, fields), acting_user=acting_user)
    return item


@transaction.atomic
def item_set_status(
    *, item: Item, status: str, note: str = "", acting_user=None, reason: str = ""
) -> Item:
    """Change an item's status, recording who and why in its history."""
    if status not in Status.values:
        raise InventoryError(f"Unknown status {status!r}.", code="invalid_status", status_code=400)
    item = _locked_item(item)
    changed = ["status"] if item.status != status else []
    item.status = status
    if note:
        # Notes accumulate per report; keep the newest within the field's limit (history keeps
        # every earlier version).
        item.notes = ((item.notes + "\n" if item.notes else "") + note)[-TEXT_MAX_LENGTH:]
        changed.append("notes")
    save_changed(
        item, changed, acting_user=acting_user, reason=reason or note or f"status → {status}"
    )
    if "status" in changed:
        events.item_status_changed.send(sender=Item, item=item, acting_user=acting_user)
    return item


@transaction.atomic
def _item_transition(
    *, item: Item, target: str, allowed_from: tuple[str, ...], note: str, acting_user, reason: str
) -> Item:
    """Move an item to `target` if its stored status (read under the row lock) allows it."""
    item = _locked_item(item)
    if item.status not in allowed_from:
        raise InventoryError(
            f"{item.asset_tag} is {item.get_status_display().lower()}; it cannot become "
            f"{Status(target).label.lower()}.",
            code="invalid_status",
            status=item.status,
            target=target,
        )
    return item_set_status(
        item=item, status=target, note=note, acting_user=acting_user, reason=reason
    )


def _reason(prefix: str, note: str) -> str:
    return f"{prefix}: {note}" if note else prefix


def item_report_defect(*, item: Item, note: str = "", acting_user=None) -> Item:
    """Crew report: the item is broken and must not be planned until repaired."""
    return _item_transition(
        item=item,
        target=Status.DEFECT,
        allowed_from=(Status.AVAILABLE, Status.MAINTENANCE, Status.DEFECT),
        note=note,
        acting_user=acting_user,
        reason=_reason("defect gemeld", note),
    )


def item_send_to_maintenance(*, item: Item, note: str = "", acting_user=None) -> Item:
    """Coordinator: the item goes in for service (not plannable meanwhile)."""
    return _item_transition(
        item=item,
        target=Status.MAINTENANCE,
        allowed_from=(Status.AVAILABLE, Status.DEFECT, Status.MAINTENANCE),
        note=note,
        acting_user=acting_user,
        reason=_reason("in onderhoud", note),
    )


def item_repair(*, item: Item, note: str = "", acting_user=None) -> Item:
    """Coordinator: a defect item or one back from maintenance is available again."""
    return _item_transition(
        item=item,
        target=Status.AVAILABLE,
        allowed_from=(Status.DEFECT, Status.MAINTENANCE),
        note=note,
        acting_user=acting_user,
        reason=_reason("gerepareerd", note),
    )


def item_retire(*, item: Item, note: str = "", acting_user=None) -> Item:
    """Coordinator: written off for good (broken beyond repair, lost for good)."""
    return _item_transition(
        item=item,
        target=Status.RETIRED,
        allowed_from=(Status.AVAILABLE, Status.MAINTENANCE, Status.DEFECT, Status.LOST),
        note=note,
        acting_user=acting_user,
        reason=_reason("afgeschreven", note),
    )


@transaction.atomic
def consumable_update(*, consumable: Consumable, data: dict, acting_user=None) -> Consumable:
    """Change a consumable's name, unit or reorder level; the stock changes only by /adjust/."""
    consumable = Consumable.objects.select_for_update().get(pk=consumable.pk)
    if "stock" in data and Decimal(data["stock"]) != consumable.stock:
        raise ValidationError({"stock": [STOCK_READ_ONLY]})
    fields = {name: value for name, value in data.items() if name != "stock"}
    save_changed(consumable, apply_changes(consumable, fields), acting_user=acting_user)
    return consumable


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
    save_changed(
        consumable,
        ["stock"],
        acting_user=acting_user,
        reason=reason or f"voorraad {'+' if delta >= 0 else ''}{delta}",
    )
    return consumable


# --- deletes: the acting user on the history row; a row still in use is refused (409 in_use) ----


def depot_delete(*, depot: Depot, acting_user) -> None:
    delete_instance(depot, acting_user=acting_user, error=InventoryError)


def wagon_delete(*, wagon: Wagon, acting_user) -> None:
    delete_instance(wagon, acting_user=acting_user, error=InventoryError)


def kit_type_delete(*, kit_type: KitType, acting_user) -> None:
    delete_instance(kit_type, acting_user=acting_user, error=InventoryError)


def case_delete(*, case: Case, acting_user) -> None:
    delete_instance(case, acting_user=acting_user, error=InventoryError)


def item_delete(*, item: Item, acting_user) -> None:
    delete_instance(item, acting_user=acting_user, error=InventoryError)


def consumable_delete(*, consumable: Consumable, acting_user) -> None:
    delete_instance(consumable, acting_user=acting_user, error=InventoryError)


def standard_equipment_delete(*, standard_equipment: StandardEquipment, acting_user) -> None:
    delete_instance(standard_equipment, acting_user=acting_user, error=InventoryError)
