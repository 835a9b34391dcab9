from django.urls import path

from bookings.reports.views import ReachReportView

urlpatterns = [
    path("reports/reach/", ReachReportView.as_view(), name="report-reach"),
]
