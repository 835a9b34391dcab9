"""Request and response shapes for schools, workshops, blackouts, availability and bookings."""

import datetime as dt
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import brin as stdnum_brin
from stdnum.nl import postcode as stdnum_postcode

from backend.core.fields import WindowDateField
from backend.core.scoping import ScopedPrimaryKeyRelatedField, programme_for_new_row
from bookings import lists
from bookings.catalogue import DepotStock, capacity_warnings
from bookings.models import (
    MAX_ALTERNATIVE_DATES,
    Booking,
    BookingSession,
    ConsumableRule,
    KitRule,
    School,
    SchoolType,
    VmboProfile,
    Workshop,
)
from bookings.selectors import kit_need_for
from inventory.models import Consumable, Depot, KitType, Wagon
from programmes.models import Programme

MAX_RANGE_DAYS = 366
SCHOOL_TYPES = [c for c, _ in SchoolType.choices]


class SchoolSerializer(serializers.ModelSerializer):
    lat = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, min_value=-90, max_value=90
    )
    lon = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, min_value=-180, max_value=180
    )
    school_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SCHOOL_TYPES), max_length=13, required=False
    )
    brin = serializers.CharField(max_length=12)
    postcode = serializers.CharField(max_length=10)
    programme = ScopedPrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False)
    depot = ScopedPrimaryKeyRelatedField(
        queryset=Depot.objects.all(),
        required=False,
        allow_null=True,
    )
    day_start = serializers.TimeField(format="%H:%M", required=False)
    day_end = serializers.TimeField(format="%H:%M", required=False)

    class Meta:
        model = School
        fields = list(lists.SCHOOL_FIELDS)

    def to_representation(self, school: School) -> dict:
        # Hot path: the list's own row builder (bookings/lists.py), fed from the instance. Same
        # output as ModelSerializer (tests/bookings/test_list_rows.py).
        row = tuple(getattr(school, column) for column in lists.SCHOOL_COLUMNS)
        return lists.school_rows([row], fields=self.fields)[0]

    def validate_brin(self, value: str) -> str:
        try:
            value = stdnum_brin.validate(value)
        except StdnumError:
            raise serializers.ValidationError(
                "Ongeldige BRIN-code: 2 cijfers, 2 letters en eventueel 2 cijfers vestiging."
            ) from None
        clash = School.objects.filter(brin=value)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(f"BRIN {value} is al in gebruik.")
        return value

    def validate_postcode(self, value: str) -> str:
        try:
            return stdnum_postcode.validate(value)
        except StdnumError:
            raise serializers.ValidationError("Ongeldige postcode (bijv. 3032 AD).") from None

    def validate_school_types(self, value):
        return list(dict.fromkeys(value))

    def validate(self, attrs):
        start = attrs.get("day_start", getattr(self.instance, "day_start", None))
        end = attrs.get("day_end", getattr(self.instance, "day_end", None))
        if isinstance(start, dt.time) and isinstance(end, dt.time) and start >= end:
            raise serializers.ValidationError({"day_end": ["De schooldag eindigt voor de start."]})
        depot = attrs.get("depot", getattr(self.instance, "depot", None))
        programme_for_new_row(self, attrs, derived=depot.programme if depot is not None else None)
        return attrs


class KitRuleSerializer(serializers.ModelSerializer):
    kit_type = serializers.PrimaryKeyRelatedField(queryset=KitType.objects.all())  # shared
    per_pupils = serializers.IntegerField(
        min_value=1, max_value=100, allow_null=True, required=False
    )
    fixed = serializers.IntegerField(min_value=1, max_value=500, allow_null=True, required=False)

    class Meta:
        model = KitRule
        fields = ["kit_type", "per_pupils", "fixed"]
        validators = []

    def validate(self, attrs):
        if (attrs.get("per_pupils") is None) == (attrs.get("fixed") is None):
            raise serializers.ValidationError(
                {"non_field_errors": ["Geef precies één van per_pupils en fixed."]}
            )
        return attrs


class ConsumableRuleSerializer(serializers.ModelSerializer):
    consumable = ScopedPrimaryKeyRelatedField(queryset=Consumable.objects.all())
    per_pupil = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("10000"),
        coerce_to_string=False,
    )

    class Meta:
        model = ConsumableRule
        fields = ["consumable", "per_pupil"]
        validators = []


class CapacityWarningSerializer(serializers.Serializer):
    """A depot (with an active wagon) that cannot serve a session of the workshop's max_pupils."""

    kit_type = serializers.IntegerField()
    kit_type_name = serializers.CharField()
    depot = serializers.IntegerField()
    depot_name = serializers.CharField()
    needed = serializers.IntegerField(help_text="Units for max_pupils plus the spare units.")
    total = serializers.IntegerField(help_text="Available items of the kit type in the depot.")
    detail = serializers.CharField()


class WorkshopSerializer(serializers.ModelSerializer):
    school_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SCHOOL_TYPES), max_length=13, required=False
    )
    kit_rules = KitRuleSerializer(many=True, required=False, max_length=50)
    consumable_rules = ConsumableRuleSerializer(many=True, required=False, max_length=50)
    capacity_warnings = serializers.SerializerMethodField()
    programme = ScopedPrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False)
    po_group_min = serializers.IntegerField(
        min_value=1,
        max_value=8,
        allow_null=True,
        required=False,
        help_text="Groep (po); null = any.",
    )
    po_group_max = serializers.IntegerField(
        min_value=1,
        max_value=8,
        allow_null=True,
        required=False,
        help_text="Groep (po); null = any.",
    )
    vo_year_min = serializers.IntegerField(
        min_value=1,
        max_value=6,
        allow_null=True,
        required=False,
        help_text="Leerjaar (vo); null = any.",
    )
    vo_year_max = serializers.IntegerField(
        min_value=1,
        max_value=6,
        allow_null=True,
        required=False,
        help_text="Leerjaar (vo); null = any.",
    )

    class Meta:
        model = Workshop
        fields = [
            "id",
            "programme",
            "name",
            "description",
            "duration_minutes",
            "max_pupils",
            "school_types",
            "active",
            "po_group_min",
            "po_group_max",
            "vo_year_min",
            "vo_year_max",
            "kit_rules",
            "consumable_rules",
            "capacity_warnings",
        ]
        # The name is unique within a programme: checked in validate() once the programme is
        # known (DRF's generated check would make `programme` a required field).
        validators = []

    def to_representation(self, workshop: Workshop) -> dict:
        # Hot path (lists of 1,000 workshops): the prefetched rules read as attributes instead of
        # two nested serializers per row. Same output as ModelSerializer (pinned by a test).
        per_pupil = self.fields["consumable_rules"].child.fields["per_pupil"]
        return {
            "id": workshop.id,
            "programme": workshop.programme_id,
            "name": workshop.name,
            "description": workshop.description,
            "duration_minutes": workshop.duration_minutes,
            "max_pupils": workshop.max_pupils,
            "school_types": list(workshop.school_types or []),
            "active": workshop.active,
            "po_group_min": workshop.po_group_min,
            "po_group_max": workshop.po_group_max,
            "vo_year_min": workshop.vo_year_min,
            "vo_year_max": workshop.vo_year_max,
            "kit_rules": [
                {"kit_type": r.kit_type_id, "per_pupils": r.per_pupils, "fixed": r.fixed}
                for r in workshop.kit_rules.all()
            ],
            "consumable_rules": [
                {
                    "consumable": r.consumable_id,
                    "per_pupil": per_pupil.to_representation(r.per_pupil),
                }
                for r in workshop.consumable_rules.all()
            ],
            "capacity_warnings": self.get_capacity_warnings(workshop),
        }

    @extend_schema_field(CapacityWarningSerializer(many=True))
    def get_capacity_warnings(self, workshop) -> list[dict]:
        # The stock is read once per response (a list shares its root's context), so the list
        # takes the same number of queries for any number of workshops.
        stock = self.context.get("depot_stock")
        if stock is None:
            stock = self.context["depot_stock"] = DepotStock.load()
        return capacity_warnings(workshop, stock)

    def validate_school_types(self, value):
        return list(dict.fromkeys(value))

    def validate(self, attrs):
        programme = programme_for_new_row(self, attrs)
        name = attrs.get("name", getattr(self.instance, "name", None))
        clash = Workshop.objects.filter(programme=programme, name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"name": [f"Er is al een workshop {name} in dit programma."]}
            )
        foreign = [
            rule["consumable"].name
            for rule in attrs.get("consumable_rules") or ()
            if rule["consumable"].depot.programme_id != programme.pk
        ]
        if foreign:
            raise serializers.ValidationError(
                {"consumable_rules": [f"Verbruiksmateriaal van een ander programma: {foreign[0]}."]}
            )
        return attrs


class AvailabilityQuerySerializer(serializers.Serializer):
    # A school in the query names the resource asked about: one the user may not see is a 404
    # (the view looks it up in the user's scope), not a field error.
    school = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    date_from = WindowDateField()
    date_to = WindowDateField()
    workshop = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(queryset=Workshop.objects.all()),
        required=False,
        max_length=20,
    )
    pupils = serializers.IntegerField(min_value=1, max_value=200, required=False, default=0)
    wagon = ScopedPrimaryKeyRelatedField(queryset=Wagon.objects.all(), required=False)

    def validate(self, attrs):
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": ["date_to ligt voor date_from."]})
        if (attrs["date_to"] - attrs["date_from"]).days >= MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"date_to": [f"Vraag hoogstens {MAX_RANGE_DAYS} dagen tegelijk op."]}
            )
        if attrs.get("workshop") and not attrs.get("pupils"):
            raise serializers.ValidationError({"pupils": ["Geef het aantal leerlingen op."]})
        return attrs


class ReasonSerializer(serializers.Serializer):
    """Why a day cannot be booked (API.md reason objects); `kit_shortage` names the kit type."""

    code = serializers.CharField()
    detail = serializers.CharField()
    kit_type = serializers.IntegerField(required=False)
    kit_type_name = serializers.CharField(required=False)
    needed = serializers.IntegerField(required=False)
    available = serializers.IntegerField(required=False, help_text="Free units.")
    total = serializers.IntegerField(required=False, help_text="Available units in the depot.")


@extend_schema_field(ReasonSerializer(many=True))
class ReasonListField(serializers.ListField):
    """Reason dicts passed through as built (documented as ReasonSerializer)."""

    child = serializers.DictField()


class AvailabilityDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    available = serializers.BooleanField()
    wagons = serializers.ListField(child=serializers.IntegerField())
    reasons = ReasonListField()

    def to_representation(self, instance):
        # What the fields above give (ISO date, reasons as built), without their per-field
        # machinery: a year is 366 of these per request.
        return {
            "date": instance["date"].isoformat(),
            "available": bool(instance["available"]),
            "wagons": [int(w) for w in instance["wagons"]],
            "reasons": [{str(k): v for k, v in r.items()} for r in instance["reasons"]],
        }


class AvailabilitySerializer(serializers.Serializer):
    days = AvailabilityDaySerializer(many=True)


def _count_field(max_value: int, help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=max_value, allow_null=True, required=False, help_text=help_text
    )


class SessionSerializer(serializers.ModelSerializer):
    """A session; who was there (girls, boys, teachers) is optional at request time and checked
    with the rest in `services.validate_sessions`."""

    workshop = ScopedPrimaryKeyRelatedField(queryset=Workshop.objects.all())
    start_time = serializers.TimeField(format="%H:%M")
    pupils = serializers.IntegerField(min_value=1, max_value=200)
    year = serializers.IntegerField(min_value=1, max_value=8)
    girls = _count_field(200, "Girls in the group; girls + boys ≤ pupils.")
    boys = _count_field(200, "Boys in the group; girls + boys ≤ pupils.")
    pupils_unspecified = serializers.IntegerField(
        read_only=True, help_text="pupils − girls − boys (computed)."
    )
    teachers = _count_field(50, "Teachers present with the group.")
    profile = serializers.ChoiceField(
        choices=VmboProfile.choices,
        required=False,
        allow_blank=True,
        help_text="vmbo profiel (vmbo sessions only).",
    )

    class Meta:
        model = BookingSession
        fields = [
            "id",
            "workshop",
            "group_label",
            "school_type",
            "year",
            "pupils",
            "start_time",
            "girls",
            "boys",
            "pupils_unspecified",
            "teachers",
            "profile",
        ]
        read_only_fields = ["id"]


class AttendanceSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    girls = _count_field(200, "Girls present.")
    boys = _count_field(200, "Boys present.")
    teachers = _count_field(50, "Teachers present.")
    pupils = serializers.IntegerField(
        min_value=1,
        max_value=200,
        required=False,
        help_text="Corrected pupils total (after the visit took place).",
    )


class AttendanceInputSerializer(serializers.Serializer):
    """`PUT /bookings/{id}/attendance/`: who was there, per session of the visit."""

    sessions = AttendanceSessionSerializer(many=True, max_length=12)

    def validate_sessions(self, value):
        if not value:
            raise serializers.ValidationError("Geef minstens één sessie op.")
        return value


class KitNeedLineSerializer(serializers.Serializer):
    kit_type = serializers.IntegerField()
    quantity = serializers.IntegerField()


class BookingSerializer(serializers.ModelSerializer):
    """Output shape of a booking (and the input of `POST /bookings/`)."""

    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    wagon = ScopedPrimaryKeyRelatedField(
        queryset=Wagon.objects.filter(active=True), required=False, allow_null=True
    )
    sessions = SessionSerializer(many=True, max_length=12)
    alternative_dates = serializers.ListField(
        child=WindowDateField(), required=False, max_length=MAX_ALTERNATIVE_DATES
    )
    kit_need = serializers.SerializerMethodField()
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "reference",
            "school",
            "wagon",
            "date",
            "status",
            "status_reason",
            "pinned",
            "sessions",
            "contact_name",
            "contact_email",
            "contact_phone",
            "site_notes",
            "photo_consent",
            "alternative_dates",
            "kit_need",
            "created",
            "updated",
        ]
        read_only_fields = [
            "reference",
            "status",
            "status_reason",
            "pinned",
            "created",
            "updated",
        ]

    def get_kit_need(self, booking) -> list[dict]:
        return kit_need_for(booking).as_list()

    def validate_sessions(self, value):
        if not value:
            raise serializers.ValidationError("Geef minstens één sessie op.")
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if getattr(instance, "at_risk", False):
            data["at_risk"] = True
            data["shortage"] = instance.shortage
        return data


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class PinInputSerializer(serializers.Serializer):
    pinned = serializers.BooleanField()


class SessionsInputSerializer(serializers.Serializer):
    sessions = SessionSerializer(many=True, max_length=12)

    def validate_sessions(self, value):
        if not value:
            raise serializers.ValidationError("Geef minstens één sessie op.")
        return value
