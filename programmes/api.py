"""`/api/v1/programmes/`: members read their own programme(s); the funder reads every one."""

from rest_framework import serializers, viewsets

from backend.core.permissions import ALL_ROLES, RoleAccess
from backend.core.roles import FUNDER, role_of
from programmes.models import Programme


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "project_code",
            "lead_time_days",
            "liberation_day",
            "friday_after_ascension_closed",
            "good_friday_closed",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]

    def to_representation(self, programme):
        data = super().to_representation(programme)
        if role_of(self.context["request"].user) == FUNDER:
            # The funder reads figures, never who to call: contact details are personal data.
            for field in ("contact_name", "contact_email", "contact_phone"):
                data.pop(field)
        return data


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programmes are managed by superusers in the admin; the API only reads them."""

    serializer_class = ProgrammeSerializer
    permission_classes = [RoleAccess]
    read_roles = ALL_ROLES | {FUNDER}
    filterset_fields = ["project_code"]

    def get_queryset(self):
        return Programme.objects.restrict(self.request.user).order_by("name", "id")
