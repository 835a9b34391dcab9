"""The impact report page (/planning/reports/impact/): the API's impact figures for a school year,
with server-rendered SVG charts, a CSV download and the A4 PDF for funders.

Coordinators see their own programmes; the funder every programme (with the reports-only base
template, as on the reach page). The query is the API's own serializer, so the scope and every
error are the API's: another programme's id is an error, never data.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.core.roles import COORDINATOR, FUNDER, role_of
from backend.pages.access import role_page
from backend.pages.charts import bar_chart, percent_label
from backend.pages.planning import reach_errors
from bookings.models import SchoolType, Workshop
from bookings.reports.impact import GROUP_BY, impact_report
from bookings.reports.impact_serializers import ImpactQuerySerializer, impact_filters
from programmes.models import Programme

GROUP_BY_LABELS = {
    "programme": gettext_lazy("Programma"),
    "workshop": gettext_lazy("Workshop"),
    "school_type": gettext_lazy("Schooltype"),
}
FILTER_LABELS = {
    "programme": gettext_lazy("Programma"),
    "workshop": gettext_lazy("Workshop"),
    "school_type": gettext_lazy("Schooltype"),
}


def decimal_label(value, places: int = 1) -> str:
    return "–" if value is None else f"{float(value):.{places}f}".replace(".", ",")


def key_figures(figures: dict) -> list[tuple[str, str, str]]:
    """(id, label, value) of the totals, in the words of the PDF."""
    return [
        ("visits", _("Bezoeken"), str(figures["visits"])),
        ("schools", _("Unieke scholen (BRIN + vestiging)"), str(figures["schools"])),
        ("pupils", _("Leerlingcontacten"), str(figures["pupils"])),
        (
            "girls",
            _("Aandeel meisjes"),
            _("%(share)s (bekend voor %(coverage)s van de leerlingen)")
            % {
                "share": percent_label(figures["girls_share"]),
                "coverage": percent_label(figures["gender_coverage"]),
            },
        ),
        ("teachers", _("Docenten bereikt"), str(figures["teachers"])),
        ("partners", _("Partnerdeelnames"), str(figures["partner_participations"])),
        ("hours", _("Partneruren"), decimal_label(figures["partner_hours"], 2)),
        (
            "response",
            _("Respons feedback"),
            _("%(rate)s (%(responses)s van %(completed)s afgeronde bezoeken)")
            % {
                "rate": percent_label(figures["response_rate"]),
                "responses": figures["responses"],
                "completed": figures["completed_visits"],
            },
        ),
        (
            "workshop_rating",
            _("Waardering workshop (1–5)"),
            decimal_label(figures["workshop_rating"]),
        ),
        ("crew_rating", _("Waardering crew (1–5)"), decimal_label(figures["crew_rating"])),
        (
            "organisation_rating",
            _("Waardering organisatie (1–5)"),
            decimal_label(figures["organisation_rating"]),
        ),
        (
            "enthusiasm",
            _("Leerlingen enthousiaster over techniek (1–5)"),
            decimal_label(figures["enthusiasm"]),
        ),
        ("book_again", _("Zou opnieuw boeken"), percent_label(figures["book_again_share"])),
    ]


def _row_cells(row: dict) -> list[str]:
    return [
        str(row["visits"]),
        str(row["schools"]),
        str(row["pupils"]),
        percent_label(row["girls_share"]),
        percent_label(row["gender_coverage"]),
        str(row["teachers"]),
        f"{row['partner_participations']} ({decimal_label(row['partner_hours'], 2)})",
        percent_label(row["response_rate"]),
        decimal_label(row["workshop_rating"]),
        percent_label(row["book_again_share"]),
    ]


def _columns() -> list[str]:
    return [
        _("Bezoeken"),
        _("Scholen"),
        _("Leerlingen"),
        _("Meisjes"),
        _("Bekend"),
        _("Docenten"),
        _("Partners (uren)"),
        _("Respons"),
        _("Workshop"),
        _("Opnieuw"),
    ]


def _filter_fields(user, values: dict) -> list[tuple]:
    """(name, label, [(value, label, selected)]) for the pickers: two small queries over the
    user's programmes and workshops, never over visits."""
    programmes = Programme.objects.restrict(user).order_by("name").values_list("pk", "name")
    workshops = (
        Workshop.objects.restrict(user)
        .order_by("name", "programme__name")
        .values_list("pk", "name", "programme__name")
    )
    several = len(programmes) > 1
    options = {
        "programme": [(str(pk), name) for pk, name in programmes],
        "workshop": [
            (str(pk), f"{name} ({programme})" if several else name)
            for pk, name, programme in workshops
        ],
        "school_type": [(value, label) for value, label in SchoolType.choices],
    }
    return [
        (
            name,
            str(FILTER_LABELS[name]),
            [(value, label, value == values.get(name)) for value, label in choices],
        )
        for name, choices in options.items()
    ]


@role_page(COORDINATOR, FUNDER, denied=gettext_lazy("Alleen voor coördinatoren en financiers."))
def impact(request):
    params = {k: v for k, v in request.GET.items() if v != ""}
    mode = params.pop("mode", None)
    # One period picker on the page: drop the fields of the mode not chosen.
    if mode == "range":
        params = {k: v for k, v in params.items() if k not in ("school_year", "year")}
    elif mode == "school_year":
        params = {k: v for k, v in params.items() if k not in ("year", "date_from", "date_to")}
    query = ImpactQuerySerializer(data=params, context={"request": request})
    report, errors, charts, links = None, [], [], {}
    if query.is_valid():
        data = query.validated_data
        filters = impact_filters(data)
        report = impact_report(
            period=data["period"], group_by=data["group_by"], user=request.user, **filters
        )
        if report["school_year"] is not None:
            # The file names then say "2026-2027" rather than two dates.
            api_params = {"school_year": str(report["school_year"])}
        else:
            api_params = {
                "date_from": report["date_from"].isoformat(),
                "date_to": report["date_to"].isoformat(),
            }
        api_params["group_by"] = report["group_by"]
        for name, value in filters.items():
            if value is not None:
                api_params[name.removesuffix("_id")] = value
        links = {
            "csv": f"{reverse('report-impact')}?{urlencode({**api_params, 'format': 'csv'})}",
            "pdf": f"{reverse('report-impact-pdf')}?{urlencode(api_params)}",
        }
        group = str(GROUP_BY_LABELS[report["group_by"]]).lower()
        charts = [
            bar_chart(
                [(row["label"], row["pupils"]) for row in report["rows"]],
                title=_("Leerlingcontacten per %(group)s") % {"group": group},
            ),
            bar_chart(
                [(row["label"], row["girls_share"]) for row in report["rows"]],
                title=_("Aandeel meisjes per %(group)s") % {"group": group},
                scale_to=1,
                value_label=percent_label,
            ),
        ]
    else:
        errors = reach_errors(query.errors)
    is_funder = role_of(request.user) == FUNDER
    context = {
        "active": "impact",
        # The funder reads reports only: no planning menu of pages it may not open.
        "base_template": "planning/base_reach_funder.html"
        if is_funder
        else "planning/base_planning.html",
        "report": report,
        "errors": errors,
        "charts": charts,
        "links": links,
        "key_figures": key_figures(report["totals"]) if report else [],
        "columns": _columns(),
        "rows": [
            {"label": row["label"], "code": row["project_code"], "cells": _row_cells(row)}
            for row in (report["rows"] if report else [])
        ],
        "total_cells": _row_cells(report["totals"]) if report else [],
        "mode": mode or ("range" if "date_from" in params else "school_year"),
        "values": params,
        "filter_fields": _filter_fields(request.user, params),
        "group_by_choices": [(g, str(GROUP_BY_LABELS[g])) for g in GROUP_BY],
        "group_by_label": str(GROUP_BY_LABELS[report["group_by"]]) if report else "",
        "period_label": (
            f"{report['school_year']}-{report['school_year'] + 1}"
            if report and report["school_year"] is not None
            else ""
        ),
    }
    return render(request, "planning/impact.html", context, status=200 if report else 400)
