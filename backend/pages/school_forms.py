"""Forms of the school portal: shape and field-level checks only; rules live in bookings.services."""

import datetime as dt

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookings.models import SchoolType

MAX_GROUPS = 4
SOCKET_CHOICES = [
    ("", gettext_lazy("Weet ik niet")),
    ("ja", gettext_lazy("Ja")),
    ("nee", gettext_lazy("Nee")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class GroupForm(forms.Form):
    """One group doing one workshop (a session)."""

    workshop = forms.TypedChoiceField(label="Workshop", coerce=int, choices=())
    group_label = forms.CharField(label=gettext_lazy("Groep"), max_length=50, required=False)
    school_type = forms.ChoiceField(label=gettext_lazy("Schoolsoort"), choices=())
    year = forms.IntegerField(
        label=gettext_lazy("Leerjaar / groep"), min_value=1, max_value=8, required=False
    )
    pupils = forms.IntegerField(
        label=gettext_lazy("Leerlingen"), min_value=1, max_value=200, required=False
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Starttijd"), widget=TimeInput(), required=False
    )

    def __init__(self, *args, workshops=(), school_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].choices = [(w.id, w.name) for w in workshops]
        labels = dict(SchoolType.choices)
        self.fields["school_type"].choices = [(t, _(labels.get(t, t))) for t in school_types]

    def clean(self):
        data = super().clean()
        # An untouched extra row is skipped by the formset; a touched one needs every field.
        for name in ("group_label", "year", "pupils", "start_time"):
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("Vul dit veld in."))
        return data


class BaseGroupFormSet(forms.BaseFormSet):
    """Every row is an optional extra row; `row_initial[i]` pre-fills row i (an untouched
    pre-filled row counts as unused)."""

    def __init__(self, *args, row_initial=(), **kwargs):
        self.row_initial = list(row_initial)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.row_initial):
            kwargs["initial"] = self.row_initial[index]
        return kwargs

    def filled_forms(self) -> list[GroupForm]:
        return [f for f in self.forms if f.has_changed()]


GroupFormSet = formset_factory(
    GroupForm,
    formset=BaseGroupFormSet,
    extra=MAX_GROUPS,
    max_num=MAX_GROUPS,
    absolute_max=MAX_GROUPS,
)


class BookingForm(forms.Form):
    """The visit: date, contact person, site questions, photo consent, alternative dates."""

    date = forms.DateField(label=gettext_lazy("Datum"), widget=DateInput())
    contact_name = forms.CharField(label=gettext_lazy("Contactpersoon"), max_length=100)
    contact_email = forms.EmailField(label=gettext_lazy("E-mail"))
    contact_phone = forms.CharField(label=gettext_lazy("Telefoon"), max_length=30, required=False)
    parking = forms.CharField(
        label=gettext_lazy("Parkeerplek voor de wagen"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Waar kan een bus met aanhanger staan?"),
    )
    socket = forms.ChoiceField(
        label=gettext_lazy("230 V-stopcontact bij de parkeerplek"),
        choices=SOCKET_CHOICES,
        required=False,
    )
    room = forms.CharField(label=gettext_lazy("Lokaal"), max_length=100, required=False)
    photo_consent = forms.BooleanField(
        label=gettext_lazy("Er mogen foto's worden gemaakt"), required=False
    )
    alternative_1 = forms.DateField(
        label=gettext_lazy("Andere datum 1"), widget=DateInput(), required=False
    )
    alternative_2 = forms.DateField(
        label=gettext_lazy("Andere datum 2"), widget=DateInput(), required=False
    )
    alternative_3 = forms.DateField(
        label=gettext_lazy("Andere datum 3"), widget=DateInput(), required=False
    )

    ALTERNATIVES = ("alternative_1", "alternative_2", "alternative_3")

    def clean(self):
        data = super().clean()
        seen = set()
        for name in self.ALTERNATIVES:
            day = data.get(name)
            if day is None:
                continue
            if day == data.get("date"):
                self.add_error(name, _("Dit is al de gekozen datum."))
            elif day in seen:
                self.add_error(name, _("Deze datum staat er al."))
            seen.add(day)
        return data

    def alternative_dates(self) -> list[dt.date]:
        return [self.cleaned_data[n] for n in self.ALTERNATIVES if self.cleaned_data.get(n)]

    def site_notes(self) -> str:
        parts = []
        if self.cleaned_data.get("parking"):
            parts.append(f"Parkeerplek: {self.cleaned_data['parking']}")
        if self.cleaned_data.get("socket"):
            parts.append(f"230 V-stopcontact: {self.cleaned_data['socket']}")
        if self.cleaned_data.get("room"):
            parts.append(f"Lokaal: {self.cleaned_data['room']}")
        return "; ".join(parts)
