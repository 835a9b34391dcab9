from decimal import Decimal

from rest_framework import serializers

from backend.core.fields import HourMinuteField
from backend.core.scoping import (
    ScopedModelSerializer,
    ScopedPrimaryKeyRelatedField,
    programme_for_new_row,
)
from inventory import services
from inventory.models import Case, Consumable, Depot, Item, KitType, StandardEquipment, Wagon
from programmes.models import Programme


class DepotSerializer(ScopedModelSerializer):
    programme = ScopedPrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False)

    class Meta:
        model = Depot
        fields = ["id", "name", "programme", "address"]

    def validate(self, attrs):
        programme_for_new_row(self, attrs)
        return attrs


class WagonSerializer(ScopedModelSerializer):
    depot_lat = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        coerce_to_string=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
    )
    depot_lon = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        coerce_to_string=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
    )
    work_start = HourMinuteField(required=False)
    work_end = HourMinuteField(required=False)

    class Meta:
        model = Wagon
        fields = [
            "id",
            "name",
            "plate",
            "depot",
            "depot_address",
            "depot_lat",
            "depot_lon",
            "emission_class",
            "max_visits_per_day",
            "work_start",
            "work_end",
            "setup_minutes",
            "teardown_minutes",
            "active",
        ]

    def validate(self, attrs):
        start = attrs.get("work_start", getattr(self.instance, "work_start", None))
        end = attrs.get("work_end", getattr(self.instance, "work_end", None))
        if start is not None and end is not None and start >= end:
            raise serializers.ValidationError(
                {"work_end": ["Working hours must end after they start."]}
            )
        return attrs


class KitTypeSerializer(ScopedModelSerializer):
    available_count = serializers.SerializerMethodField()

    class Meta:
        model = KitType
        fields = [
            "id",
            "name",
            "category",
            "storage_location",
            "spare_units",
            "needs_charging",
            "description",
            "available_count",
        ]

    def get_available_count(self, obj: KitType) -> int:
        """Lists annotate it (one query); a freshly created or updated kit type counts once."""
        count = getattr(obj, "available_count", None)
        if count is None:
            count = obj.items.filter(status=Item.Status.AVAILABLE).count()
        return count


class CaseSerializer(ScopedModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "code", "name", "depot", "storage_location"]


# `ItemSerializer`'s fields; the list's page comes from values_list() of their columns (the
# foreign keys' ids: `item_rows`), not model instances.
ITEM_FIELDS = ("id", "asset_tag", "kit_type", "depot", "serial_number", "status", "case", "notes")
ITEM_COLUMNS = tuple(Item._meta.get_field(name).attname for name in ITEM_FIELDS)


def item_rows(rows) -> list[dict]:
    """`ItemSerializer` output for rows of `values_list(*ITEM_COLUMNS)` (a test holds them
    equal): every value is printed as the database gives it."""
    return [dict(zip(ITEM_FIELDS, row, strict=True)) for row in rows]


class ItemSerializer(ScopedModelSerializer):
    class Meta:
        model = Item
        fields = list(ITEM_FIELDS)
        extra_kwargs = {
            "status": {
                "help_text": "Set when the item is created; afterwards it changes only through "
                "/report-defect/, /maintenance/, /repair/ and /retire/ (PUT/PATCH with another "
                "value → 400)."
            }
        }

    def to_representation(self, item: Item) -> dict:
        # Hot path (lists of 1,000 items, bench/bench_items.py): plain attribute reads instead of
        # one DRF field call per value. Same output as ModelSerializer (pinned by a test).
        return {
            "id": item.id,
            "asset_tag": item.asset_tag,
            "kit_type": item.kit_type_id,
            "depot": item.depot_id,
            "serial_number": item.serial_number,
            "status": item.status,
            "case": item.case_id,
            "notes": item.notes,
        }

    def validate_asset_tag(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError("Asset tag may not be blank.")
        clash = Item.objects.filter(asset_tag__iexact=value)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(f"Asset tag {value} is already in use.")
        return value

    def validate_status(self, value: str) -> str:
        # A new item may start in any status; afterwards only the status actions change it, so a
        # PATCH based on an old copy can never undo a defect report.
        if self.instance is not None and value != self.instance.status:
            raise serializers.ValidationError(services.STATUS_READ_ONLY)
        return value

    def validate(self, attrs):
        case = attrs.get("case", getattr(self.instance, "case", None))
        depot = attrs.get("depot", getattr(self.instance, "depot", None))
        if case is not None and depot is not None and case.depot_id != depot.id:
            raise serializers.ValidationError({"case": ["The case belongs to another depot."]})
        return attrs


class ReportDefectSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")


class ItemStatusNoteSerializer(ReportDefectSerializer):
    """Body of the status actions (/maintenance/, /repair/, /retire/): an optional note."""


class ConsumableSerializer(ScopedModelSerializer):
    stock = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        min_value=Decimal(0),
        required=False,
        help_text="Set when the consumable is created; afterwards it changes only through "
        "/adjust/ (PUT/PATCH with another value → 400).",
    )
    reorder_level = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        min_value=Decimal(0),
        required=False,
    )
    low = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consumable
        fields = ["id", "name", "depot", "unit", "stock", "reorder_level", "low"]
        extra_kwargs = {"depot": {"required": False}}

    def validate(self, attrs):
        # Stock lives in one depot; a new consumable goes to the user's only depot unless named.
        if self.instance is None and attrs.get("depot") is None:
            depots = list(Depot.objects.restrict(self.context["request"].user)[:2])
            if len(depots) != 1:
                raise serializers.ValidationError({"depot": ["Kies een depot."]})
            attrs["depot"] = depots[0]
        if self.instance is not None and attrs.get("depot", self.instance.depot) != (
            self.instance.depot
        ):
            raise serializers.ValidationError(
                {"depot": ["Voorraad verhuist niet naar een ander depot."]}
            )
        return attrs

    def validate_stock(self, value):
        # Stock changes after creation go through /adjust/ so parallel changes never get lost.
        if self.instance is not None and value != self.instance.stock:
            raise serializers.ValidationError(services.STOCK_READ_ONLY)
        return value


class StockAdjustSerializer(serializers.Serializer):
    delta = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("-1000000"), max_value=Decimal("1000000")
    )
    reason = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")

    def validate_delta(self, value):
        if value == 0:
            raise serializers.ValidationError("A stock change must not be zero.")
        return value


class StandardEquipmentSerializer(ScopedModelSerializer):
    programme = ScopedPrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False)

    class Meta:
        model = StandardEquipment
        fields = [
            "id",
            "programme",
            "name",
            "kit_type",
            "consumable",
            "quantity",
            "per",
            "storage_location",
        ]

    def validate(self, attrs):
        kit_type = attrs.get("kit_type", getattr(self.instance, "kit_type", None))
        consumable = attrs.get("consumable", getattr(self.instance, "consumable", None))
        if kit_type is not None and consumable is not None:
            raise serializers.ValidationError(
                {"non_field_errors": ["Name a kit type or a consumable, not both."]}
            )
        derived = consumable.depot.programme if consumable is not None else None
        programme_for_new_row(self, attrs, derived=derived)
        return attrs


class DefectReportInSerializer(serializers.Serializer):
    """Multipart body of POST /api/v1/items/{id}/defect-report/: a note and an optional photo."""

    note = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")
    photo = serializers.FileField(required=False, allow_empty_file=False)


class DefectReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.IntegerField(source="item_id")
    note = serializers.CharField()
    has_photo = serializers.SerializerMethodField()
    created = serializers.DateTimeField()

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)
