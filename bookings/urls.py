from django.urls import path
from rest_framework.routers import DefaultRouter

from bookings import blackouts_api, views, waiting_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("schools", views.SchoolViewSet, basename="school")
router.register("workshops", views.WorkshopViewSet, basename="workshop")
router.register("blackouts", blackouts_api.BlackoutViewSet, basename="blackout")
router.register("bookings", views.BookingViewSet, basename="booking")
router.register("waiting-list", waiting_api.WaitingListViewSet, basename="waiting-entry")

urlpatterns = [
    path("availability/", views.AvailabilityView.as_view(), name="availability"),
    path(
        "bookings/<int:pk>/calendar.ics",
        views.BookingCalendarView.as_view(),
        name="booking-calendar",
    ),
    *router.urls,
]
