"""Thin API views: validate, call one service or selector, return the output serializer."""

import functools

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.concurrency import VersionedMixin, instance_version
from backend.core.history import HistoryMixin
from backend.core.pagination import ListPagination
from backend.core.permissions import ALL_ROLES, COORDINATOR_ONLY, STAFF_ROLES, RoleAccess
from backend.core.renderers import ICSRenderer
from backend.core.roles import COORDINATOR, SCHOOL, role_of, school_id_of
from bookings import lists, selectors, services
from bookings.exceptions import BookingError
from bookings.filters import BookingFilter, SchoolFilter, WorkshopFilter
from bookings.ics import booking_ics
from bookings.kit.need import kit_need_for
from bookings.models import Booking, School
from bookings.serializers import (
    AttendanceInputSerializer,
    AvailabilityQuerySerializer,
    AvailabilitySerializer,
    BookingSerializer,
    PinInputSerializer,
    ReasonInputSerializer,
    SchoolSerializer,
    SessionsInputSerializer,
    WorkshopSerializer,
)

SCHOOL_AND_COORDINATOR = frozenset({COORDINATOR, SCHOOL})
# Actions that serialise model instances of the queryset (with sessions and kit rules).
READ_ACTIONS = frozenset({"list", "retrieve", "metadata", None})


# The serializer fields whose formats the lists print through (coordinates, times, amounts):
# built once per process instead of a serializer per request; they hold no request or instance.
@functools.cache
def _school_fields():
    return SchoolSerializer().fields


@functools.cache
def _consumable_per_pupil_field():
    return WorkshopSerializer().fields["consumable_rules"].child.fields["per_pupil"]


class SchoolViewSet(VersionedMixin, HistoryMixin, viewsets.ModelViewSet):
    """Schools: a school user reads and updates (contact and site fields) its own; crew read;
    coordinators change everything."""

    pagination_class = ListPagination
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilter
    permission_classes = [RoleAccess]
    read_roles = ALL_ROLES
    write_roles = SCHOOL_AND_COORDINATOR
    action_roles = {"create": COORDINATOR_ONLY, "destroy": COORDINATOR_ONLY}

    def get_queryset(self):
        return School.objects.restrict(self.request.user)

    def list(self, request, *args, **kwargs):
        # The page from values_list(), not model instances (bookings/lists.py).
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values_list(*lists.SCHOOL_COLUMNS))
        rows = lists.school_rows(page, fields=_school_fields())
        return self.get_paginated_response(rows)

    def perform_create(self, serializer):
        serializer.instance = services.school_create(
            data=serializer.validated_data, acting_user=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.school_update(
            school=serializer.instance,
            data=serializer.validated_data,
            acting_user=self.request.user,
        )

    def perform_destroy(self, instance):
        services.school_delete(school=instance, acting_user=self.request.user)


class WorkshopViewSet(VersionedMixin, HistoryMixin, viewsets.ModelViewSet):
    """Workshops with their kit and consumable rules: everyone reads, coordinators change."""

    pagination_class = ListPagination
    serializer_class = WorkshopSerializer
    version_related = ("kit_rules", "consumable_rules")
    filterset_class = WorkshopFilter
    permission_classes = [RoleAccess]
    read_roles = ALL_ROLES
    write_roles = COORDINATOR_ONLY

    def get_queryset(self):
        return selectors.workshops_with_rules().restrict(self.request.user)

    def list(self, request, *args, **kwargs):
        # The page from values() and two rule queries (bookings/lists.py), not model instances.
        from bookings.catalogue import DepotStock

        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(lists.workshop_values(queryset))
        # The stock of the depots of the page's programmes only (a workshop is checked against
        # its own programme's depots).
        stock = DepotStock.load(programme_ids={w["programme"] for w in page}) if page else None
        rows = lists.workshop_rows(page, per_pupil_field=_consumable_per_pupil_field(), stock=stock)
        return self.get_paginated_response(rows)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.workshop_create(
            data={k: v for k, v in data.items() if k not in ("kit_rules", "consumable_rules")},
            kit_rules=data.get("kit_rules", ()),
            consumable_rules=data.get("consumable_rules", ()),
            acting_user=self.request.user,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        workshop = services.workshop_update(
            workshop=serializer.instance,
            data={k: v for k, v in data.items() if k not in ("kit_rules", "consumable_rules")},
            kit_rules=data.get("kit_rules"),
            consumable_rules=data.get("consumable_rules"),
            acting_user=self.request.user,
        )
        serializer.instance = self.get_queryset().get(pk=workshop.pk)

    def perform_destroy(self, instance):
        services.workshop_delete(workshop=instance, acting_user=self.request.user)


class AvailabilityView(APIView):
    permission_classes = [RoleAccess]
    read_roles = ALL_ROLES

    @extend_schema(
        parameters=[
            OpenApiParameter("school", int),
            OpenApiParameter("date_from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("date_to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("workshop", int, many=True),
            OpenApiParameter("pupils", int),
            OpenApiParameter("wagon", int),
        ],
        responses=AvailabilitySerializer,
    )
    def get(self, request):
        params = {
            key: request.query_params.getlist(key) if key == "workshop" else value
            for key, value in request.query_params.items()
        }
        query = AvailabilityQuerySerializer(data=params, context={"request": request})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        school_id = data.get("school")
        if role_of(request.user) == SCHOOL:
            school_id = school_id or school_id_of(request.user)
        school = None
        if school_id is not None:
            school = get_object_or_404(
                School.objects.restrict(request.user).select_related("programme"), pk=school_id
            )
        if school is None:
            raise BookingError(
                "Geef een school op.", code="invalid", status_code=400, school=["Verplicht."]
            )
        workshops = list(
            selectors.workshops_with_rules().filter(pk__in=[w.pk for w in data.get("workshop", [])])
        )
        services.check_same_programme(school=school, workshops=workshops, wagon=data.get("wagon"))
        days = selectors.availability_for(
            school=school,
            date_from=data["date_from"],
            date_to=data["date_to"],
            workshops=workshops,
            pupils=data.get("pupils") or 0,
            wagon=data.get("wagon"),
            rank_wagons=False,  # the answer lists each day's wagons in id order
        )
        return Response(AvailabilitySerializer({"days": days}).data)


class BookingViewSet(VersionedMixin, HistoryMixin, viewsets.ModelViewSet):
    """Visits: a school requests and reads its own, crew read confirmed ones, coordinators all.
    A booking changes through its actions and `PUT .../sessions/`."""

    pagination_class = ListPagination
    serializer_class = BookingSerializer
    version_related = selectors.BOOKING_VERSION_RELATED
    filterset_class = BookingFilter
    permission_classes = [RoleAccess]
    http_method_names = ["get", "post", "put", "head", "options"]
    read_roles = ALL_ROLES
    write_roles = SCHOOL_AND_COORDINATOR
    action_roles = {
        "confirm": COORDINATOR_ONLY,
        "decline": COORDINATOR_ONLY,
        "complete": COORDINATOR_ONLY,
        "pin": COORDINATOR_ONLY,
        "cancel": SCHOOL_AND_COORDINATOR,
        "arrive": STAFF_ROLES,
        "sessions": SCHOOL_AND_COORDINATOR,
        # Who was there: crew and coordinator of the programme, the school for its own visit
        # (the queryset already narrows each to what it may see: others get a 404).
        "attendance": ALL_ROLES,
    }

    def get_queryset(self):
        if self.action in READ_ACTIONS:
            return selectors.bookings_visible_to(self.request.user)
        # A state change re-reads its booking under a lock; the response is built afresh.
        queryset = selectors.bookings_visible_to(self.request.user, Booking.objects.all())
        if self.action == "confirm":
            # The depot whose day the confirmation locks, read with the booking.
            queryset = queryset.select_related("wagon", "school")
        return queryset

    def _version_model(self):
        return Booking  # VersionedMixin would build the scoped queryset only to ask its model

    def filter_queryset(self, queryset):
        if self.action == "confirm":
            return queryset  # the list's filters name no booking: not built for one
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        # Filters (at_risk included) narrow the queryset, so the page is cut in the database;
        # the page's rows come from values() (bookings/lists.py), not model instances.
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(lists.booking_values(queryset))
        rows = lists.booking_rows(page)
        if self.filterset_class.at_risk_requested(request.query_params):
            # Judged once per request, by the filter (bookings/at_risk.py).
            shortages = request.at_risk_shortages
            for row in rows:
                row["at_risk"] = True
                row["shortage"] = shortages.get(row["id"], [])
        return self.get_paginated_response(rows)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        school = data.get("school")
        if role_of(request.user) == SCHOOL:
            own = school_id_of(request.user)
            if school is not None and school.pk != own:
                raise BookingError(
                    "U kunt alleen voor uw eigen school aanvragen.",
                    code="invalid",
                    status_code=400,
                    school=["U kunt alleen voor uw eigen school aanvragen."],
                )
            school = get_object_or_404(School.objects.restrict(request.user), pk=own)
        if school is None:
            raise BookingError(
                "Geef een school op.", code="invalid", status_code=400, school=["Verplicht."]
            )
        booking = services.booking_create(
            school=school,
            date=data["date"],
            sessions=data["sessions"],
            wagon=data.get("wagon"),
            contact_name=data.get("contact_name", ""),
            contact_email=data.get("contact_email", ""),
            contact_phone=data.get("contact_phone", ""),
            site_notes=data.get("site_notes", ""),
            photo_consent=data.get("photo_consent", False),
            alternative_dates=data.get("alternative_dates", ()),
            acting_user=request.user,
        )
        booking = selectors.bookings_with_details().get(pk=booking.pk)
        return Response(self.get_serializer(booking).data, status=201)

    @extend_schema(exclude=True)  # always 405: not an operation of the API
    def update(self, request, *args, **kwargs):
        # Bookings change through their actions (and PUT .../sessions/), never a plain PUT.
        raise MethodNotAllowed(request.method)

    def _respond(self, booking):
        [row] = lists.booking_rows(lists.booking_values(Booking.objects.filter(pk=booking.pk)))
        return Response(row)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        booking = services.booking_confirm(booking=self.get_object(), acting_user=request.user)
        # The service hands back the booking as stored, with its sessions and their rules: the
        # answer and its ETag are built from it, nothing is read again.
        return Response(
            lists.booking_row(booking, kit_need_for(booking)),
            headers={"ETag": instance_version(booking, selectors.BOOKING_VERSION_RELATED)},
        )

    @extend_schema(request=ReasonInputSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        booking = self.get_object()
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_decline(
            booking=booking, reason=data.validated_data["reason"], acting_user=request.user
        )
        return self._respond(booking)

    @extend_schema(request=ReasonInputSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = self.get_object()
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_cancel(
            booking=booking, reason=data.validated_data["reason"], acting_user=request.user
        )
        return self._respond(booking)

    @extend_schema(request=PinInputSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def pin(self, request, pk=None):
        booking = self.get_object()
        data = PinInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_pin(
            booking=booking, pinned=data.validated_data["pinned"], acting_user=request.user
        )
        return self._respond(booking)

    @extend_schema(request=SessionsInputSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["put"])
    def sessions(self, request, pk=None):
        booking = self.get_object()
        data = SessionsInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        booking = services.booking_update_sessions(
            booking=booking, sessions=data.validated_data["sessions"], acting_user=request.user
        )
        return self._respond(booking)

    @extend_schema(request=AttendanceInputSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["put"])
    def attendance(self, request, pk=None):
        booking = self.get_object()
        data = AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_record_attendance(
            booking=booking, sessions=data.validated_data["sessions"], acting_user=request.user
        )
        return self._respond(booking)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        booking = services.booking_arrive(booking=self.get_object(), acting_user=request.user)
        return self._respond(booking)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        booking = services.booking_complete(booking=self.get_object(), acting_user=request.user)
        return self._respond(booking)


def _ics_response(payload: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(payload, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class BookingCalendarView(APIView):
    permission_classes = [RoleAccess]
    read_roles = ALL_ROLES
    renderer_classes = [JSONRenderer, ICSRenderer]

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        booking = get_object_or_404(selectors.bookings_visible_to(request.user), pk=pk)
        return _ics_response(booking_ics(booking), f"{booking.reference}.ics")
