"""The landing page, and where a user lands after logging in."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse

from backend.core.roles import SCHOOL, role_of

# Without a ?next=, a school lands on its own pages, not on the landing page's API and admin cards.
HOME_OF_ROLE = {SCHOOL: "school:home"}


def landing(request):
    return render(request, "landing.html", {"role": role_of(request.user)})


class LoginView(auth_views.LoginView):
    def get_default_redirect_url(self):
        home = HOME_OF_ROLE.get(role_of(self.request.user))
        return reverse(home) if home else super().get_default_redirect_url()
