"""Routes API: list/read for crew and coordinators, edits and the planner for coordinators."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.concurrency import VersionedMixin
from backend.core.history import HistoryMixin
from backend.core.permissions import COORDINATOR_ONLY, STAFF_ROLES, RoleAccess
from backend.core.renderers import PDFRenderer
from bookings.packing.serializers import RoutePackingListSerializer
from routes import jobs, pdf, selectors, services
from routes.filters import RouteFilter
from routes.models import PlanJob, Route
from routes.selectors import evaluate_plans, route_data, routes_data
from routes.serializers import (
    AddStopSerializer,
    PlanJobSerializer,
    PlanRequestSerializer,
    RemoveStopSerializer,
    ReorderSerializer,
    RouteCreateSerializer,
    RouteSerializer,
)


class RouteViewSet(
    VersionedMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Routes (a wagon-day with its stops in order): crew read, coordinators change and plan."""

    queryset = Route.objects.all()  # names the model behind {id}; get_queryset() adds the stops
    permission_classes = [RoleAccess]
    read_roles = STAFF_ROLES
    write_roles = COORDINATOR_ONLY
    action_roles = {"plan_job": COORDINATOR_ONLY}
    serializer_class = RouteSerializer
    filterset_class = RouteFilter
    version_related = ("stops",)

    def get_queryset(self):
        return (
            selectors.routes_with_stops().restrict(self.request.user).order_by("date", "wagon_id")
        )

    def _one(self, route: Route) -> dict:
        fresh = self.get_queryset().get(pk=route.pk)
        return routes_data([fresh])[0]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(RouteSerializer(routes_data(page), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(RouteSerializer(routes_data([self.get_object()])[0]).data)

    @extend_schema(request=RouteCreateSerializer, responses={201: RouteSerializer})
    def create(self, request, *args, **kwargs):
        data = RouteCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        route = services.route_create(
            wagon=data.validated_data["wagon"],
            date=data.validated_data["date"],
            booking_ids=data.validated_data["bookings"],
            acting_user=request.user,
        )
        return Response(RouteSerializer(self._one(route)).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.route_delete(route=self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ReorderSerializer, responses=RouteSerializer)
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        route = self.get_object()
        data = ReorderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.route_reorder(
            route=route, booking_ids=data.validated_data["bookings"], acting_user=request.user
        )
        return Response(RouteSerializer(self._one(route)).data)

    @extend_schema(request=AddStopSerializer, responses=RouteSerializer)
    @action(detail=True, methods=["post"], url_path="add-stop")
    def add_stop(self, request, pk=None):
        route = self.get_object()
        data = AddStopSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.route_add_stop(
            route=route,
            booking=data.validated_data["booking"],
            position=data.validated_data.get("position"),
            acting_user=request.user,
        )
        return Response(RouteSerializer(self._one(route)).data)

    @extend_schema(request=RemoveStopSerializer, responses=RouteSerializer)
    @action(detail=True, methods=["post"], url_path="remove-stop")
    def remove_stop(self, request, pk=None):
        route = self.get_object()
        data = RemoveStopSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.route_remove_stop(
            route=route, booking=data.validated_data["booking"], acting_user=request.user
        )
        return Response(RouteSerializer(self._one(route)).data)

    @extend_schema(request=PlanRequestSerializer, responses={202: PlanJobSerializer})
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def plan(self, request):
        """Queue a tour plan: 202 with the job's URL; the plan is made off the request path."""
        data = PlanRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        job = jobs.plan_job_start(
            acting_user=request.user,
            wagons=values["wagon_list"],
            date_from=values["date_from"],
            date_to=values["date_to"],
            commit=values["commit"],
            allow_moves=values["allow_moves"],
        )
        body = PlanJobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["job"]})

    @extend_schema(
        responses=PlanJobSerializer,
        parameters=[OpenApiParameter("job_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"plan/jobs/(?P<job_id>[0-9]{1,18})",
        url_name="plan-job",
        pagination_class=None,
        filter_backends=[],
    )
    def plan_job(self, request, job_id=None):
        """A planning job's state and, once done, its proposal (or the routes it saved)."""
        # Only its requester sees a job: it may hold another coordinator's unsaved proposal.
        job = get_object_or_404(PlanJob, pk=int(job_id), requested_by=request.user)
        return Response(PlanJobSerializer(job, context={"request": request}).data)

    @extend_schema(responses=RoutePackingListSerializer)
    @action(detail=True, methods=["get"], url_path="packing-list")
    def packing_list(self, request, pk=None):
        route = self.get_object()
        return Response({"route": route.pk, **selectors.packing_summary(route)})


class RoutePdfView(APIView):
    """A route as a PDF: the day sheet, or (`packing_only`) the wagon-day's packing list."""

    permission_classes = [RoleAccess]
    read_roles = STAFF_ROLES
    renderer_classes = [PDFRenderer, renderers.JSONRenderer]
    packing_only = False
    filename = "dagblad"

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        route = get_object_or_404(selectors.routes_with_stops().restrict(request.user), pk=pk)
        [plan] = evaluate_plans([selectors.day_plan_of(route)])
        content = pdf.DaySheetPdf(
            route=route,
            data=route_data(plan),
            packing=selectors.packing_totals(route),
            generated_at=timezone.now(),
            packing_only=self.packing_only,
        ).render()
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{self.filename}-{route.wagon.pk}-{route.date:%Y-%m-%d}.pdf"'
        )
        return response


class RoutePackingPdfView(RoutePdfView):
    packing_only = True
    filename = "paklijst-wagen"
