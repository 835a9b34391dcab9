from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from backend.core.admin_deletes import ServiceDeleteAdminMixin
from backend.core.updates import SaveChangedFieldsAdminMixin
from routes import services
from routes.models import Route, RouteStop


class RouteStopInline(admin.TabularInline):
    model = RouteStop
    extra = 0
    raw_id_fields = ["booking"]
    readonly_fields = ["booking", "position"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # stops change through the API's services (reorder/add/remove)


@admin.register(Route)
class RouteAdmin(ServiceDeleteAdminMixin, SaveChangedFieldsAdminMixin, SimpleHistoryAdmin):
    delete_service = staticmethod(lambda obj, **kw: services.route_delete(route=obj, **kw))
    list_display = ["date", "wagon"]
    list_filter = ["wagon"]
    date_hierarchy = "date"
    inlines = [RouteStopInline]

    def get_readonly_fields(self, request, obj=None):
        # Moving a route would leave its bookings (and their kit) on the old wagon-day: the
        # planner and the route services move bookings, not this form.
        return ["date", "wagon"] if obj is not None else []
