"""Crew tablet pages, mounted at /crew/. The packing-list PDF's QR code points at visits/<id>/."""

from django.urls import path

from backend.pages import attendance, crew

app_name = "crew"

urlpatterns = [
    path("", crew.day_sheet, name="day-sheet"),
    path("visits/<int:booking_id>/", crew.visit, name="visit"),
    path("visits/<int:booking_id>/attendance/", attendance.crew_attendance, name="attendance"),
    path("days/<int:wagon_id>/<str:date>/", crew.wagon_day, name="wagon-day"),
    path("items/", crew.item_lookup, name="item-lookup"),
    path("items/<str:tag>/", crew.item, name="item"),
    path("items/<str:tag>/photos/<int:report_id>/", crew.item_photo, name="item-photo"),
    path("sw.js", crew.service_worker, name="service-worker"),
]
