"""Who was there (issue 18): a small form per visit for girls, boys and teachers per session, and a
corrected pupils total once the visit took place.

Two doors to one form: the crew's visit page (/crew/visits/<id>/attendance/, crew and coordinators
of the visit's programme) and the school portal (/school/bookings/<id>/attendance/, the school's own
visits). The visit is looked up through `bookings_visible_to`, so another programme's or another
school's visit is a 404; the write goes through `services.booking_record_attendance`, which holds
the rule (girls + boys ≤ pupils).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.core.exceptions import DomainError
from backend.core.roles import COORDINATOR, CREW, SCHOOL
from backend.pages.access import role_page
from bookings import services
from bookings.models import Booking
from bookings.selectors import bookings_visible_to

crew_page = role_page(CREW, COORDINATOR, denied=gettext_lazy("Alleen voor crew en coördinatoren."))
school_page = role_page(SCHOOL, denied=gettext_lazy("Alleen voor scholen."))


def _count(label, max_value: int, *, required: bool = False, min_value: int = 0):
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        required=required,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
    )


class SessionAttendanceForm(forms.Form):
    """One session's row; `pupils` only once the visit took place (before that the group size
    changes through the request, where the kit is checked again)."""

    girls = _count(gettext_lazy("Meisjes"), 200)
    boys = _count(gettext_lazy("Jongens"), 200)
    teachers = _count(gettext_lazy("Leerkrachten"), 50)
    pupils = _count(gettext_lazy("Leerlingen totaal"), 200, required=True, min_value=1)

    def __init__(self, *args, session, took_place: bool, **kwargs):
        super().__init__(*args, prefix=f"s{session.pk}", **kwargs)
        self.session = session
        if not took_place:
            del self.fields["pupils"]


def _attach(forms_: list[SessionAttendanceForm], exc: ValidationError) -> list[str]:
    """The service says "Sessie N: girls: ...; pupils: ..." (N = position in the list sent):
    each part goes next to its field of that group, without the code's field name; what
    belongs to no group is returned for the top of the page."""
    loose = []
    messages_ = exc.message_dict if hasattr(exc, "message_dict") else {None: exc.messages}
    for message in (m for ms in messages_.values() for m in ms):
        head, _sep, rest = message.partition(": ")
        number = head.removeprefix("Sessie ")
        if not (rest and head.startswith("Sessie ") and number.isdigit()):
            loose.append(message)
            continue
        index = int(number) - 1
        if index >= len(forms_):
            loose.append(message)
            continue
        form = forms_[index]
        for part in rest.split("; "):
            name, _sep, text = part.partition(": ")
            if text and name in form.fields:
                form.add_error(name, text)
            else:
                form.add_error(None, text or part)
    return loose


def _visit(request, booking_id: int) -> Booking:
    booking = (
        bookings_visible_to(request.user, Booking.objects.select_related("school"))
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise Http404(_("Geen bezoek gevonden."))
    return booking


def _page(request, booking_id: int, *, template: str, back_url: str):
    booking = _visit(request, booking_id)
    open_ = booking.status in services.ATTENDANCE_STATUSES
    took_place = booking.status in Booking.TOOK_PLACE
    sessions = list(booking.sessions.select_related("workshop").order_by("start_time", "id"))
    data = request.POST if request.method == "POST" and open_ else None
    forms_ = [
        SessionAttendanceForm(
            data,
            session=s,
            took_place=took_place,
            initial={
                "girls": s.girls,
                "boys": s.boys,
                "teachers": s.teachers,
                "pupils": s.pupils,
            },
        )
        for s in sessions
    ]
    errors: list[str] = []
    valid = data is not None and all(f.is_valid() for f in forms_)
    if valid:
        rows = [{"id": f.session.pk, **f.cleaned_data} for f in forms_]
        try:
            services.booking_record_attendance(
                booking=booking, sessions=rows, acting_user=request.user
            )
        except ValidationError as exc:
            errors = _attach(forms_, exc)
        except DomainError as exc:
            errors = [str(exc.detail)]
        else:
            messages.success(request, _("De aanwezigen zijn opgeslagen."))
            return redirect(request.path)
    return render(
        request,
        template,
        {
            "booking": booking,
            "rows": forms_,
            "open": open_,
            "took_place": took_place,
            "errors": errors,
            "back_url": back_url,
            "active": "bookings",
            "school": booking.school,
        },
        # A POST that did not redirect was refused (bad numbers, or a visit not open for it).
        status=400 if request.method == "POST" else 200,
    )


@crew_page
def crew_attendance(request, booking_id: int):
    return _page(
        request,
        booking_id,
        template="attendance/crew.html",
        back_url=reverse("crew:visit", args=[booking_id]),
    )


@school_page
def school_attendance(request, booking_id: int):
    return _page(
        request,
        booking_id,
        template="attendance/school.html",
        back_url=reverse("school:bookings") + f"#booking-{booking_id}",
    )
