"""Server-rendered pages: crew (tablet), school portal, coordinator planning."""

from django.urls import include, path

urlpatterns = [
    path("crew/", include("backend.pages.crew_urls")),
    path("school/", include("backend.pages.school_urls")),
    path("planning/", include("backend.pages.planning_urls")),
]
