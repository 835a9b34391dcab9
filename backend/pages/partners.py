"""The partner register at /planning/partners/: the list with each partner's visits, pupils and
hours (and a form to add one), a partner's page (its visits, edit), and adding a partner's part
in a visit from the visit page. Reads through `partners.selectors`, writes through
`partners.services`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.core.exceptions import DomainError
from backend.core.scoping import only_programme_of
from backend.pages.paging import paginate
from backend.pages.planning import coordinator_page
from bookings.models import Booking
from partners import selectors, services
from partners.models import Participation, Partner
from programmes.models import Programme


class PartnerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=150)
    kvk_number = forms.CharField(
        label=gettext_lazy("KvK-nummer"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sector = forms.CharField(label=gettext_lazy("Sector"), max_length=100, required=False)
    contact_name = forms.CharField(
        label=gettext_lazy("Contactpersoon"), max_length=100, required=False
    )
    contact_email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Telefoon"), max_length=30, required=False)
    active = forms.BooleanField(label=gettext_lazy("Actief"), required=False, initial=True)


class NewPartnerForm(PartnerForm):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programma"), queryset=Programme.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.restrict(user).order_by("name")
        self.only = only_programme_of(user)
        if self.only is not None:
            # One programme: nothing to choose.
            self.fields["programme"].widget = forms.HiddenInput()

    def clean_programme(self):
        programme = self.cleaned_data.get("programme") or self.only
        if programme is None:
            raise forms.ValidationError(_("Kies een programma."))
        return programme


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@coordinator_page
def partner_list(request):
    form = NewPartnerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            partner = services.partner_create(**data, acting_user=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Partner %(name)s toegevoegd.") % {"name": partner.name})
            return redirect("planning:partner", partner_id=partner.pk)
    show = request.GET.get("show", "active")
    partners = selectors.partners_for(request.user).order_by("name", "id")
    if show != "all":
        partners = partners.filter(active=True)
    page = paginate(request, partners)
    return render(
        request,
        "planning/partners.html",
        {"page": page, "form": form, "show": show, "active": "partners"},
        status=400 if form.errors else 200,
    )


@coordinator_page
def partner_detail(request, partner_id: int):
    partner = get_object_or_404(selectors.partners_for(request.user), pk=partner_id)
    initial = {name: getattr(partner, name) for name in PartnerForm.base_fields}
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(
                partner=partner, data=form.cleaned_data, acting_user=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Partner opgeslagen."))
            return redirect("planning:partner", partner_id=partner.pk)
    page = paginate(request, selectors.participations_of_partner(partner))
    return render(
        request,
        "planning/partner.html",
        {"partner": partner, "form": form, "page": page, "active": "partners"},
        status=400 if form.errors else 200,
    )


class ParticipationForm(forms.Form):
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"), queryset=Partner.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Rol"), choices=Participation.Kind.choices)
    hours = forms.DecimalField(
        label=gettext_lazy("Uren"), min_value=0, max_value=1000, decimal_places=2, initial=0
    )
    note = forms.CharField(label=gettext_lazy("Notitie"), max_length=300, required=False)

    def __init__(self, *args, booking: Booking, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the visit's programme's active partners: another programme's is not offered.
        self.fields["partner"].queryset = (
            Partner.objects.restrict(user)
            .filter(programme_id=booking.school.programme_id, active=True)
            .order_by("name")
        )


def _visit(request, booking_id: int) -> Booking:
    return get_object_or_404(
        Booking.objects.restrict(request.user).select_related("school"), pk=booking_id
    )


@coordinator_page
def participation_add(request, booking_id: int):
    booking = _visit(request, booking_id)
    form = ParticipationForm(request.POST or None, booking=booking, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_add(
                booking=booking, **form.cleaned_data, acting_user=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Partner toegevoegd aan het bezoek."))
            return redirect("planning:visit", booking_id=booking.pk)
    participations = selectors.participations_of_booking(booking)
    return render(
        request,
        "planning/participation_add.html",
        {
            "b": booking,
            "form": form,
            "participations": participations,
            "hours": participations.aggregate(s=Sum("hours"))["s"] or 0,
            "active": "partners",
        },
        status=400 if form.errors else 200,
    )


@coordinator_page
@require_POST
def participation_remove(request, participation_id: int):
    participation = (
        Participation.objects.restrict(request.user)
        .select_related("booking")
        .filter(pk=participation_id)
        .first()
    )
    if participation is None:
        raise Http404(_("Deze deelname bestaat niet."))
    booking_id = participation.booking_id
    try:
        services.participation_remove(participation=participation, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Deelname verwijderd."))
    return redirect("planning:visit", booking_id=booking_id)


planning_patterns = [
    path("partners/", partner_list, name="partners"),
    path("partners/<int:partner_id>/", partner_detail, name="partner"),
    path("visits/<int:booking_id>/partners/", participation_add, name="participation-add"),
    path(
        "participations/<int:participation_id>/remove/",
        participation_remove,
        name="participation-remove",
    ),
]
