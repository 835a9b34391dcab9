"""Onboarding API: a coordinator invites a school contact, and sees, approves and declines
access requests of its programmes. Thin views: every write is a service in
`onboarding.services`."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import COORDINATOR_ONLY, RoleAccess
from bookings.models import School
from onboarding import services
from onboarding.models import AccessRequest
from onboarding.serializers import (
    AccessRequestSerializer,
    ApproveSerializer,
    InvitationSerializer,
    InviteSerializer,
)


class SchoolInviteView(APIView):
    """`POST /api/v1/schools/{id}/invite/ {"email", "name"}`: e-mail a one-time link (valid 7
    days) to set a password for a new user of this school; an earlier open invitation of the
    same address for this school stops working."""

    permission_classes = [RoleAccess]
    read_roles = frozenset()
    write_roles = COORDINATOR_ONLY

    @extend_schema(request=InviteSerializer, responses={201: InvitationSerializer})
    def post(self, request, pk: int):
        school = get_object_or_404(School.objects.restrict(request.user), pk=pk)
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, _token = services.invitation_create(
            school=school,
            email=data.validated_data["email"],
            name=data.validated_data["name"],
            acting_user=request.user,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=AccessRequest.Status.values, required=False)
        ]
    )
)
class AccessRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Access requests of the coordinator's programmes (`?status=pending|approved|declined`).
    A request for a BRIN that matched no programme is seen by superusers only (in the admin)."""

    serializer_class = AccessRequestSerializer
    permission_classes = [RoleAccess]
    read_roles = COORDINATOR_ONLY
    write_roles = COORDINATOR_ONLY

    def get_queryset(self):
        qs = AccessRequest.objects.restrict(self.request.user).select_related("school")
        status_filter = self.request.query_params.get("status")
        if status_filter in AccessRequest.Status.values:
            qs = qs.filter(status=status_filter)
        return qs.order_by("created_at", "id")

    @extend_schema(request=ApproveSerializer, responses={200: AccessRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        access_request = self.get_object()
        data = ApproveSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        approved = services.access_request_approve(
            access_request=access_request,
            school=data.validated_data.get("school"),
            acting_user=request.user,
        )
        return Response(AccessRequestSerializer(approved).data)

    @extend_schema(request=None, responses={200: AccessRequestSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        declined = services.access_request_decline(
            access_request=self.get_object(), acting_user=request.user
        )
        return Response(AccessRequestSerializer(declined).data)
