from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.concurrency import VersionedMixin
from backend.core.history import HistoryMixin
from backend.core.pagination import ListPagination
from backend.core.parsers import JSONParser
from backend.core.permissions import ALL_ROLES, COORDINATOR_ONLY, STAFF_ROLES, RoleAccess
from backend.core.scoping import ScopedViewSetMixin
from backend.core.updates import ChangedFieldsUpdateMixin
from inventory import services
from inventory.filters import ConsumableFilter, ItemFilter
from inventory.models import Case, Consumable, Depot, Item, StandardEquipment, Wagon
from inventory.parsers import PhotoMultiPartParser
from inventory.selectors import kit_types_with_counts
from inventory.serializers import (
    ITEM_COLUMNS,
    CaseSerializer,
    ConsumableSerializer,
    DefectReportInSerializer,
    DefectReportSerializer,
    DepotSerializer,
    ItemSerializer,
    ItemStatusNoteSerializer,
    KitTypeSerializer,
    ReportDefectSerializer,
    StandardEquipmentSerializer,
    StockAdjustSerializer,
    WagonSerializer,
    item_rows,
)


class CatalogueViewSet(
    ScopedViewSetMixin,
    VersionedMixin,
    ChangedFieldsUpdateMixin,
    HistoryMixin,
    viewsets.ModelViewSet,
):
    """Readable by every role, changed by coordinators."""

    permission_classes = [RoleAccess]
    read_roles = ALL_ROLES
    write_roles = COORDINATOR_ONLY


class StaffViewSet(
    ScopedViewSetMixin,
    VersionedMixin,
    ChangedFieldsUpdateMixin,
    HistoryMixin,
    viewsets.ModelViewSet,
):
    """Readable by crew and coordinators, changed by coordinators."""

    permission_classes = [RoleAccess]
    read_roles = STAFF_ROLES
    write_roles = COORDINATOR_ONLY


class DepotViewSet(CatalogueViewSet):
    queryset = Depot.objects.all()
    serializer_class = DepotSerializer

    def perform_destroy(self, instance):
        services.depot_delete(depot=instance, acting_user=self.request.user)


class WagonViewSet(CatalogueViewSet):
    queryset = Wagon.objects.all()
    serializer_class = WagonSerializer
    filterset_fields = ["depot", "active"]

    def perform_destroy(self, instance):
        services.wagon_delete(wagon=instance, acting_user=self.request.user)


class KitTypeViewSet(CatalogueViewSet):
    serializer_class = KitTypeSerializer
    filterset_fields = ["category"]

    def get_queryset(self):
        # Kit types are one shared catalogue; the counts are of the user's programmes' items.
        return kit_types_with_counts(user=self.request.user).order_by("storage_location", "name")

    def perform_destroy(self, instance):
        services.kit_type_delete(kit_type=instance, acting_user=self.request.user)


class CaseViewSet(StaffViewSet):
    queryset = Case.objects.all()
    serializer_class = CaseSerializer
    filterset_fields = ["depot"]

    def perform_destroy(self, instance):
        services.case_delete(case=instance, acting_user=self.request.user)


class ItemViewSet(StaffViewSet):
    queryset = Item.objects.all()
    pagination_class = ListPagination
    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    action_roles = {"report_defect": STAFF_ROLES, "defect_report": STAFF_ROLES}

    def list(self, request, *args, **kwargs):
        # The page from values_list(), not model instances (issue 15: lists near the bare query).
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values_list(*ITEM_COLUMNS))
        return self.get_paginated_response(item_rows(page))

    def perform_update(self, serializer):
        serializer.instance = services.item_update(
            item=serializer.instance, data=serializer.validated_data, acting_user=self.request.user
        )

    def _status_action(self, request, service, body=ItemStatusNoteSerializer):
        item = self.get_object()
        data = body(data=request.data)
        data.is_valid(raise_exception=True)
        item = service(item=item, note=data.validated_data["note"], acting_user=request.user)
        return Response(ItemSerializer(item).data)

    @extend_schema(request=ReportDefectSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"], url_path="report-defect")
    def report_defect(self, request, pk=None):
        """Crew and coordinators: the item is broken (→ `defect`)."""
        return self._status_action(request, services.item_report_defect, ReportDefectSerializer)

    @extend_schema(
        request={
            "multipart/form-data": DefectReportInSerializer,
            "application/json": DefectReportInSerializer,
        },
        responses={201: DefectReportSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="defect-report",
        # JSON for a report without a photo, multipart with one.
        parser_classes=[JSONParser, PhotoMultiPartParser],
    )
    def defect_report(self, request, pk=None):
        """Crew and coordinators: the item is broken (→ `defect`), with a note and an optional
        photo (JPEG, PNG or WebP, at most TW_DEFECT_PHOTO_MAX_BYTES)."""
        item = self.get_object()
        data = DefectReportInSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        report = services.item_report_defect_with_photo(
            item=item,
            note=data.validated_data["note"],
            photo=data.validated_data.get("photo"),
            acting_user=request.user,
        )
        return Response(DefectReportSerializer(report).data, status=201)

    @extend_schema(request=ItemStatusNoteSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def maintenance(self, request, pk=None):
        """Coordinators: the item goes in for service (available/defect → `maintenance`)."""
        return self._status_action(request, services.item_send_to_maintenance)

    @extend_schema(request=ItemStatusNoteSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def repair(self, request, pk=None):
        """Coordinators: repaired or back from service (defect/maintenance → `available`)."""
        return self._status_action(request, services.item_repair)

    @extend_schema(request=ItemStatusNoteSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """Coordinators: written off for good (→ `retired`)."""
        return self._status_action(request, services.item_retire)

    def perform_destroy(self, instance):
        services.item_delete(item=instance, acting_user=self.request.user)


class ConsumableViewSet(StaffViewSet):
    queryset = Consumable.objects.all()
    serializer_class = ConsumableSerializer
    filterset_class = ConsumableFilter

    def perform_update(self, serializer):
        serializer.instance = services.consumable_update(
            consumable=serializer.instance,
            data=serializer.validated_data,
            acting_user=self.request.user,
        )

    @extend_schema(request=StockAdjustSerializer, responses=ConsumableSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        consumable = self.get_object()
        data = StockAdjustSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consumable = services.consumable_adjust_stock(
            consumable=consumable,
            delta=data.validated_data["delta"],
            reason=data.validated_data["reason"],
            acting_user=request.user,
        )
        return Response(ConsumableSerializer(consumable).data)

    def perform_destroy(self, instance):
        services.consumable_delete(consumable=instance, acting_user=self.request.user)


class StandardEquipmentViewSet(StaffViewSet):
    queryset = StandardEquipment.objects.all()
    serializer_class = StandardEquipmentSerializer

    def perform_destroy(self, instance):
        services.standard_equipment_delete(
            standard_equipment=instance, acting_user=self.request.user
        )
