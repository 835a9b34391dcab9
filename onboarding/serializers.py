"""Request and response shapes of the onboarding API."""

from rest_framework import serializers

from backend.core.scoping import ScopedPrimaryKeyRelatedField
from bookings.models import School
from onboarding.models import AccessRequest, Invitation


class InviteSerializer(serializers.Serializer):
    # The address becomes the username (max 150 characters).
    email = serializers.EmailField(max_length=150)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "school", "email", "name", "created_at", "expires_at"]


class AccessRequestSerializer(serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.name", default=None, read_only=True)

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "name",
            "email",
            "brin",
            "message",
            "school",
            "school_name",
            "programme",
            "status",
            "created_at",
            "decided_at",
        ]


class ApproveSerializer(serializers.Serializer):
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(),
        required=False,
        allow_null=True,
        help_text="Needed when the requested BRIN matched no single school.",
    )
