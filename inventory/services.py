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
from inventory.models import (
    Case,
    Consumable,
    DefectReport,
    Depot,
    Item,
    KitType,
    StandardEquipment,
    Wagon,
)

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


# --- defect reports with a photo -------------------------------------------------------------

PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def _checked_photo(photo) -> str:
    """The photo's format, or InventoryError (400) before anything is written: too large, or not
    a JPEG/PNG/WebP image however it is named or labelled."""
    from django.conf import settings
    from PIL import Image, UnidentifiedImageError

    limit = int(settings.TW_DEFECT_PHOTO_MAX_BYTES)
    if photo.size is None or photo.size > limit:
        raise InventoryError(
            f"De foto is groter dan {limit // (1024 * 1024)} MB.",
            code="photo_too_large",
            status_code=400,
            max_bytes=limit,
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InventoryError(
            "Dit is geen foto (JPEG, PNG of WebP).", code="photo_type", status_code=400
        ) from None
    finally:
        photo.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise InventoryError(
            "Dit is geen foto (JPEG, PNG of WebP).", code="photo_type", status_code=400
        )
    return image_format


def item_report_defect_with_photo(
    *, item: Item, note: str = "", photo=None, acting_user=None
) -> DefectReport:
    """Crew report with an optional photo: the item goes to `defect` and the report (and photo,
    through the default storage) is kept for the coordinators. A refused photo writes nothing."""
    image_format = _checked_photo(photo) if photo is not None else ""
    with transaction.atomic():
        item_report_defect(item=item, note=note, acting_user=acting_user)
        report = DefectReport(
            item=item,
            note=note[:1000],
            photo_format=image_format,
            reported_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        if photo is not None:
            report.photo.save("photo", photo, save=False)
            # The file is written before the row: if the row cannot be written, remove it.
            name = report.photo.name
            storage = report.photo.storage
            try:
                report.save()
            except Exception:
                storage.delete(name)
                raise
        else:
            report.save()
    return report
