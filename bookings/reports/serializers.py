"""Query and response shape of the reach report (`GET /api/v1/reports/reach/`)."""

import re

from django.utils import timezone
from rest_framework import serializers

from backend.core.roles import FUNDER, role_of
from backend.core.scoping import ScopedPrimaryKeyRelatedField
from bookings.reports.selectors import (
    GROUP_BY,
    Period,
    calendar_year,
    school_year,
    school_year_of,
)
from inventory.models import Depot, Wagon
from programmes.models import Programme

MAX_SPAN_DAYS = 366 * 20
_SCHOOL_YEAR_RE = re.compile(r"^(\d{4})(?:[-/](\d{4}))?$")
_MAX_ID = 2**63 - 1


class ReachFilterField(ScopedPrimaryKeyRelatedField):
    """An id to filter on: one the user may see (another programme's is "does not exist", a 400
    like an unknown id); an id too large for the database is refused before it reaches it."""

    def to_internal_value(self, data):
        text = str(data).strip()
        if not text.isdigit():
            self.fail("incorrect_type", data_type=type(data).__name__)
        if int(text) > _MAX_ID:
            self.fail("does_not_exist", pk_value=text)
        return super().to_internal_value(int(text))


class ReachQuerySerializer(serializers.Serializer):
    """One of: `date_from` + `date_to`, `year` (calendar year) or `school_year` (`2026` or
    `2026-2027`: 1 Aug 2026 – 31 Jul 2027). Nothing given → the current school year.
    `programme`, `depot`, `wagon` narrow the report to one (an id the user may see, else 400).
    `group_by` defaults to `programme` for the funder (every programme side by side), else to
    `school_type`. Needs the request in its context (the user's scope)."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    school_year = serializers.CharField(required=False, max_length=9)
    group_by = serializers.ChoiceField(
        choices=GROUP_BY,
        required=False,
        help_text="Default: `programme` for the funder, else `school_type`.",
    )
    planned = serializers.BooleanField(required=False, default=False)
    programme = ReachFilterField(
        queryset=Programme.objects.all(), required=False, help_text="Only this programme (id)."
    )
    depot = ReachFilterField(
        queryset=Depot.objects.all(),
        required=False,
        help_text="Only visits of this depot (id): the wagon's depot, else the school's.",
    )
    wagon = ReachFilterField(
        queryset=Wagon.objects.all(), required=False, help_text="Only this wagon's visits (id)."
    )

    def validate_school_year(self, value: str) -> int:
        match = _SCHOOL_YEAR_RE.match(value.strip())
        if not match:
            raise serializers.ValidationError("Use a start year like 2026 or 2026-2027.")
        start = int(match.group(1))
        if match.group(2) and int(match.group(2)) != start + 1:
            raise serializers.ValidationError("A school year runs from one year to the next.")
        if not 2000 <= start <= 2100:
            raise serializers.ValidationError("Year out of range.")
        return start

    def validate(self, attrs):
        has_range = "date_from" in attrs or "date_to" in attrs
        chosen = [name for name in ("year", "school_year") if name in attrs]
        if has_range:
            chosen.append("date range")
        if len(chosen) > 1:
            raise serializers.ValidationError(
                {"non_field_errors": [f"Give only one of: {', '.join(chosen)}."]}
            )
        if has_range:
            if "date_from" not in attrs or "date_to" not in attrs:
                missing = "date_to" if "date_from" in attrs else "date_from"
                raise serializers.ValidationError({missing: ["Give both date_from and date_to."]})
            if attrs["date_from"] > attrs["date_to"]:
                raise serializers.ValidationError({"date_to": ["date_to is before date_from."]})
            if (attrs["date_to"] - attrs["date_from"]).days > MAX_SPAN_DAYS:
                raise serializers.ValidationError({"date_to": ["The range is at most 20 years."]})
            period = Period(attrs["date_from"], attrs["date_to"])
        elif "year" in attrs:
            period = calendar_year(attrs["year"])
        elif "school_year" in attrs:
            period = school_year(attrs["school_year"])
        else:
            period = school_year_of(timezone.localdate())
        attrs["period"] = period
        if "group_by" not in attrs:
            request = self.context.get("request")
            is_funder = request is not None and role_of(request.user) == FUNDER
            attrs["group_by"] = "programme" if is_funder else "school_type"
        return attrs


def reach_filter_ids(validated: dict) -> dict:
    """The validated query's programme/depot/wagon as `reach_report`'s `<name>_id` arguments."""
    return {
        f"{name}_id": validated[name].pk if validated.get(name) is not None else None
        for name in ("programme", "depot", "wagon")
    }


class ReachFiguresSerializer(serializers.Serializer):
    visits = serializers.IntegerField()
    schools = serializers.IntegerField()
    sessions = serializers.IntegerField()
    pupils = serializers.IntegerField()


class ReachSectorsSerializer(serializers.Serializer):
    """Totals per sector (po / vo / mbo / so, from each session's school type: po → po; so, vso →
    so; pro, vmbo-*, havo, vwo → vo; mbo-* → mbo). `schools` counts unique schools (BRIN +
    vestiging) that had a group of that sector, so sectors' school counts need not add up to the
    total; visits count in every sector they had a group of."""

    po = ReachFiguresSerializer()
    vo = ReachFiguresSerializer()
    mbo = ReachFiguresSerializer()
    so = ReachFiguresSerializer()


class ReachTotalsSerializer(ReachFiguresSerializer):
    sectors = ReachSectorsSerializer()


class ReachRowSerializer(ReachFiguresSerializer):
    key = serializers.CharField(
        help_text="The group: a school type or holiday region code, a workshop name, a BRIN + "
        "vestiging, or a programme, depot or wagon id (usable as that filter)."
    )
    label = serializers.CharField()
    project_code = serializers.CharField(
        allow_null=True,
        help_text="The STO project code of the row's programme where the row belongs to one "
        "(group_by programme, depot, wagon, school, workshop); for school_type and "
        "holiday_region rows the report's project_code.",
    )


class ReachProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    project_code = serializers.CharField()


class ReachReportSerializer(serializers.Serializer):
    """Counts only the requesting user's programmes (the funder: all). The CSV (`format=csv`)
    has the columns `key, label, project_code, visits, schools, sessions, pupils`: one line per
    row, then a `totaal` line and one `sector:<po|vo|mbo|so>` line per sector; `project_code` is
    the row's programme's code where the row belongs to one, else the report's (empty when the
    report covers several programmes)."""

    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.CharField()
    planned = serializers.BooleanField()
    programmes = ReachProgrammeSerializer(
        many=True, help_text="The programmes the report covers (the user's, narrowed by filter)."
    )
    project_code = serializers.CharField(
        allow_null=True, help_text="The covered programme's project code when it covers one."
    )
    rows = ReachRowSerializer(many=True)
    totals = ReachTotalsSerializer()
