"""Kit inventory: depots, wagons, kit types, items, cases and consumables."""

from decimal import Decimal

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backend.core.limits import TEXT_MAX_LENGTH
from backend.core.scoping import ScopedQuerySet
from programmes.models import Programme


class Depot(models.Model):
    """A kit depot: the shared pool of items and consumables that one or more wagons load from."""

    name = models.CharField(max_length=100, unique=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="depots")
    address = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("programme")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Wagon(models.Model):
    """A techniekwagen: a van or trailer that loads kit at its depot and visits schools."""

    class EmissionClass(models.TextChoices):
        ELECTRIC = "electric", "Elektrisch (zero-emissie)"
        EURO6 = "euro6", "Euro 6"
        EURO5 = "euro5", "Euro 5"
        OTHER = "other", "Anders"

    name = models.CharField(max_length=100, unique=True)
    plate = models.CharField(max_length=12, unique=True)
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="wagons")
    depot_address = models.CharField(max_length=200)
    depot_lat = models.DecimalField(
        max_digits=9, decimal_places=6, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    depot_lon = models.DecimalField(
        max_digits=9, decimal_places=6, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    emission_class = models.CharField(
        max_length=10, choices=EmissionClass.choices, default=EmissionClass.EURO6
    )
    max_visits_per_day = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    work_start = models.TimeField(default="07:30")
    work_end = models.TimeField(default="17:30")
    setup_minutes = models.PositiveSmallIntegerField(
        default=45, validators=[MaxValueValidator(240)]
    )
    teardown_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MaxValueValidator(240)]
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("depot__programme")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(work_start__lt=models.F("work_end")),
                name="wagon_work_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.plate})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.work_start and self.work_end and self.work_start >= self.work_end:
            raise ValidationError({"work_end": "Working hours must end after they start."})


class KitType(models.Model):
    """A kind of kit (VR headset, Blue-Bot, ...), tracked per item."""

    name = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=50, blank=True)
    storage_location = models.CharField(
        max_length=50, blank=True, help_text="Where it lives in the depot, e.g. 'Rek A2'."
    )
    spare_units = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(100)],
        help_text="Extra units packed on top of the workshop need.",
    )
    # VR headsets, laptops, robots: the crew's morning list asks "geladen?" and the planning board
    # shows what is not charged yet.
    needs_charging = models.BooleanField(default=False)
    description = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["storage_location", "name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A koffer/krat: a fixed set of items that travels together."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="cases")
    storage_location = models.CharField(max_length=50, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("depot__programme")

    class Meta:
        ordering = ["storage_location", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Item(models.Model):
    """One physical thing with a unique asset tag. Only `available` items count for availability."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Beschikbaar")
        MAINTENANCE = "maintenance", _("In onderhoud")
        DEFECT = "defect", _("Defect")
        LOST = "lost", _("Vermist")
        RETIRED = "retired", _("Afgeschreven")

    asset_tag = models.CharField(max_length=40)
    kit_type = models.ForeignKey(KitType, on_delete=models.PROTECT, related_name="items")
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="items")
    serial_number = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.AVAILABLE)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    notes = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("depot__programme")

    class Meta:
        ordering = ["asset_tag"]
        constraints = [
            models.UniqueConstraint(Lower("asset_tag"), name="item_asset_tag_unique_ci"),
        ]
        indexes = [models.Index(fields=["kit_type", "status"])]

    def __str__(self) -> str:
        return self.asset_tag


class Consumable(models.Model):
    """Counted stock (PLA in grams, hygiene covers, batteries) with a reorder level, per depot."""

    name = models.CharField(max_length=100)
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="consumables")
    unit = models.CharField(max_length=20, help_text="g, stuks, ...")
    stock = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    reorder_level = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("depot__programme")

    class Meta:
        ordering = ["name", "depot_id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="consumable_stock_gte_0"),
            models.UniqueConstraint(fields=["depot", "name"], name="consumable_depot_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def low(self) -> bool:
        return self.stock <= self.reorder_level


class StandardEquipment(models.Model):
    """Always-packed equipment (first-aid kit, extinguisher, 4G router): a kit type or consumable."""

    class Per(models.TextChoices):
        VISIT = "visit", "Per bezoek"
        DAY = "day", "Per wagendag"

    name = models.CharField(max_length=100)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="standard_equipment"
    )
    kit_type = models.ForeignKey(
        KitType, on_delete=models.PROTECT, null=True, blank=True, related_name="standard_lines"
    )
    consumable = models.ForeignKey(
        Consumable, on_delete=models.PROTECT, null=True, blank=True, related_name="standard_lines"
    )
    quantity = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    per = models.CharField(max_length=5, choices=Per.choices, default=Per.DAY)
    storage_location = models.CharField(max_length=50, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.scoped_as("programme")

    class Meta:
        ordering = ["storage_location", "name"]
        verbose_name_plural = "standard equipment"
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(kit_type__isnull=False) & models.Q(consumable__isnull=False)),
                name="standard_equipment_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity}× {self.name}"


def defect_photo_path(instance, filename: str) -> str:
    """Where a defect photo is stored: by item and a random name (never the uploaded name)."""
    import uuid

    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}.get(instance.photo_format, "bin")
    return f"defect-photos/{instance.item_id}/{uuid.uuid4().hex}.{extension}"


class DefectReport(models.Model):
    """A crew report that an item is broken, with an optional photo (stored through Django's
    storage API: local files by default, S3-compatible storage by setting)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="defect_reports")
    note = models.CharField(max_length=1000, blank=True)
    photo = models.FileField(upload_to=defect_photo_path, blank=True, max_length=200)
    photo_format = models.CharField(max_length=10, blank=True)
    reported_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.scoped_as("item__depot__programme")

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"Defect {self.item_id} ({self.created:%Y-%m-%d})"
