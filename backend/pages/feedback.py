"""Teacher feedback pages.

- /school/feedback/<token>/ — the form behind the signed link in the thank-you e-mail: no login,
  one response per visit, a second submit changes it, while the link is open (`feedback.links`).
  A tampered, foreign or expired token is a 404, the same page whatever the reason.
- /school/bookings/<id>/feedback/ — the school (logged in) reads its own visit's response.
- /planning/feedback/ — coordinators: averages and response rate per programme and workshop,
  and the latest responses.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from backend.core.exceptions import DomainError
from backend.core.roles import SCHOOL
from backend.pages.access import role_page
from backend.pages.paging import paginate
from backend.pages.planning import coordinator_page
from bookings.selectors import bookings_visible_to
from feedback import links, selectors, services
from feedback.models import FeedbackResponse

school_page = role_page(SCHOOL, denied=gettext_lazy("Alleen voor scholen."))

SCALE = [(n, str(n)) for n in range(1, 6)]


def _rating(label):
    return forms.TypedChoiceField(
        label=label, choices=SCALE, coerce=int, widget=forms.RadioSelect(attrs={"class": "scale"})
    )


class FeedbackForm(forms.Form):
    workshop_rating = _rating(gettext_lazy("De workshop"))
    crew_rating = _rating(gettext_lazy("De begeleiding door de crew"))
    organisation_rating = _rating(gettext_lazy("De organisatie (aanvragen, planning, contact)"))
    enthusiasm = _rating(gettext_lazy("Leerlingen zijn enthousiaster over techniek"))
    book_again = forms.TypedChoiceField(
        label=gettext_lazy("Zou u de techniekwagen opnieuw boeken?"),
        choices=[("ja", gettext_lazy("Ja")), ("nee", gettext_lazy("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=gettext_lazy("Wat wilt u ons nog laten weten? (optioneel)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


def _initial(response: FeedbackResponse | None) -> dict:
    if response is None:
        return {}
    return {
        "workshop_rating": response.workshop_rating,
        "crew_rating": response.crew_rating,
        "organisation_rating": response.organisation_rating,
        "enthusiasm": response.enthusiasm,
        "book_again": "ja" if response.book_again else "nee",
        "comments": response.comments,
    }


@never_cache
def form(request, token: str):
    booking = links.open_booking(token)
    if booking is None:
        raise Http404(_("Deze link is verlopen of klopt niet."))
    response = FeedbackResponse.objects.filter(booking=booking).first()
    bound = FeedbackForm(request.POST or None, initial=_initial(response))
    saved = False
    if request.method == "POST" and bound.is_valid():
        try:
            response = services.feedback_submit(
                booking=booking, **bound.cleaned_data, acting_user=None
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    bound.add_error(field if field in bound.fields else None, error)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404(exc.detail) from None
            bound.add_error(None, exc.detail)
        else:
            saved = True
            bound = FeedbackForm(initial=_initial(response))
    return render(
        request,
        "feedback/form.html",
        {
            "b": booking,
            "form": bound,
            "response": response,
            "saved": saved,
            "valid_until": links.valid_until(booking),
            "sessions": booking.sessions.select_related("workshop"),
        },
        status=400 if bound.errors else 200,
    )


@school_page
def school_response(request, booking_id: int):
    booking = bookings_visible_to(request.user).filter(pk=booking_id).first()
    if booking is None:
        raise Http404(_("Geen aanvraag van uw school."))
    response = FeedbackResponse.objects.filter(booking=booking).first()
    return render(
        request,
        "feedback/school_response.html",
        {
            "b": booking,
            "response": response,
            "link": links.token_for(booking) if links.is_open(booking) else None,
            "school": booking.school,
            "active": "bookings",
        },
    )


@coordinator_page
def overview(request):
    figures = selectors.summary(request.user)
    responses = selectors.responses_for(request.user).order_by("-booking__date", "-id")
    page = paginate(request, responses)
    return render(
        request,
        "planning/feedback.html",
        {"figures": figures, "page": page, "active": "feedback"},
    )


school_patterns = [
    # Public: the signed token is the only key (no login).
    path("feedback/<str:token>/", form, name="feedback"),
    path("bookings/<int:booking_id>/feedback/", school_response, name="booking-feedback"),
]
