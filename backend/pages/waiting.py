"""The waiting list in the pages: the school's entries and offers (join, accept, decline) at
/school/waiting-list/, and every waiting school per date for coordinators at
/planning/waiting-list/. Reads here, writes through bookings.waiting."""

import datetime as dt
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.core.exceptions import DomainError
from backend.core.roles import COORDINATOR, SCHOOL, school_id_of
from backend.pages.access import role_page
from backend.pages.school_forms import DateInput, TimeInput
from bookings import waiting
from bookings.models import School, SchoolType, WaitingEntry, Workshop
from bookings.selectors import today

school_page = role_page(SCHOOL, denied=gettext_lazy("Alleen voor scholen."))
coordinator_page = role_page(COORDINATOR, denied=gettext_lazy("Alleen voor coördinatoren."))
OPEN = (WaitingEntry.Status.WAITING, WaitingEntry.Status.OFFERED)


class JoinForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Gewenste datum"), widget=DateInput())
    alternative_1 = forms.DateField(
        label=gettext_lazy("Andere datum (optioneel)"), required=False, widget=DateInput()
    )
    alternative_2 = forms.DateField(
        label=gettext_lazy("Nog een datum (optioneel)"), required=False, widget=DateInput()
    )
    workshop = forms.ModelChoiceField(
        label=gettext_lazy("Workshop"), queryset=Workshop.objects.filter(active=True)
    )
    group_label = forms.CharField(label=gettext_lazy("Groep"), max_length=50)
    school_type = forms.ChoiceField(label=gettext_lazy("Schoolsoort"), choices=SchoolType.choices)
    year = forms.IntegerField(label=gettext_lazy("Leerjaar of groep"), min_value=1, max_value=8)
    pupils = forms.IntegerField(label=gettext_lazy("Aantal leerlingen"), min_value=1, max_value=200)
    start_time = forms.TimeField(label=gettext_lazy("Begintijd"), widget=TimeInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the school's programme's workshops: another programme's id is "not a choice".
        self.fields["workshop"].queryset = Workshop.objects.restrict(user).filter(active=True)

    def dates(self) -> list[dt.date]:
        data = self.cleaned_data
        return [
            d for d in (data["date"], data.get("alternative_1"), data.get("alternative_2")) if d
        ]

    def sessions(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {k: data[k] for k in ("workshop", "group_label", "school_type", "year", "pupils")}
            | {"start_time": data["start_time"]}
        ]


def _school(request) -> School:
    school_id = school_id_of(request.user)
    if school_id is None:
        raise PermissionDenied(_("Uw account is nog niet aan een school gekoppeld."))
    return School.objects.get(pk=school_id)


def _entry_rows(entries) -> list[dict]:
    names = dict(
        Workshop.objects.filter(
            pk__in={s["workshop"] for e in entries for s in e.sessions}
        ).values_list("id", "name")
    )
    return [
        {
            "entry": e,
            "dates": [dt.date.fromisoformat(d) for d in e.dates],
            "sessions": [
                f"{s['start_time']} {names.get(s['workshop'], '?')}: {s['group_label']} "
                f"({s['pupils']})"
                for s in e.sessions
            ],
        }
        for e in entries
    ]


@school_page
def school_list(request):
    school = _school(request)
    form = JoinForm(
        request.POST or None,
        initial={"school_type": (school.school_types or [""])[0]},
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            waiting.waiting_join(
                school=school,
                dates=form.dates(),
                sessions=form.sessions(),
                acting_user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = "date" if field == "dates" else field
                for error in errors:
                    form.add_error(target if target in form.fields else None, error)
        except DomainError as exc:
            form.add_error("date", exc.detail)
        else:
            messages.success(request, _("U staat op de wachtlijst."))
            return redirect("school:waiting_list")
    entries = list(WaitingEntry.objects.filter(school=school).order_by("-created", "-id")[:100])
    return render(
        request,
        "school/waiting_list.html",
        {"school": school, "rows": _entry_rows(entries), "form": form, "active": "waiting"},
        status=400 if form.errors else 200,
    )


def _own_entry(request, entry_id: int) -> WaitingEntry:
    entry = WaitingEntry.objects.filter(pk=entry_id, school_id=school_id_of(request.user)).first()
    if entry is None:
        raise Http404(_("Geen wachtlijstaanvraag van uw school."))
    return entry


@school_page
@require_POST
def accept(request, entry_id: int):
    entry = _own_entry(request, entry_id)
    try:
        entry = waiting.waiting_accept(entry=entry, acting_user=request.user)
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "detail", None) or " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Aangenomen: aanvraag %(reference)s staat klaar voor de coördinator.")
            % {"reference": entry.booking.reference},
        )
    return redirect("school:waiting_list")


@school_page
@require_POST
def decline(request, entry_id: int):
    entry = _own_entry(request, entry_id)
    try:
        waiting.waiting_decline(entry=entry, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Afgeslagen; de plek gaat naar de volgende school."))
    return redirect("school:waiting_list")


@coordinator_page
def planning_list(request):
    """Every open entry per wanted date, from today on; offers show until when they hold."""
    current = today().isoformat()
    entries = list(
        WaitingEntry.objects.restrict(request.user)
        .select_related("school", "offer_wagon")
        .filter(status__in=OPEN)
        .order_by("created", "id")
    )
    by_date = defaultdict(list)
    for row in _entry_rows(entries):
        entry = row["entry"]
        wanted = [entry.offer_date.isoformat()] if entry.offer_date else entry.dates
        for day in wanted:
            if day >= current:
                by_date[day].append(row)
    days = [
        {"date": dt.date.fromisoformat(day), "rows": rows} for day, rows in sorted(by_date.items())
    ]
    return render(request, "planning/waiting_list.html", {"days": days, "active": "waiting"})
