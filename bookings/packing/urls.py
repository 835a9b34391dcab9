from django.urls import path

from bookings.packing import views as packing_views

urlpatterns = [
    path(
        "bookings/<int:pk>/packing-list/",
        packing_views.PackingListView.as_view(),
        name="booking-packing-list",
    ),
    path(
        "bookings/<int:pk>/packing-list.pdf",
        packing_views.PackingListPdfView.as_view(),
        name="booking-packing-list-pdf",
    ),
    path(
        "bookings/<int:pk>/packing-list/check/",
        packing_views.PackingCheckView.as_view(),
        name="booking-packing-check",
    ),
    path(
        "wagon-days/<int:wagon_id>/<str:date>/",
        packing_views.WagonDayView.as_view(),
        name="wagon-day",
    ),
    path(
        "wagon-days/<int:wagon_id>/<str:date>/check/",
        packing_views.WagonDayCheckView.as_view(),
        name="wagon-day-check",
    ),
]
