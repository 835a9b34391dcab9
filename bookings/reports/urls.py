from django.urls import path

from bookings.reports.impact_views import ImpactPdfView, ImpactReportView
from bookings.reports.views import ReachReportView

urlpatterns = [
    path("reports/reach/", ReachReportView.as_view(), name="report-reach"),
    path("reports/impact/", ImpactReportView.as_view(), name="report-impact"),
    path("reports/impact.pdf", ImpactPdfView.as_view(), name="report-impact-pdf"),
]
