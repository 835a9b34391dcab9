from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inventory import services
from inventory.models import Case, Consumable, Depot, Item, KitType, StandardEquipment, Wagon


@admin.register(Depot)
class DepotAdmin(SimpleHistoryAdmin):
    list_display = ["name", "address"]


@admin.register(Wagon)
class WagonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plate", "depot", "max_visits_per_day", "work_start", "work_end"]
    list_filter = ["depot"]


@admin.register(KitType)
class KitTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "storage_location", "spare_units"]
    search_fields = ["name"]


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "depot", "storage_location"]


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["asset_tag", "kit_type", "status", "case", "depot"]
    list_filter = ["status", "kit_type", "depot"]
    search_fields = ["asset_tag", "serial_number"]
    list_select_related = ["kit_type", "case", "depot"]

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            status = obj.status
            original = Item.objects.get(pk=obj.pk)
            obj.status = original.status
            super().save_model(request, obj, form, change)
            services.item_set_status(
                item=obj, status=status, acting_user=request.user, reason="via beheer"
            )
        else:
            super().save_model(request, obj, form, change)


@admin.register(Consumable)
class ConsumableAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "stock", "reorder_level"]
    readonly_fields = []

    def get_readonly_fields(self, request, obj=None):
        # Stock is changed through the adjust service after creation (no lost updates).
        return ["stock"] if obj is not None else []


@admin.register(StandardEquipment)
class StandardEquipmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kit_type", "consumable", "quantity", "per"]
