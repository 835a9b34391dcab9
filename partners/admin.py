"""Admin of the partner register: writes go through the same services as the API."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partners import services
from partners.models import Participation, Partner


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "programme", "kvk_number", "sector", "active")
    list_filter = ("programme", "active")
    search_fields = ("name", "kvk_number", "sector", "contact_name")
    readonly_fields = ("created_by",)

    def get_readonly_fields(self, request, obj=None):
        # A partner never moves to another programme.
        return (*self.readonly_fields, "programme") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.partner_update(partner=obj, data=data, acting_user=request.user)
        else:
            fields = {
                name: form.cleaned_data.get(name, "")
                for name in (*services.PARTNER_FIELDS, "active")
            }
            created = services.partner_create(
                programme=form.cleaned_data["programme"], **fields, acting_user=request.user
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.partner_delete(partner=obj, acting_user=request.user)


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ("booking", "partner", "kind", "hours")
    list_filter = ("kind",)
    search_fields = ("partner__name", "booking__reference")
    raw_id_fields = ("booking", "partner")

    def save_model(self, request, obj, form, change):
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            services.participation_update(participation=obj, data=data, acting_user=request.user)
        else:
            created = services.participation_add(
                booking=obj.booking,
                partner=obj.partner,
                kind=obj.kind,
                hours=obj.hours,
                note=obj.note,
                acting_user=request.user,
            )
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.participation_remove(participation=obj, acting_user=request.user)
