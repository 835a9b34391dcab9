"""Routes: one wagon on one date, with its stops; the planner; the route-aware wagon feed."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from routes import views
from routes.calendar import WagonRouteCalendarView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("routes", views.RouteViewSet, basename="route")

urlpatterns = [
    path(
        "wagons/<int:pk>/calendar.ics",
        WagonRouteCalendarView.as_view(),
        name="wagon-route-calendar",
    ),
    path("routes/<int:pk>/day-sheet.pdf", views.RoutePdfView.as_view(), name="route-day-sheet"),
    path(
        "routes/<int:pk>/packing-list.pdf",
        views.RoutePackingPdfView.as_view(),
        name="route-packing-list-pdf",
    ),
    *router.urls,
]
