"""Onboarding pages: the coordinator's "Uitnodigen" form (/planning/schools/<id>/invite/) and
access-request queue (/planning/access-requests/), and two public pages of the school portal:
setting a password from an invitation (/school/invite/<token>/) and requesting access for a BRIN
(/school/access/). Reads here, writes through onboarding.services."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import brin as stdnum_brin

from backend.core.exceptions import DomainError
from backend.core.lockout import client_ip
from backend.core.roles import COORDINATOR
from backend.pages.access import role_page
from bookings.models import School
from onboarding import services
from onboarding.models import MESSAGE_MAX_LENGTH, AccessRequest

coordinator_page = role_page(COORDINATOR, denied=gettext_lazy("Alleen voor coördinatoren."))

# Public form: at most this many submissions per client address per hour (shared cache, so
# every worker counts the same), on top of one pending request per address and BRIN.
ACCESS_REQUESTS_PER_HOUR = 5


# ---------------------------------------------------------------- forms


class InviteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam contactpersoon"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("E-mailadres"), max_length=150)


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Wachtwoord"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Wachtwoord (nog een keer)"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("De wachtwoorden zijn niet gelijk."))
        return data


class AccessRequestForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Uw naam"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("E-mailadres"), max_length=150)
    brin = forms.CharField(
        label=gettext_lazy("BRIN-code van uw school"),
        max_length=8,
        help_text=gettext_lazy("Bijvoorbeeld 01AB."),
    )
    vestiging = forms.CharField(
        label=gettext_lazy("Vestigingsnummer (optioneel)"),
        max_length=2,
        required=False,
        help_text=gettext_lazy("Twee cijfers, bijvoorbeeld 00."),
    )
    message = forms.CharField(
        label=gettext_lazy("Bericht (optioneel)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        brin = (data.get("brin") or "").replace(" ", "").upper()
        vestiging = (data.get("vestiging") or "").strip()
        if not brin:
            return data
        if vestiging and len(brin) == 4:
            brin += vestiging
        try:
            data["code"] = stdnum_brin.validate(brin)
        except StdnumError:
            self.add_error(
                "brin",
                _("Ongeldige BRIN-code: 2 cijfers, 2 letters en eventueel 2 cijfers vestiging."),
            )
        return data


# ---------------------------------------------------------------- coordinator pages


@coordinator_page
def school_invite(request, school_id: int):
    school = get_object_or_404(School.objects.restrict(request.user), pk=school_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                school=school,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                acting_user=request.user,
            )
        except DomainError as exc:
            form.add_error("email", exc.detail)
        else:
            messages.success(
                request,
                _("Uitnodiging verstuurd naar %(email)s.") % {"email": invitation.email},
            )
            return redirect("planning:school-invite", school_id=school.pk)
    invitations = school.invitations.select_related("user")[:20]
    return render(
        request,
        "onboarding/school_invite.html",
        {"school": school, "form": form, "invitations": invitations, "active": "access"},
    )


@coordinator_page
def school_invite_pick(request):
    """The school picker on the access-request page: on to that school's invitation form."""
    try:
        school_id = int(request.GET.get("school", ""))
    except ValueError:
        return redirect("planning:access-requests")
    school = get_object_or_404(School.objects.restrict(request.user), pk=school_id)
    return redirect("planning:school-invite", school_id=school.pk)


@coordinator_page
def access_requests(request):
    pending = list(
        AccessRequest.objects.restrict(request.user)
        .filter(status=AccessRequest.Status.PENDING)
        .select_related("school")
        .order_by("created_at", "id")
    )
    # A request whose BRIN matched only a programme needs a school picked on approval.
    needs_school = {r.programme_id for r in pending if r.school_id is None}
    choices = {}
    if needs_school:
        for school in School.objects.restrict(request.user).filter(programme__in=needs_school):
            choices.setdefault(school.programme_id, []).append(school)
    rows = [
        {
            "request": r,
            "schools": [s for s in choices.get(r.programme_id, []) if s.brin.startswith(r.brin[:4])]
            if r.school_id is None
            else [],
        }
        for r in pending
    ]
    schools = School.objects.restrict(request.user).only("pk", "name", "brin")
    return render(
        request,
        "onboarding/access_requests.html",
        {"rows": rows, "schools": schools, "active": "access"},
    )


def _decide(request, request_id: int, approve: bool):
    access_request = get_object_or_404(AccessRequest.objects.restrict(request.user), pk=request_id)
    school = None
    if approve and request.POST.get("school"):
        try:
            school = (
                School.objects.restrict(request.user).filter(pk=int(request.POST["school"])).first()
            )
        except ValueError:
            school = None
        if school is None:
            messages.error(request, _("Kies een school uit de lijst."))
            return redirect("planning:access-requests")
    try:
        if approve:
            services.access_request_approve(
                access_request=access_request, school=school, acting_user=request.user
            )
            messages.success(
                request,
                _("Goedgekeurd: %(email)s krijgt een uitnodiging.")
                % {"email": access_request.email},
            )
        else:
            services.access_request_decline(access_request=access_request, acting_user=request.user)
            messages.success(request, _("Verzoek afgewezen."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("planning:access-requests")


@coordinator_page
@require_POST
def access_request_approve(request, request_id: int):
    return _decide(request, request_id, approve=True)


@coordinator_page
@require_POST
def access_request_decline(request, request_id: int):
    return _decide(request, request_id, approve=False)


# ---------------------------------------------------------------- public pages


def invite_accept(request, token: str):
    invitation = services.invitation_open(token)
    if invitation is None:
        return render(request, "onboarding/invite_gone.html", status=404)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1", exc)
        except DomainError as exc:
            if exc.status == 404:
                return render(request, "onboarding/invite_gone.html", status=404)
            form.add_error(None, exc.detail)
        else:
            messages.success(
                request,
                _("Uw account is klaar. Log in met gebruikersnaam %(username)s.")
                % {"username": user.username},
            )
            return redirect(settings.LOGIN_URL)
    return render(request, "onboarding/invite.html", {"invitation": invitation, "form": form})


def _over_limit(request) -> bool:
    key = f"onboarding_access_{client_ip(request)}"
    # add() is a no-op when the key exists: the window starts at the first request.
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count > ACCESS_REQUESTS_PER_HOUR


def access_request(request):
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST":
        if _over_limit(request):
            return render(
                request,
                "onboarding/access.html",
                {"form": form, "limited": True},
                status=429,
            )
        if form.is_valid():
            data = form.cleaned_data
            services.access_request_create(
                name=data["name"], email=data["email"], brin=data["code"], message=data["message"]
            )
            # The same answer whether or not the BRIN or the address is known.
            return render(request, "onboarding/access.html", {"sent": True})
    return render(request, "onboarding/access.html", {"form": form})


school_patterns = [
    path("invite/<str:token>/", invite_accept, name="invite"),
    path("access/", access_request, name="access"),
]

planning_patterns = [
    path("schools/invite/", school_invite_pick, name="school-invite-pick"),
    path("schools/<int:school_id>/invite/", school_invite, name="school-invite"),
    path("access-requests/", access_requests, name="access-requests"),
    path(
        "access-requests/<int:request_id>/approve/",
        access_request_approve,
        name="access-request-approve",
    ),
    path(
        "access-requests/<int:request_id>/decline/",
        access_request_decline,
        name="access-request-decline",
    ),
]
