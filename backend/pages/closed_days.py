"""The school's own closed days (studiedagen) at /school/closed-days/: list, add, remove.

The wagon cannot come on these days (availability names them `school_closed`). Reads through
`Blackout.objects.restrict`, writes through `bookings.services.blackout_*`, which keep a school
to its own school's closed days; the programme's closed days are shown, not editable.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.core.exceptions import DomainError
from backend.core.roles import SCHOOL, school_id_of
from backend.pages.access import role_page
from backend.pages.school_forms import DateInput
from bookings import services
from bookings.models import Blackout, School
from bookings.selectors import today

school_page = role_page(SCHOOL, denied=gettext_lazy("Alleen voor scholen."))
MAX_ROWS = 200


class ClosedDayForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("Van"), widget=DateInput())
    date_to = forms.DateField(
        label=gettext_lazy("Tot en met (optioneel)"), required=False, widget=DateInput()
    )
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("bijv. studiedag")}),
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and not data.get("date_to"):
            data["date_to"] = data["date_from"]  # one day: the usual studiedag
        return data


def _school(request) -> School:
    school_id = school_id_of(request.user)
    if school_id is None:
        raise PermissionDenied(_("Uw account is nog niet aan een school gekoppeld."))
    return School.objects.get(pk=school_id)


@school_page
def closed_days(request):
    school = _school(request)
    form = ClosedDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.blackout_save(
                blackout=Blackout(
                    school=school,
                    programme_id=school.programme_id,
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    reason=data["reason"],
                ),
                acting_user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Gesloten dag opgeslagen."))
            return redirect("school:closed_days")
    # From today on: past closed days no longer matter for a booking.
    visible = Blackout.objects.restrict(request.user).filter(date_to__gte=today())
    own = list(visible.filter(school=school).order_by("date_from", "id")[:MAX_ROWS])
    programme_wide = list(
        visible.filter(Q(school__isnull=True) & Q(wagon__isnull=True)).order_by("date_from", "id")[
            :MAX_ROWS
        ]
    )
    return render(
        request,
        "school/closed_days.html",
        {
            "school": school,
            "own": own,
            "programme_wide": programme_wide,
            "form": form,
            "active": "closed_days",
        },
        status=400 if form.errors else 200,
    )


@school_page
@require_POST
def remove(request, blackout_id: int):
    # Another school's closed day (or the programme's) is not found: 404, as in the API.
    blackout = (
        Blackout.objects.restrict(request.user)
        .filter(pk=blackout_id, school_id=school_id_of(request.user))
        .first()
    )
    if blackout is None:
        raise Http404(_("Geen gesloten dag van uw school."))
    try:
        services.blackout_delete(blackout=blackout, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Gesloten dag verwijderd."))
    return redirect("school:closed_days")
