"""Request and response shapes for packing lists and check actions (API.md)."""

from rest_framework import serializers

from bookings.packing.models import CheckAction, PackingLine


class PackingLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PackingLine.Kind.choices)
    kit_type = serializers.IntegerField(allow_null=True)
    kit_type_name = serializers.CharField(allow_null=True)
    item = serializers.IntegerField(allow_null=True)
    asset_tag = serializers.CharField(allow_null=True)
    case = serializers.CharField(allow_null=True, help_text="Case code.")
    case_id = serializers.IntegerField(allow_null=True)
    consumable = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    storage_location = serializers.CharField(allow_blank=True)
    quantity = serializers.FloatField()
    used_quantity = serializers.FloatField(allow_null=True)
    packed = serializers.BooleanField()
    returned = serializers.BooleanField(allow_null=True)
    condition = serializers.ChoiceField(choices=PackingLine.Condition.choices, allow_null=True)
    note = serializers.CharField(allow_blank=True)

    def to_representation(self, instance):
        # Lines arrive as plain dicts from bookings.packing.selectors: pass them through.
        return dict(instance)


class CheckResultSerializer(PackingLineSerializer):
    booking_status = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    lines = serializers.IntegerField()
    packed = serializers.IntegerField()
    returned = serializers.IntegerField()
    damaged = serializers.IntegerField()
    missing = serializers.IntegerField()
    unassigned = serializers.IntegerField()


class OutstandingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    asset_tag = serializers.CharField(allow_null=True)


class PackingListSerializer(serializers.Serializer):
    booking = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    date = serializers.DateField()
    school = serializers.IntegerField()
    school_name = serializers.CharField()
    wagon = serializers.IntegerField(allow_null=True)
    generated_at = serializers.DateTimeField()
    progress = ProgressSerializer()
    outstanding = OutstandingSerializer(many=True)
    lines = PackingLineSerializer(many=True)


class WagonDayKitSerializer(serializers.Serializer):
    kit_type = serializers.IntegerField()
    name = serializers.CharField()
    storage_location = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField()


class WagonDayConsumableSerializer(serializers.Serializer):
    consumable = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.FloatField()


class WagonDayStandardSerializer(serializers.Serializer):
    standard = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    storage_location = serializers.CharField(allow_blank=True)
    quantity = serializers.FloatField()


class WagonDayStopSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    booking = serializers.IntegerField()
    reference = serializers.CharField()
    school = serializers.IntegerField()
    school_name = serializers.CharField()
    status = serializers.CharField()
    progress = ProgressSerializer()
    outstanding = OutstandingSerializer(many=True)
    lines = PackingLineSerializer(many=True)


class WagonDayLineSerializer(PackingLineSerializer):
    booking = serializers.IntegerField()


class WagonDayPackingListSerializer(serializers.Serializer):
    """`bookings.packing.selectors.packing_list_for_wagon_day` (GET /routes/{id}/packing-list/)."""

    wagon = serializers.IntegerField()
    date = serializers.DateField()
    kit = WagonDayKitSerializer(many=True)
    consumables = WagonDayConsumableSerializer(many=True)
    standard = WagonDayStandardSerializer(many=True)
    progress = ProgressSerializer()
    stops = WagonDayStopSerializer(many=True)
    lines = WagonDayLineSerializer(many=True)


class RoutePackingListSerializer(WagonDayPackingListSerializer):
    """`GET /routes/{id}/packing-list/`: the route's wagon-day packing list."""

    route = serializers.IntegerField()


class CheckSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=CheckAction.Action.choices)
    line = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    asset_tag = serializers.CharField(required=False, max_length=40, allow_blank=False)
    condition = serializers.ChoiceField(
        choices=PackingLine.Condition.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, max_length=500, allow_blank=True, default="")
    used_quantity = serializers.DecimalField(
        required=False, max_digits=12, decimal_places=2, min_value=0, allow_null=True
    )
    client_id = serializers.UUIDField()

    def validate(self, attrs):
        if attrs.get("line") is None and not attrs.get("asset_tag"):
            raise serializers.ValidationError({"line": ["Give a line id or an asset_tag."]})
        if attrs["action"] == "return" and not attrs.get("condition"):
            raise serializers.ValidationError(
                {"condition": ["Returning needs a condition: ok, damaged or missing."]}
            )
        return attrs


class WagonDayReturnLineSerializer(serializers.Serializer):
    asset_tag = serializers.CharField(max_length=40)
    condition = serializers.ChoiceField(choices=PackingLine.Condition.choices)
    note = serializers.CharField(required=False, max_length=500, allow_blank=True, default="")


class WagonDayCheckSerializer(serializers.Serializer):
    """A wagon-day action: `pack` an item or a case by its tag, tick `charge` for a kit type, or
    `return` everything (listing only the items that did not come back in order)."""

    action = serializers.ChoiceField(choices=["pack", "charge", "return"])
    asset_tag = serializers.CharField(required=False, max_length=40, allow_blank=False)
    kit_type = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    charged = serializers.BooleanField(required=False)
    lines = WagonDayReturnLineSerializer(many=True, required=False, max_length=2000)
    client_id = serializers.UUIDField()

    def validate(self, attrs):
        if attrs["action"] == "pack" and not attrs.get("asset_tag"):
            raise serializers.ValidationError({"asset_tag": ["Scan een inventarisnummer."]})
        if attrs["action"] == "charge":
            if attrs.get("kit_type") is None:
                raise serializers.ValidationError({"kit_type": ["Kies een soort materiaal."]})
            if attrs.get("charged") is None:
                raise serializers.ValidationError({"charged": ["Geladen: true of false."]})
        if attrs["action"] == "return":
            tags = [line["asset_tag"].strip().casefold() for line in attrs.get("lines", [])]
            if len(tags) != len(set(tags)):
                raise serializers.ValidationError({"lines": ["Elk exemplaar één keer."]})
        return attrs
