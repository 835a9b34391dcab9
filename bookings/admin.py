from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from backend.updates import SaveChangedFieldsAdminMixin
from bookings import services
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
from bookings.packing_models import CheckAction, PackingLine, PackingList


@admin.register(School)
class SchoolAdmin(SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "brin", "city", "holiday_region", "depot"]
    list_filter = ["holiday_region", "depot", "city"]
    search_fields = ["name", "brin", "city"]


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school"]
    list_select_related = ["user", "school"]


class KitRuleInline(admin.TabularInline):
    model = KitRule
    extra = 0


class ConsumableRuleInline(admin.TabularInline):
    model = ConsumableRule
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "duration_minutes", "max_pupils", "active"]
    inlines = [KitRuleInline, ConsumableRuleInline]


@admin.register(KitRule)
class KitRuleAdmin(SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["workshop", "kit_type", "per_pupils", "fixed"]


@admin.register(ConsumableRule)
class ConsumableRuleAdmin(SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["workshop", "consumable", "per_pupil"]


@admin.register(Blackout)
class BlackoutAdmin(SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["date_from", "date_to", "wagon", "reason"]


class BookingSessionInline(admin.TabularInline):
    model = BookingSession
    extra = 0


@admin.register(Booking)
class BookingAdmin(SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["reference", "school", "date", "wagon", "status"]
    list_filter = ["status", "wagon"]
    search_fields = ["reference", "school__name"]
    list_select_related = ["school", "wagon"]
    date_hierarchy = "date"
    inlines = [BookingSessionInline]
    readonly_fields = ["reference", "created_by"]
    service_fields = ("status",)

    def save_model(self, request, obj, form, change):
        # Status changes go through the lifecycle service (kit reserved/released under the lock);
        # the other changed fields are written by the mixin, only those.
        if change and "status" in form.changed_data:
            target = obj.status
            obj.status = Booking.objects.get(pk=obj.pk).status
            super().save_model(request, obj, form, change)
            services.booking_set_status(
                booking=obj, status=target, acting_user=request.user, reason="via beheer"
            )
            obj.refresh_from_db()
        else:
            if not change:
                obj.reference = services._next_reference(obj.date.year)
                obj.created_by = request.user
                obj.status = Booking.Status.REQUESTED
            super().save_model(request, obj, form, change)


@admin.register(KitReservation)
class KitReservationAdmin(admin.ModelAdmin):
    list_display = ["booking", "kit_type", "depot", "date", "quantity"]
    list_filter = ["depot", "kit_type"]
    list_select_related = ["booking", "kit_type", "depot"]

    def has_add_permission(self, request):
        return False  # written by booking_confirm under the day lock only

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DayLock)
class DayLockAdmin(admin.ModelAdmin):
    list_display = ["depot", "date"]

    def has_add_permission(self, request):
        return False


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


@admin.register(PackingLine)
class PackingLineAdmin(SimpleHistoryAdmin):
    list_display = ["packing_list", "kind", "name", "item", "packed", "returned", "condition"]
    list_filter = ["kind", "packed", "condition"]
    list_select_related = ["packing_list__booking", "item"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckAction)
class CheckActionAdmin(admin.ModelAdmin):
    list_display = ["client_id", "action", "asset_tag", "condition", "line"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
