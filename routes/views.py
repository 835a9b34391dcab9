"""Routes API: list/read for crew and coordinators, edits and the planner for coordinators."""

from __future__ import annotations

import copy

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.concurrency import VersionedMixin
from backend.core.history import HistoryMixin
from backend.core.permissions import COORDINATOR_ONLY, STAFF_ROLES, RoleAccess
from backend.core.renderers import PDFRenderer
from bookings.packing.serializers import RoutePackingListSerializer
from bookings.selectors import bookings_with_details
from routes import pdf, selectors, services
from routes.filters import RouteFilter
from routes.models import Route
from routes.selectors import DayPlan, evaluate_plans, route_data, routes_data
from routes.serializers import (
    AddStopSerializer,
    PlanRequestSerializer,
    PlanResponseSerializer,
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
    serializer_class = RouteSerializer
    filterset_class = RouteFilter
    version_related = ("stops",)

    def get_queryset(self):
        return selectors.routes_with_stops().order_by("date", "wagon_id")

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
        data = RouteCreateSerializer(data=request.data)
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
        data = AddStopSerializer(data=request.data)
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
        data = RemoveStopSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.route_remove_stop(
            route=route, booking=data.validated_data["booking"], acting_user=request.user
        )
        return Response(RouteSerializer(self._one(route)).data)

    @extend_schema(request=PlanRequestSerializer, responses=PlanResponseSerializer)
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def plan(self, request):
        data = PlanRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        wagons = values["wagon_list"]
        today = timezone.localdate()
        args = {
            "wagons": wagons,
            "date_from": values["date_from"],
            "date_to": values["date_to"],
            "today": today,
            "allow_moves": values["allow_moves"],
        }
        if values["commit"]:
            outcome = services.plan_commit(acting_user=request.user, **args)
            routes = routes_data(self.get_queryset().filter(pk__in=[r.pk for r in outcome.routes]))
        else:
            outcome = services.plan_propose(**args)
            routes = self._proposal(outcome.result)
        result = outcome.result
        payload = {
            "committed": values["commit"],
            "status": result.status,
            "served": result.served,
            "total_drive_minutes": result.total_drive_minutes,
            "total_km": round(sum(r["total_km"] for r in routes), 2),
            "routes": routes,
            "unplanned": result.unplanned,
            "moved": outcome.moved,
        }
        return Response(PlanResponseSerializer(payload).data)

    def _proposal(self, result) -> list[dict]:
        ids = [bid for r in result.routes for bid in r.booking_ids]
        found = bookings_with_details().in_bulk(ids)
        wagons = {w.pk: w for w in self.request_wagons(result)}
        plans = []
        for planned in result.routes:
            bookings = []
            for bid in planned.booking_ids:
                booking = copy.copy(found[bid])  # shown on its planned date, never saved
                booking.date = planned.date
                bookings.append(booking)
            plans.append(
                DayPlan(wagon=wagons[planned.wagon_id], date=planned.date, bookings=bookings)
            )
        return [route_data(p) for p in evaluate_plans(plans)]

    @staticmethod
    def request_wagons(result):
        from inventory.models import Wagon

        return Wagon.objects.filter(pk__in={r.wagon_id for r in result.routes})

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
        route = get_object_or_404(selectors.routes_with_stops(), pk=pk)
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
