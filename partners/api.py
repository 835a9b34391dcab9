"""`/api/v1/partners/` (the register, with each partner's visits, pupils and hours) and a visit's
partner participations: `/api/v1/bookings/{id}/participations/` (list, add) and
`/api/v1/participations/{id}/` (read, change, remove). Coordinators manage their programmes'
partners; crew read the register; schools and the funder have no access. Thin: every write is a
service in `partners.services`."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import COORDINATOR_ONLY, STAFF_ROLES, RoleAccess
from bookings.models import Booking
from partners import selectors, services
from partners.models import Participation
from partners.serializers import ParticipationSerializer, PartnerSerializer


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("active", bool, required=False, description="Only (in)active")]
    )
)
class PartnerViewSet(viewsets.ModelViewSet):
    """The partner register of the user's programmes; `visits`, `pupils` and `hours` count the
    visits that took place (`on_site`, `returned`, `completed`)."""

    serializer_class = PartnerSerializer
    permission_classes = [RoleAccess]
    read_roles = STAFF_ROLES
    write_roles = COORDINATOR_ONLY

    def get_queryset(self):
        qs = selectors.partners_for(self.request.user)
        active = self.request.query_params.get("active")
        if active in ("true", "false"):
            qs = qs.filter(active=active == "true")
        return qs.order_by("name", "id")

    def perform_create(self, serializer):
        serializer.instance = services.partner_create(
            **serializer.validated_data, acting_user=self.request.user
        )

    def perform_update(self, serializer):
        services.partner_update(
            partner=serializer.instance,
            data=serializer.validated_data,
            acting_user=self.request.user,
        )
        # Read back with the computed figures.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        services.partner_delete(partner=instance, acting_user=self.request.user)


def _booking(request, pk: int) -> Booking:
    return get_object_or_404(Booking.objects.restrict(request.user).select_related("school"), pk=pk)


class BookingParticipationsView(APIView):
    """A visit's partner participations (coordinator): `GET` lists them, `POST {"partner",
    "kind": "guest_instructor"|"materials"|"sponsor", "hours", "note"}` adds one. A partner of
    another programme than the visit → 400 on `partner`; another programme's visit → 404; the
    same partner in the same role twice → 409 `duplicate`."""

    permission_classes = [RoleAccess]
    read_roles = COORDINATOR_ONLY
    write_roles = COORDINATOR_ONLY

    @extend_schema(responses={200: ParticipationSerializer(many=True)})
    def get(self, request, pk: int):
        booking = _booking(request, pk)
        rows = selectors.participations_of_booking(booking)
        return Response(ParticipationSerializer(rows, many=True).data)

    @extend_schema(request=ParticipationSerializer, responses={201: ParticipationSerializer})
    def post(self, request, pk: int):
        booking = _booking(request, pk)
        data = ParticipationSerializer(
            data=request.data, context={"request": request, "booking": booking}
        )
        data.is_valid(raise_exception=True)
        participation = services.participation_add(
            booking=booking, **data.validated_data, acting_user=request.user
        )
        return Response(ParticipationSerializer(participation).data, status=status.HTTP_201_CREATED)


class ParticipationViewSet(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """One participation of the coordinator's programmes: read, change (`PATCH`), remove."""

    serializer_class = ParticipationSerializer
    permission_classes = [RoleAccess]
    read_roles = COORDINATOR_ONLY
    write_roles = COORDINATOR_ONLY

    def get_queryset(self):
        return Participation.objects.restrict(self.request.user).select_related(
            "partner", "booking__school"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "kwargs", None) and "pk" in self.kwargs and self.request is not None:
            context["booking"] = self.get_object().booking
        return context

    def perform_update(self, serializer):
        serializer.instance = services.participation_update(
            participation=serializer.instance,
            data=serializer.validated_data,
            acting_user=self.request.user,
        )

    def perform_destroy(self, instance):
        services.participation_remove(participation=instance, acting_user=self.request.user)
