from django.urls import path
from rest_framework.routers import DefaultRouter

from partners import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("partners", api.PartnerViewSet, basename="partner")
router.register("participations", api.ParticipationViewSet, basename="participation")

urlpatterns = [
    path(
        "bookings/<int:pk>/participations/",
        api.BookingParticipationsView.as_view(),
        name="booking-participations",
    ),
    *router.urls,
]
