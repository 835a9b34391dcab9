"""The landing page."""

from django.shortcuts import render

from backend.core.roles import role_of


def landing(request):
    return render(request, "landing.html", {"role": role_of(request.user)})
