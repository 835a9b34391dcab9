from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from backend.core.admin_deletes import ServiceDeleteAdminMixin
from backend.core.exceptions import DomainError
from backend.core.updates import SaveChangedFieldsAdminMixin, delete_instance
from bookings import reschedule, services
from bookings.exceptions import BookingError
from bookings.models import (
    Blackout,
    Booking,
    BookingSession,
    ConsumableRule,
    DayLock,
    KitReservation,
    KitRule,
    School,
    SchoolMembership,
    Workshop,
)
from bookings.packing.models import CheckAction, PackingLine, PackingList
from bookings.reports import facts


def _plain_delete(obj, *, acting_user) -> None:
    """Rows without a delete service of their own (a workshop's rules, a school membership):
    the history row names the user and a row still referenced is refused."""
    delete_instance(obj, acting_user=acting_user, error=BookingError)


@admin.register(School)
class SchoolAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(lambda obj, **kw: services.school_delete(school=obj, **kw))
    list_display = ["name", "brin", "city", "holiday_region", "programme", "depot"]
    list_filter = ["holiday_region", "depot", "city"]
    search_fields = ["name", "brin", "city"]


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(ServiceDeleteAdminMixin, admin.ModelAdmin):
    delete_service = staticmethod(_plain_delete)
    list_display = ["user", "school"]
    list_select_related = ["user", "school"]


class KitRuleInline(admin.TabularInline):
    model = KitRule
    extra = 0


class ConsumableRuleInline(admin.TabularInline):
    model = ConsumableRule
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(lambda obj, **kw: services.workshop_delete(workshop=obj, **kw))
    list_display = ["name", "programme", "duration_minutes", "max_pupils", "active"]
    inlines = [KitRuleInline, ConsumableRuleInline]


@admin.register(KitRule)
class KitRuleAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(_plain_delete)
    list_display = ["workshop", "kit_type", "per_pupils", "fixed"]


@admin.register(ConsumableRule)
class ConsumableRuleAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(_plain_delete)
    list_display = ["workshop", "consumable", "per_pupil"]


@admin.register(Blackout)
class BlackoutAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(lambda obj, **kw: services.blackout_delete(blackout=obj, **kw))
    list_display = ["date_from", "date_to", "programme", "wagon", "school", "reason"]


class BookingSessionInline(admin.TabularInline):
    model = BookingSession
    extra = 0


SESSION_FIELDS = (
    "workshop",
    "group_label",
    "school_type",
    "year",
    "pupils",
    "start_time",
    "girls",
    "boys",
    "teachers",
    "profile",
)


def _service_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(getattr(exc, "detail", None) or exc)


@admin.register(Booking)
class BookingAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    """Date, wagon, sessions and status change through the booking services (kit checked and
    reserved under the depot-day lock); a service refusal re-shows the form with its reason.
    Deletes go through `booking_delete` (the kit reservation is released under the lock)."""

    delete_service = staticmethod(lambda obj, **kw: services.booking_delete(booking=obj, **kw))

    list_display = ["reference", "school", "date", "wagon", "status"]
    list_filter = ["status", "wagon"]
    search_fields = ["reference", "school__name"]
    list_select_related = ["school", "wagon"]
    date_hierarchy = "date"
    inlines = [BookingSessionInline]
    readonly_fields = ["reference", "created_by"]
    service_fields = ("status", "date", "wagon")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            fields.append("status")  # a new booking starts as a request (booking_create)
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                data = super().clean()
                raise ValidationError(refusal, code="refused")
                return data  # pragma: no cover

        return RefusedForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except (DomainError, ValidationError) as exc:
            if request.method != "POST" or hasattr(request, "_service_refusal"):
                raise
            # Everything of this save was rolled back; show the form again, bound to what the
            # user posted, with the service's reason as a form error.
            request._service_refusal = _service_message(exc)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            return  # created with its sessions in save_related (booking_create needs both)
        current = Booking.objects.select_related("wagon").get(pk=obj.pk)
        target_status = obj.status
        changed = set(form.changed_data)
        if {"date", "wagon"} & changed:
            reschedule.booking_reschedule(
                booking=current,
                date=obj.date,
                wagon=obj.wagon,
                acting_user=request.user,
                reason="verplaatst via beheer",
            )
        if "status" in changed:
            services.booking_set_status(
                booking=current, status=target_status, acting_user=request.user, reason="via beheer"
            )
        super().save_model(request, obj, form, change)
        facts.refresh([obj.pk])  # e.g. its school changed here
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        session_sets = [fs for fs in formsets if fs.model is BookingSession]
        for fs in session_sets:  # the admin's change message reads these; the service saves
            fs.new_objects, fs.changed_objects, fs.deleted_objects = [], [], []
        other_sets = [fs for fs in formsets if fs.model is not BookingSession]
        sessions = [
            {name: f.cleaned_data[name] for name in SESSION_FIELDS}
            for fs in session_sets
            for f in fs.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        obj = form.instance
        if not change:
            data = form.cleaned_data
            booking = services.booking_create(
                school=data["school"],
                date=data["date"],
                sessions=sessions,
                acting_user=request.user,
                wagon=data.get("wagon"),
                **{
                    name: data[name]
                    for name in (
                        "contact_name",
                        "contact_email",
                        "contact_phone",
                        "site_notes",
                        "photo_consent",
                    )
                    if name in data
                },
            )
            obj.pk = booking.pk
            obj.refresh_from_db()
        elif any(fs.has_changed() for fs in session_sets):
            services.booking_update_sessions(
                booking=obj, sessions=sessions, acting_user=request.user
            )
        form.save_m2m()
        for formset in other_sets:
            self.save_formset(request, form, formset, change=change)


@admin.register(KitReservation)
class KitReservationAdmin(admin.ModelAdmin):
    list_display = ["booking", "kit_type", "depot", "date", "quantity"]
    list_filter = ["depot", "kit_type"]
    list_select_related = ["booking", "kit_type", "depot"]

    def has_add_permission(self, request):
        return False  # written by booking_confirm under the day lock only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # released by the booking services (cancel, decline, delete) only


@admin.register(DayLock)
class DayLockAdmin(admin.ModelAdmin):
    list_display = ["depot", "date"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # owned by the booking and packing services


class PackingLineInline(admin.TabularInline):
    model = PackingLine
    extra = 0
    fields = [
        "kind",
        "name",
        "kit_type",
        "item",
        "case",
        "storage_location",
        "quantity",
        "packed",
        "returned",
        "condition",
        "note",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Lines change only through the packing services (crew scans and ticks).
        return False


@admin.register(PackingList)
class PackingListAdmin(admin.ModelAdmin):
    list_display = ["booking", "generated_at"]
    list_select_related = ["booking", "booking__school"]
    readonly_fields = ["booking", "need_signature", "generated_at"]
    inlines = [PackingLineInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # owned by the booking and packing services


@admin.register(PackingLine)
class PackingLineAdmin(SimpleHistoryAdmin):
    list_display = ["packing_list", "kind", "name", "item", "packed", "returned", "condition"]
    list_filter = ["kind", "packed", "condition"]
    list_select_related = ["packing_list__booking", "item"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # owned by the booking and packing services

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckAction)
class CheckActionAdmin(admin.ModelAdmin):
    list_display = ["client_id", "action", "asset_tag", "condition", "line"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # owned by the booking and packing services

    def has_change_permission(self, request, obj=None):
        return False
