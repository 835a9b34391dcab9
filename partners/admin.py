"""Admin of the partner register: writes and deletes go through the same services as the API."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from backend.core.admin_deletes import ServiceDeleteAdminMixin
from partners import services
from partners.models import Participation, Partner
from partners.validators import normalise_kvk, validate_kvk


class PartnerAdminForm(forms.ModelForm):
    # Wider than the column: spaces and dots people copy from a letterhead are taken out.
    kvk_number = forms.CharField(label=_("KvK-nummer"), max_length=20, required=False)

    class Meta:
        model = Partner
        fields = ["programme", *services.PARTNER_FIELDS, "active"]

    def clean_kvk_number(self):
        value = normalise_kvk(self.cleaned_data.get("kvk_number", ""))
        validate_kvk(value)
        return value

    def clean(self):
        data = super().clean()
        # The service's rules as form errors, so the admin shows them instead of failing.
        candidate = Partner(
            pk=self.instance.pk,
            programme_id=self.instance.programme_id or getattr(data.get("programme"), "pk", None),
            **{name: data.get(name, "") or "" for name in services.PARTNER_FIELDS},
        )
        try:
            services.partner_check(candidate)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    if field in self.fields and field not in self.errors:
                        self.add_error(field, error)
        return data


@admin.register(Partner)
class PartnerAdmin(ServiceDeleteAdminMixin, SimpleHistoryAdmin):
    form = PartnerAdminForm
    list_display = ("name", "programme", "kvk_number", "sector", "active")
    list_filter = ("programme", "active")
    search_fields = ("name", "kvk_number", "sector", "contact_name")
    readonly_fields = ("created_by",)
    delete_service = staticmethod(lambda obj, **kw: services.partner_delete(partner=obj, **kw))

    def get_readonly_fields(self, request, obj=None):
        # A partner never moves to another programme.
        return (*self.readonly_fields, "programme") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            services.partner_update(partner=obj, data=data, acting_user=request.user)
            return
        fields = {name: form.cleaned_data.get(name) or "" for name in services.PARTNER_FIELDS}
        created = services.partner_create(
            programme=form.cleaned_data["programme"],
            active=form.cleaned_data.get("active", True),
            **fields,
            acting_user=request.user,
        )
        obj.pk = created.pk


@admin.register(Participation)
class ParticipationAdmin(ServiceDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ("booking", "partner", "kind", "hours")
    list_filter = ("kind",)
    search_fields = ("partner__name", "booking__reference")
    raw_id_fields = ("booking", "partner")
    delete_service = staticmethod(
        lambda obj, **kw: services.participation_remove(participation=obj, **kw)
    )

    def save_model(self, request, obj, form, change):
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            services.participation_update(participation=obj, data=data, acting_user=request.user)
            return
        created = services.participation_add(
            booking=obj.booking,
            partner=obj.partner,
            kind=obj.kind,
            hours=obj.hours,
            note=obj.note,
            acting_user=request.user,
        )
        obj.pk = created.pk
