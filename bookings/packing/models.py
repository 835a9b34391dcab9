"""Packing-list tables (issue: packing lists). Imported by bookings/models.py.

A booking's packing list is a set of lines: one per assigned item (quantity 1), one per
consumable and one per standard-equipment entry. Lines carry the crew's packed / returned state;
every change to a line is kept in history. Check actions record each tablet request by its
`client_id`, so a retried request is answered from the record instead of applied twice.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from backend.core.scoping import ScopedQuerySet
from inventory.models import Case, Consumable, Item, KitType, StandardEquipment


class PackingList(models.Model):
    """What one visit carries. Regenerated while nothing is packed; stable afterwards."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.CASCADE, related_name="packing_list"
    )
    # A digest of the kit need and standard load the lines were built from; a different digest
    # while nothing is packed means the sessions changed and the list is rebuilt.
    need_signature = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField()

    objects = ScopedQuerySet.scoped_as("booking__school__programme")

    def __str__(self) -> str:
        return f"Paklijst {self.booking_id}"


class PackingLine(models.Model):
    """One thing to load: an item (quantity 1), a consumable amount or standard equipment."""

    class Kind(models.TextChoices):
        ITEM = "item", "Exemplaar"
        CONSUMABLE = "consumable", "Verbruiksmateriaal"
        STANDARD = "standard", "Standaarduitrusting"

    class Condition(models.TextChoices):
        OK = "ok", "In orde"
        DAMAGED = "damaged", "Beschadigd"
        MISSING = "missing", "Vermist"

    packing_list = models.ForeignKey(PackingList, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    # The visit's date, copied so "which items are taken that day" is one indexed query.
    date = models.DateField()
    kit_type = models.ForeignKey(
        KitType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="packing_lines"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consumable = models.ForeignKey(
        Consumable, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    standard = models.ForeignKey(
        StandardEquipment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=100)
    storage_location = models.CharField(max_length=50, blank=True)
    quantity = models.DecimalField(max_digits=12, decimal_places=2, default=1)
    used_quantity = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    packed = models.BooleanField(default=False)
    returned = models.BooleanField(null=True, blank=True)
    condition = models.CharField(max_length=8, choices=Condition.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["date", "item"])]

    def __str__(self) -> str:
        label = self.item.asset_tag if self.item_id else self.name
        return f"{label} ×{self.quantity}"


class CheckAction(models.Model):
    """One crew action from a tablet; `client_id` makes a retry a no-op with the same answer."""

    class Action(models.TextChoices):
        PACK = "pack", "Inpakken"
        UNPACK = "unpack", "Uitpakken"
        RETURN = "return", "Retour"

    client_id = models.UUIDField(unique=True)
    packing_list = models.ForeignKey(
        PackingList, on_delete=models.CASCADE, related_name="check_actions"
    )
    line = models.ForeignKey(PackingLine, on_delete=models.CASCADE, related_name="check_actions")
    action = models.CharField(max_length=6, choices=Action.choices)
    asset_tag = models.CharField(max_length=40, blank=True)
    condition = models.CharField(max_length=8, blank=True)
    note = models.CharField(max_length=500, blank=True)
    # sha256 of the request (booking, action, line, asset tag, condition, note, used quantity):
    # the same client_id with another request is a conflict, not a retry.
    fingerprint = models.CharField(max_length=64, blank=True)
    result = models.JSONField(default=dict)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.line_id} ({self.client_id})"


class WagonDayAction(models.Model):
    """One crew action on a whole wagon-day (morning scan, charge tick, return check) from a tablet;
    `client_id` makes a retry answer with the recorded result instead of applying it again."""

    client_id = models.UUIDField(unique=True)
    wagon = models.ForeignKey("inventory.Wagon", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    action = models.CharField(max_length=10)
    fingerprint = models.CharField(max_length=64)
    result = models.JSONField(default=dict)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.wagon_id} {self.date} ({self.client_id})"


class WagonDayCharge(models.Model):
    """ "Geladen?" on the morning list: whether a wagon-day's kit of a type that needs charging was
    charged. No row means nobody said so yet (the planning board shows it as not charged)."""

    wagon = models.ForeignKey("inventory.Wagon", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    kit_type = models.ForeignKey(KitType, on_delete=models.CASCADE, related_name="+")
    charged = models.BooleanField(default=False)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["wagon", "date", "kit_type"], name="wagon_day_charge_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kit_type_id} {'geladen' if self.charged else 'niet geladen'} {self.date}"
