"""`GET /api/v1/reports/reach/`: JSON by default, `?format=csv` for a spreadsheet."""

import csv
import io
import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.permissions import COORDINATOR_ONLY, RoleAccess
from backend.core.renderers import FileRenderer
from backend.core.roles import FUNDER
from bookings.reports.selectors import COLUMNS, SECTORS, reach_report
from bookings.reports.serializers import (
    ReachQuerySerializer,
    ReachReportSerializer,
    reach_filter_ids,
)

CSV_HEADER = ("key", "label", "project_code", *COLUMNS)
# The funder (national STO office) reads every programme's report and nothing else.
REPORT_READERS = COORDINATOR_ONLY | {FUNDER}


def _cell(value):
    """Text that a spreadsheet would run as a formula gets a leading quote (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def reach_csv(report: dict) -> str:
    """The report as CSV: one line per row, then a `totaal` line and a `sector:<code>` line per
    sector (po, vo, mbo, so). Same numbers as the JSON. `project_code` is the row's programme's
    where the row belongs to one, else the report's (empty when it covers several)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    code = report["project_code"] or ""
    for row in report["rows"]:
        writer.writerow(
            [
                _cell(row["key"]),
                _cell(row["label"]),
                _cell(row["project_code"] or ""),
                *(row[c] for c in COLUMNS),
            ]
        )
    totals = report["totals"]
    writer.writerow(["totaal", "Totaal", _cell(code), *(totals[c] for c in COLUMNS)])
    for sector in SECTORS:
        figures = totals["sectors"][sector]
        writer.writerow(
            [f"sector:{sector}", f"Totaal {sector}", _cell(code), *(figures[c] for c in COLUMNS)]
        )
    return out.getvalue()


class ReachCSVRenderer(FileRenderer):
    """Selected by `?format=csv` (DRF's URL format override) or `Accept: text/csv`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict) or "rows" not in data:
            # Not a report (OPTIONS metadata, an error body): JSON is the honest rendering.
            return json.dumps(data, default=str).encode(self.charset)
        return reach_csv(data).encode(self.charset)


REACH_DESCRIPTION = """Visits, unique schools (BRIN + vestiging), sessions and pupils of the
requesting user's programmes: a coordinator's own programmes only; the funder (national STO office)
every programme, with `group_by=programme` as its default so the programmes stand side by side.
Nothing personal is ever in the report (no contact names, e-mails or phone numbers; schools by name
and BRIN only).

Filters: `programme`, `depot`, `wagon` (ids; an id outside the user's programmes is a 400 on that
field, exactly like an unknown one). A visit's depot is its wagon's depot, else its school's.

`totals.sectors` gives the totals per sector (po / vo / mbo / so) by each session's school type
(po → po; so, vso → so; pro, vmbo-*, havo, vwo → vo; mbo-* → mbo). Schools are unique per sector,
so the sectors' school counts need not add up to the total (a school with a po and an so group
counts in both).

Project code: each row's `project_code` is its programme's where the row belongs to one programme
(group_by programme, depot, wagon, school, workshop — workshops of the same name in two programmes
are two rows); for school_type and holiday_region rows it is the report's `project_code`: the code
of the one programme the report covers, or null when it covers several.

CSV (`format=csv`): header `key,label,project_code,visits,schools,sessions,pupils`; one line per
row; then `totaal` (the report's project code, empty when several); then one `sector:po`,
`sector:vo`, `sector:mbo`, `sector:so` line. Cells a spreadsheet would run as a formula start with
a quote."""


class ReachReportView(APIView):
    """Visits, unique schools, sessions and pupils of the user's programmes (coordinators; the
    funder reads every programme's)."""

    permission_classes = [RoleAccess]
    read_roles = REPORT_READERS
    write_roles = COORDINATOR_ONLY  # so a coordinator POST is 405, not 403
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, ReachCSVRenderer]

    @extend_schema(
        description=REACH_DESCRIPTION,
        parameters=[
            ReachQuerySerializer,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={
            (200, "application/json"): ReachReportSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request):
        query = ReachQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = query.validated_data
        report = reach_report(
            period=params["period"],
            group_by=params["group_by"],
            planned=params["planned"],
            user=request.user,
            **reach_filter_ids(params),
        )
        data = ReachReportSerializer(report).data
        response = Response(data)
        if (
            getattr(request, "accepted_renderer", None)
            and request.accepted_renderer.format == "csv"
        ):
            # The project code in the name when the report is one programme's (funders file
            # reports per project).
            code = f"{report['project_code']}-" if report["project_code"] else ""
            name = (
                f"bereik-{code}{report['date_from']}-{report['date_to']}-{report['group_by']}.csv"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
