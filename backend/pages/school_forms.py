"""Forms of the school portal: shape and field-level checks only; rules live in bookings.services."""

import datetime as dt

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookings.models import SchoolType

MAX_GROUPS = 4
# How the groups of one visit use the wagon: one after another, or at once rotating through the
# stations ("carrousel"); both are allowed by bookings.services.validate_sessions.
SEQUENTIAL, CAROUSEL = "na_elkaar", "tegelijk"
SCHEDULE_CHOICES = [
    (SEQUENTIAL, gettext_lazy("Na elkaar")),
    (CAROUSEL, gettext_lazy("Tegelijk (carrousel)")),
]
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
        # The start time may stay empty: fill_start_times works it out from the schedule.
        for name in ("group_label", "year", "pupils"):
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


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def fill_start_times(*, schedule: str, groups: list[GroupForm], durations: dict[int, int]) -> bool:
    """Give each filled group its start time by the schedule, where it has none: "na elkaar"
    starts a group when the one before ends (its workshop's duration), "tegelijk" starts every
    group with the first. A typed time that contradicts the schedule, or a missing first time,
    is an error at that start time; returns whether all is well. `durations`: {workshop id:
    minutes}."""
    ok = True
    first: dt.time | None = None
    previous_end: int | None = None
    for group in groups:
        data = group.cleaned_data
        start = data.get("start_time")
        if start is None and first is None:
            group.add_error("start_time", _("Vul dit veld in."))
            return False
        if start is None:
            if schedule == CAROUSEL:
                start = first
            elif previous_end >= 24 * 60:
                group.add_error("start_time", _("Na de vorige groep is de dag om; kies een tijd."))
                return False
            else:
                start = dt.time(previous_end // 60, previous_end % 60)
            data["start_time"] = start
        elif schedule == CAROUSEL and first is not None and start != first:
            group.add_error(
                "start_time",
                _("Bij tegelijk (carrousel) beginnen alle groepen om %(time)s.")
                % {"time": f"{first:%H:%M}"},
            )
            ok = False
        elif schedule == SEQUENTIAL and previous_end is not None and _minutes(start) < previous_end:
            group.add_error(
                "start_time",
                _("Bij na elkaar begint deze groep als de vorige klaar is: om %(time)s of later.")
                % {"time": f"{previous_end // 60:02d}:{previous_end % 60:02d}"},
            )
            ok = False
        if first is None:
            first = start
        previous_end = _minutes(start) + durations.get(data.get("workshop"), 0)
    return ok


class BookingForm(forms.Form):
    """The visit: date, contact person, site questions, photo consent, alternative dates, and
    whether the groups follow one another or rotate at once."""

    date = forms.DateField(label=gettext_lazy("Datum"), widget=DateInput())
    schedule = forms.ChoiceField(
        label=gettext_lazy("De groepen doen mee"),
        choices=SCHEDULE_CHOICES,
        initial=SEQUENTIAL,
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Na elkaar: elke groep begint als de vorige klaar is; laat de starttijd leeg en die "
            "wordt berekend. Tegelijk: de groepen rouleren langs de stations en beginnen allemaal "
            "op dezelfde tijd."
        ),
    )
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
