"""Packing-list endpoints: the list, its PDF and the crew's check actions (crew + coordinator)."""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import STAFF_ROLES, RoleAccess
from backend.core.renderers import PDFRenderer
from bookings.models import Booking
from bookings.packing import services as packing
from bookings.packing.pdf import PackingListPdf
from bookings.packing.selectors import (
    packing_list_for_booking,
    pdf_booking_queryset,
    pdf_context_for_booking,
    wagon_day_sheet,
)
from bookings.packing.serializers import (
    CheckResultSerializer,
    CheckSerializer,
    PackingListSerializer,
    WagonDayCheckSerializer,
)
from bookings.packing.wagon_day import wagon_day_check
from bookings.selectors import bookings_visible_to


class PackingListBase(APIView):
    permission_classes = [RoleAccess]
    read_roles = STAFF_ROLES
    write_roles = STAFF_ROLES

    def get_booking(self, pk: int, queryset=None) -> Booking:
        # A booking the caller may not see is a 404 here too: crew see confirmed-and-later
        # only, and a 409 "not confirmed" would tell them its reference and status.
        if queryset is None:
            queryset = Booking.objects.select_related("wagon", "school")
        return get_object_or_404(bookings_visible_to(self.request.user, queryset), pk=pk)


class PackingListView(PackingListBase):
    @extend_schema(responses=PackingListSerializer)
    def get(self, request, pk: int):
        booking = self.get_booking(pk)
        data = packing_list_for_booking(booking=booking)
        return Response(PackingListSerializer(data).data)


class PackingListPdfView(PackingListBase):
    renderer_classes = [PDFRenderer, renderers.JSONRenderer]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        booking = self.get_booking(pk, pdf_booking_queryset())
        context = pdf_context_for_booking(booking=booking)
        content = PackingListPdf(context, generated_at=timezone.now()).render()
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="paklijst-{booking.reference}.pdf"'
        return response


class PackingCheckView(PackingListBase):
    @extend_schema(request=CheckSerializer, responses=CheckResultSerializer)
    def post(self, request, pk: int):
        booking = self.get_booking(pk)
        data = CheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = packing.packing_check(
            booking=booking,
            action=values["action"],
            client_id=values["client_id"],
            line_id=values.get("line"),
            asset_tag=values.get("asset_tag", ""),
            condition=values.get("condition", ""),
            note=values.get("note", ""),
            used_quantity=values.get("used_quantity"),
            acting_user=request.user,
        )
        return Response(result)


class WagonDayBase(APIView):
    """A wagon-day (`/api/v1/wagon-days/{wagon}/{date}/`): crew and coordinators."""

    permission_classes = [RoleAccess]
    read_roles = STAFF_ROLES
    write_roles = STAFF_ROLES

    def get_wagon_day(self, wagon_id: int, date: str):
        from inventory.models import Wagon

        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise Http404 from None
        return get_object_or_404(Wagon.objects.restrict(self.request.user), pk=wagon_id), day


class WagonDayView(WagonDayBase):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, wagon_id: int, date: str):
        wagon, day = self.get_wagon_day(wagon_id, date)
        return Response(wagon_day_sheet(wagon=wagon, date=day))


class WagonDayCheckView(WagonDayBase):
    @extend_schema(request=WagonDayCheckSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, wagon_id: int, date: str):
        wagon, day = self.get_wagon_day(wagon_id, date)
        data = WagonDayCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = wagon_day_check(
            wagon=wagon,
            date=day,
            action=values["action"],
            client_id=values["client_id"],
            asset_tag=values.get("asset_tag", ""),
            kit_type_id=values.get("kit_type"),
            charged=values.get("charged"),
            lines=values.get("lines", []),
            acting_user=request.user,
        )
        return Response(result)
