"""`/api/v1/waiting-list/`: a school reads and joins its own entries and answers its offers;
coordinators see every entry (and may put a school on the list); crew has no business here."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.fields import WindowDateField
from backend.core.permissions import RoleAccess
from backend.core.roles import COORDINATOR, SCHOOL, role_of, school_id_of
from backend.core.scoping import ScopedPrimaryKeyRelatedField
from bookings import waiting
from bookings.exceptions import BookingError
from bookings.models import MAX_ALTERNATIVE_DATES, School, WaitingEntry
from bookings.serializers import SessionSerializer

SCHOOL_AND_COORDINATOR = frozenset({COORDINATOR, SCHOOL})


class WaitingEntrySerializer(serializers.ModelSerializer):
    """Output shape of a waiting-list entry."""

    school_name = serializers.CharField(source="school.name", read_only=True)
    dates = serializers.ListField(child=serializers.DateField(), read_only=True)
    sessions = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = WaitingEntry
        fields = [
            "id",
            "school",
            "school_name",
            "dates",
            "sessions",
            "contact_name",
            "contact_email",
            "status",
            "offer_date",
            "offer_wagon",
            "offer_expires",
            "booking",
            "created",
        ]
        read_only_fields = fields


class WaitingJoinSerializer(serializers.Serializer):
    """Input of `POST /waiting-list/`: the wanted date, alternatives, and the visit's sessions."""

    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    date = WindowDateField()
    alternative_dates = serializers.ListField(
        child=WindowDateField(), required=False, max_length=MAX_ALTERNATIVE_DATES
    )
    sessions = SessionSerializer(many=True, max_length=12)
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)

    def validate_sessions(self, value):
        if not value:
            raise serializers.ValidationError("Geef minstens één sessie op.")
        return value


class WaitingListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = WaitingEntrySerializer
    permission_classes = [RoleAccess]
    read_roles = SCHOOL_AND_COORDINATOR
    write_roles = SCHOOL_AND_COORDINATOR
    action_roles = {"create": SCHOOL_AND_COORDINATOR}

    def get_queryset(self):
        qs = (
            WaitingEntry.objects.restrict(self.request.user)
            .select_related("school")
            .order_by("created", "id")
        )
        status = self.request.query_params.get("status")
        if status in WaitingEntry.Status.values:
            qs = qs.filter(status=status)
        return qs

    @extend_schema(request=WaitingJoinSerializer, responses={201: WaitingEntrySerializer})
    def create(self, request, *args, **kwargs):
        data = WaitingJoinSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        data = data.validated_data
        school = data.get("school")
        if role_of(request.user) == SCHOOL:
            own = school_id_of(request.user)
            if school is not None and school.pk != own:
                raise BookingError(
                    "U kunt alleen uw eigen school op de wachtlijst zetten.",
                    code="invalid",
                    status_code=400,
                )
            school = get_object_or_404(School.objects.restrict(request.user), pk=own)
        if school is None:
            raise BookingError("Geef een school op.", code="invalid", status_code=400)
        entry = waiting.waiting_join(
            school=school,
            dates=[data["date"], *data.get("alternative_dates", ())],
            sessions=data["sessions"],
            contact_name=data.get("contact_name", ""),
            contact_email=data.get("contact_email", ""),
            acting_user=request.user,
        )
        return Response(self.get_serializer(entry).data, status=201)

    @extend_schema(request=None, responses=WaitingEntrySerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        entry = waiting.waiting_accept(entry=self.get_object(), acting_user=request.user)
        return Response(self.get_serializer(entry).data)

    @extend_schema(request=None, responses=WaitingEntrySerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        entry = waiting.waiting_decline(entry=self.get_object(), acting_user=request.user)
        return Response(self.get_serializer(entry).data)
