"""Admin for onboarding: invitations and access requests (read-only; superusers decline
requests no coordinator can see), and the DUO import on the School admin."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from backend.core.exceptions import DomainError
from bookings.admin import SchoolAdmin
from bookings.models import HolidayRegion, School, SchoolType
from inventory.models import Depot
from onboarding import services
from onboarding.importing import DuoCSV, SchoolResource, schools_import
from onboarding.models import AccessRequest, Invitation
from programmes.models import Programme

DEPOT_HELP = _(
    "DUO-bestanden bevatten geen coördinaten. Zonder LAT/LON-kolommen krijgen nieuwe scholen "
    "de positie van dit depot (waar de wagens starten): pas die daarna aan voor een goede "
    "routeplanning."
)


class DuoImportForm(ImportForm):
    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), label=_("Programma"))
    holiday_region = forms.ChoiceField(
        choices=HolidayRegion.choices, label=_("Vakantieregio (nieuwe scholen)")
    )
    school_types = forms.MultipleChoiceField(
        choices=SchoolType.choices,
        initial=["po"],
        label=_("Schoolsoorten (nieuwe scholen)"),
        widget=forms.CheckboxSelectMultiple,
    )
    depot = forms.ModelChoiceField(
        queryset=Depot.objects.all(), required=False, label=_("Depot"), help_text=DEPOT_HELP
    )

    def clean(self):
        data = super().clean()
        depot, programme = data.get("depot"), data.get("programme")
        if depot is not None and programme is not None and depot.programme_id != programme.pk:
            self.add_error("depot", _("Dit depot hoort niet bij het gekozen programma."))
        return data


class DuoConfirmForm(ConfirmImportForm):
    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), widget=forms.HiddenInput)
    holiday_region = forms.ChoiceField(choices=HolidayRegion.choices, widget=forms.HiddenInput)
    school_types = forms.MultipleChoiceField(
        choices=SchoolType.choices, widget=forms.MultipleHiddenInput
    )
    depot = forms.ModelChoiceField(
        queryset=Depot.objects.all(), required=False, widget=forms.HiddenInput
    )


OPTIONS = ("programme", "holiday_region", "school_types", "depot")


class DuoImportMixin(ImportMixin):
    """django-import-export's two-step import (dry run, then confirm) with the programme and
    defaults chosen on the form; the real run goes through `schools_import`."""

    import_form_class = DuoImportForm
    confirm_form_class = DuoConfirmForm
    resource_classes = [SchoolResource]
    import_formats = [DuoCSV]
    skip_admin_log = True  # the schools' history rows record who imported them

    def has_import_permission(self, request):
        user = request.user
        return user.has_perm("bookings.add_school") and user.has_perm("bookings.change_school")

    def _scoped(self, form, request):
        # Only the programmes (and their depots) the admin user may see.
        if form is not None:
            form.fields["programme"].queryset = Programme.objects.restrict(request.user)
            form.fields["depot"].queryset = Depot.objects.restrict(request.user)
        return form

    def create_import_form(self, request):
        return self._scoped(super().create_import_form(request), request)

    def create_confirm_form(self, request, import_form=None):
        return self._scoped(super().create_confirm_form(request, import_form), request)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            data = import_form.cleaned_data
            initial |= {
                "programme": data["programme"].pk,
                "holiday_region": data["holiday_region"],
                "school_types": data["school_types"],
                "depot": data["depot"].pk if data.get("depot") else None,
            }
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        if form is None or not form.is_bound or not hasattr(form, "cleaned_data"):
            return {}
        return {name: form.cleaned_data.get(name) for name in OPTIONS} | {
            "acting_user": request.user
        }

    def process_dataset(self, dataset, form, request, **kwargs):
        data = form.cleaned_data
        return schools_import(
            dataset=dataset,
            programme=data["programme"],
            holiday_region=data["holiday_region"],
            depot=data.get("depot"),
            school_types=data["school_types"],
            dry_run=False,
            acting_user=request.user,
        )


# The School admin stays bookings' own; onboarding adds the import to it (onboarding depends
# on bookings, never the reverse, so the subclass replaces the registration here).
admin.site.unregister(School)


@admin.register(School)
class SchoolImportAdmin(DuoImportMixin, SchoolAdmin):
    pass


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "school", "created_at", "expires_at", "used_at", "revoked_at"]
    list_select_related = ["school"]
    search_fields = ["email", "school__name", "school__brin"]
    exclude = ["token_hash"]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    def has_add_permission(self, request):
        return False  # invitations are made by coordinators on the planning pages or the API

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "brin", "school", "programme", "status", "created_at"]
    list_filter = ["status", "programme"]
    list_select_related = ["school", "programme"]
    search_fields = ["name", "email", "brin"]
    actions = ["decline"]

    def get_queryset(self, request):
        # restrict(): superusers see every request, also those whose BRIN matched no programme.
        return super().get_queryset(request).restrict(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decline_permission(self, request):
        return request.user.has_perm("onboarding.change_accessrequest")

    @admin.action(description=_("Geselecteerde verzoeken afwijzen"), permissions=["decline"])
    def decline(self, request, queryset):
        done = 0
        for access_request in queryset.filter(status=AccessRequest.Status.PENDING):
            try:
                services.access_request_decline(
                    access_request=access_request, acting_user=request.user
                )
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{access_request}: {exc.detail}", messages.ERROR)
        self.message_user(request, _("%(count)d verzoek(en) afgewezen.") % {"count": done})
