"""The landing page, and where a user lands after logging in."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse

from backend.core.roles import FUNDER, SCHOOL, role_of

# Without a ?next=, a school lands on its own pages, not on the landing page's API and admin cards;
# the funder on the reach report, the one page it may open.
HOME_OF_ROLE = {SCHOOL: "school:home", FUNDER: "planning:reach"}


def landing(request):
    role = role_of(request.user)
    if role == FUNDER:
        return redirect("planning:reach")
    return render(request, "landing.html", {"role": role})


class LoginView(auth_views.LoginView):
    def get_default_redirect_url(self):
        home = HOME_OF_ROLE.get(role_of(self.request.user))
        return reverse(home) if home else super().get_default_redirect_url()
