"""`/api/v1/blackouts/`: closed days of a programme, a wagon or a school (API.md).

Coordinators manage their programmes' closed days; crew read them; a school user reads its
programme's and its own school's (never another school's: `Blackout.objects.restrict`) and manages
only its own school's studiedagen — the rules live in `bookings.services.blackout_*`.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS

from backend.core.concurrency import VersionedMixin
from backend.core.history import HistoryMixin
from backend.core.permissions import ALL_ROLES, RoleAccess
from backend.core.roles import COORDINATOR, SCHOOL, role_of, school_id_of
from backend.core.scoping import ScopedPrimaryKeyRelatedField
from bookings import services
from bookings.filters import BlackoutFilter
from bookings.models import Blackout, School
from inventory.models import Wagon
from programmes.models import Programme

# A closed period longer than a school year is a typo, not a closure.
MAX_RANGE_DAYS = 366


class BlackoutSerializer(serializers.ModelSerializer):
    wagon = ScopedPrimaryKeyRelatedField(
        queryset=Wagon.objects.all(), allow_null=True, required=False
    )
    school = ScopedPrimaryKeyRelatedField(
        queryset=School.objects.all(), allow_null=True, required=False
    )
    # Optional: it follows the wagon or school, or the user's only programme (the service).
    programme = ScopedPrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False)

    class Meta:
        model = Blackout
        fields = ["id", "wagon", "school", "programme", "date_from", "date_to", "reason"]

    def validate(self, attrs):
        start = attrs.get("date_from", getattr(self.instance, "date_from", None))
        end = attrs.get("date_to", getattr(self.instance, "date_to", None))
        if start and end:
            if start > end:
                raise serializers.ValidationError(
                    {"date_to": [_("De einddatum ligt voor de begindatum.")]}
                )
            if (end - start).days >= MAX_RANGE_DAYS:
                raise serializers.ValidationError(
                    {
                        "date_to": [
                            _("Een gesloten periode duurt hoogstens %(days)s dagen.")
                            % {"days": MAX_RANGE_DAYS}
                        ]
                    }
                )
        wagon = attrs.get("wagon", getattr(self.instance, "wagon", None))
        school = attrs.get("school", getattr(self.instance, "school", None))
        if wagon is not None and school is not None:
            raise serializers.ValidationError(
                {
                    "school": [
                        _("Een gesloten dag geldt voor een wagen of voor een school, niet beide.")
                    ]
                }
            )
        return attrs


class BlackoutViewSet(VersionedMixin, HistoryMixin, viewsets.ModelViewSet):
    """Closed days: everyone reads its programme's; coordinators change them, a school its own
    school's (the service refuses the rest)."""

    queryset = Blackout.objects.all()
    serializer_class = BlackoutSerializer
    filterset_class = BlackoutFilter
    permission_classes = [RoleAccess]
    read_roles = ALL_ROLES
    write_roles = frozenset({COORDINATOR, SCHOOL})

    def get_queryset(self):
        return Blackout.objects.restrict(self.request.user)

    def get_object(self):
        blackout = super().get_object()
        # A school reads its programme's closed days but changes only its own school's: refuse
        # before the body is validated, so the answer does not depend on the body.
        if (
            self.request.method not in SAFE_METHODS
            and role_of(self.request.user) == SCHOOL
            and blackout.school_id != school_id_of(self.request.user)
        ):
            raise PermissionDenied(_("Een school beheert alleen de eigen gesloten dagen."))
        return blackout

    def perform_create(self, serializer):
        serializer.instance = services.blackout_save(
            blackout=Blackout(**serializer.validated_data), acting_user=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.blackout_update(
            blackout=serializer.instance,
            data=serializer.validated_data,
            acting_user=self.request.user,
        )

    def perform_destroy(self, instance):
        services.blackout_delete(blackout=instance, acting_user=self.request.user)
