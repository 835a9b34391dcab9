from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from backend.core.admin_deletes import ServiceDeleteAdminMixin
from backend.core.exceptions import DomainError
from backend.core.updates import SaveChangedFieldsAdminMixin
from inventory import services
from inventory.models import Case, Consumable, Depot, Item, KitType, StandardEquipment, Wagon


@admin.register(Depot)
class DepotAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(lambda obj, **kw: services.depot_delete(depot=obj, **kw))
    list_display = ["name", "programme", "address"]
    list_filter = ["programme"]


@admin.register(Wagon)
class WagonAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(lambda obj, **kw: services.wagon_delete(wagon=obj, **kw))
    list_display = ["name", "plate", "depot", "max_visits_per_day", "work_start", "work_end"]
    list_filter = ["depot"]


@admin.register(KitType)
class KitTypeAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(lambda obj, **kw: services.kit_type_delete(kit_type=obj, **kw))
    list_display = ["name", "category", "storage_location", "spare_units"]
    search_fields = ["name"]


@admin.register(Case)
class CaseAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(lambda obj, **kw: services.case_delete(case=obj, **kw))
    list_display = ["code", "name", "depot", "storage_location"]


def _status_action(service, label: str):
    def run(modeladmin, request, queryset):
        done = 0
        for item in queryset:
            try:
                service(item=item, acting_user=request.user)
                done += 1
            except DomainError as exc:
                modeladmin.message_user(request, f"{item}: {exc.detail}", messages.ERROR)
        if done:
            modeladmin.message_user(request, f"{done} exemplaar/exemplaren: {label}.")

    run.__name__ = service.__name__
    run.short_description = label
    return run


@admin.register(Item)
class ItemAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(lambda obj, **kw: services.item_delete(item=obj, **kw))
    """The status changes only through the actions (the same services as the API), never by
    editing the field: a form loaded before a defect report would otherwise put it back."""

    list_display = ["asset_tag", "kit_type", "status", "case", "depot"]
    list_filter = ["status", "kit_type", "depot"]
    search_fields = ["asset_tag", "serial_number"]
    list_select_related = ["kit_type", "case", "depot"]
    actions = [
        _status_action(services.item_report_defect, "defect melden"),
        _status_action(services.item_send_to_maintenance, "in onderhoud"),
        _status_action(services.item_repair, "gerepareerd (beschikbaar)"),
        _status_action(services.item_retire, "afschrijven"),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["status"] if obj is not None else []


@admin.register(Consumable)
class ConsumableAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(
        lambda obj, **kw: services.consumable_delete(consumable=obj, **kw)
    )
    list_display = ["name", "depot", "unit", "stock", "reorder_level"]
    list_filter = ["depot__programme", "depot"]

    def get_readonly_fields(self, request, obj=None):
        # Stock is changed through the adjust service after creation (no lost updates), and it
        # stays in its depot.
        return ["stock", "depot"] if obj is not None else []


@admin.register(StandardEquipment)
class StandardEquipmentAdmin(
    ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin
):
    delete_service = staticmethod(
        lambda obj, **kw: services.standard_equipment_delete(standard_equipment=obj, **kw)
    )
    list_display = ["name", "kit_type", "consumable", "quantity", "per"]
