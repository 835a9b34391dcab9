"""`GET /api/v1/reports/impact/` (JSON, `?format=csv`) and `GET /api/v1/reports/impact.pdf`."""

import csv
import io
import json

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import COORDINATOR_ONLY, RoleAccess
from backend.core.renderers import FileRenderer, PDFRenderer
from bookings.reports.impact import COLUMNS, impact_report
from bookings.reports.impact_pdf import ImpactPdf
from bookings.reports.impact_serializers import (
    ImpactQuerySerializer,
    ImpactReportSerializer,
    impact_filters,
)
from bookings.reports.views import REPORT_READERS, _cell

CSV_HEADER = ("key", "label", "project_code", *COLUMNS)


def impact_csv(data: dict) -> str:
    """The serialized report as CSV: one line per row, then a `totaal` line; shares as
    fractions (0–1) with a dot, empty where there is nothing to divide by. Same numbers as the
    JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)

    def values(figures):
        return ["" if figures[c] is None else figures[c] for c in COLUMNS]

    for row in data["rows"]:
        writer.writerow(
            [
                _cell(row["key"]),
                _cell(row["label"]),
                _cell(row["project_code"] or ""),
                *values(row),
            ]
        )
    code = data["project_code"] or ""
    writer.writerow(["totaal", "Totaal", _cell(code), *values(data["totals"])])
    return out.getvalue()


class ImpactCSVRenderer(FileRenderer):
    """Selected by `?format=csv` or `Accept: text/csv`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict) or "rows" not in data:
            # Not a report (an error body, OPTIONS metadata): JSON is the honest rendering.
            return json.dumps(data, default=str).encode(self.charset)
        return impact_csv(data).encode(self.charset)


IMPACT_DESCRIPTION = """Impact figures of the requesting user's programmes (a coordinator's own;
the funder every programme; nothing personal): per `group_by` (`programme` — default —,
`workshop`, `school_type`) and in total, for a school year (`school_year=2026` or `2026-2027`:
1 Aug 2026 – 31 Jul 2027; default the current one), a calendar `year`, or `date_from` + `date_to`.

Visits that took place (`on_site`, `returned`, `completed`) are counted exactly as in the reach
report, so visits, unique schools (BRIN + vestiging), sessions and pupils equal the reach report's
for the same period and programme (a workshop or school-type row equals the reach row grouped the
same way; `workshop` / `school_type` filters narrow to those sessions and the visits that had one).

`girls_share` = girls / (girls + boys) over the sessions where both are known, with
`gender_coverage` = the pupils of those sessions / all pupils. `teachers` sums the teachers
present. Partner participations and hours over the visits. Feedback (on completed visits): the
average ratings 1–5, `book_again_share`, `response_rate` = responses / completed visits. Shares
are fractions 0–1, null where there is nothing to divide by.

Filters `programme`, `workshop` (ids; outside the user's programmes → 400 like an unknown id) and
`school_type`. CSV (`format=csv`): header `key,label,project_code,` + the figures; one line per
row, then `totaal`. The same query on `/api/v1/reports/impact.pdf` gives the printable A4 year
report (Dutch)."""


def _report(request) -> dict:
    query = ImpactQuerySerializer(data=request.query_params, context={"request": request})
    query.is_valid(raise_exception=True)
    params = query.validated_data
    return impact_report(
        period=params["period"],
        group_by=params["group_by"],
        user=request.user,
        **impact_filters(params),
    )


def file_stem(report: dict) -> str:
    code = f"{report['project_code']}-" if report["project_code"] else ""
    if report["school_year"] is not None:
        when = f"{report['school_year']}-{report['school_year'] + 1}"
    else:
        when = f"{report['date_from']}-{report['date_to']}"
    return f"impact-{code}{when}-{report['group_by']}"


class ImpactReportView(APIView):
    """Impact figures of the user's programmes (coordinators; the funder reads all)."""

    permission_classes = [RoleAccess]
    read_roles = REPORT_READERS
    write_roles = COORDINATOR_ONLY  # so a coordinator POST is 405, not 403
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, ImpactCSVRenderer]

    @extend_schema(
        description=IMPACT_DESCRIPTION,
        parameters=[
            ImpactQuerySerializer,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={
            (200, "application/json"): ImpactReportSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request):
        report = _report(request)
        response = Response(ImpactReportSerializer(report).data)
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="{file_stem(report)}.csv"'
        return response


class ImpactPdfView(APIView):
    """The impact report as a printable A4 year report (Dutch), for a funder."""

    permission_classes = [RoleAccess]
    read_roles = REPORT_READERS
    write_roles = COORDINATOR_ONLY
    renderer_classes = [PDFRenderer, JSONRenderer]

    @extend_schema(
        description="The impact report (same query as `/api/v1/reports/impact/`) as an A4 PDF.",
        parameters=[ImpactQuerySerializer],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        report = _report(request)
        content = ImpactPdf(report, generated_at=timezone.now()).render()
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{file_stem(report)}.pdf"'
        return response
