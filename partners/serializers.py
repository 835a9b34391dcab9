"""Request and response shapes of `/api/v1/partners/` and participations."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from backend.core.scoping import ScopedPrimaryKeyRelatedField, programme_for_new_row
from partners.models import Participation, Partner
from partners.validators import normalise_kvk, validate_kvk
from programmes.models import Programme

HOURS = {"max_digits": 12, "decimal_places": 2, "read_only": True}


class KvkField(serializers.CharField):
    def to_internal_value(self, data):
        value = normalise_kvk(super().to_internal_value(data))
        validate_kvk(value)  # Django's ValidationError → DRF field error
        return value


class PartnerSerializer(serializers.ModelSerializer):
    # Optional: the user's only programme when not named (backend.core.scoping).
    programme = ScopedPrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False)
    kvk_number = KvkField(max_length=20, required=False, allow_blank=True)
    visits = serializers.IntegerField(read_only=True, default=0)
    pupils = serializers.IntegerField(read_only=True, default=0)
    hours = serializers.DecimalField(**HOURS, default=0)

    class Meta:
        model = Partner
        fields = [
            "id",
            "programme",
            "name",
            "kvk_number",
            "sector",
            "contact_name",
            "contact_email",
            "contact_phone",
            "active",
            "visits",
            "pupils",
            "hours",
        ]
        # Uniqueness is the service's check (case-insensitive, per programme).
        validators = []

    def validate(self, attrs):
        programme_for_new_row(self, attrs)
        return attrs


class ParticipationSerializer(serializers.ModelSerializer):
    partner = ScopedPrimaryKeyRelatedField(queryset=Partner.objects.all())
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    booking = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "booking", "partner", "partner_name", "kind", "hours", "note"]
        validators = []

    def validate(self, attrs):
        booking = self.context["booking"]
        partner = attrs.get("partner")
        if partner is not None and partner.programme_id != booking.school.programme_id:
            raise serializers.ValidationError(
                {"partner": [_("Deze partner hoort bij een ander programma dan het bezoek.")]}
            )
        return attrs
