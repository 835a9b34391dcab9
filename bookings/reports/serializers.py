"""Query and response shape of the reach report (`GET /api/v1/reports/reach/`)."""

import re

from django.utils import timezone
from rest_framework import serializers

from bookings.reports.selectors import GROUP_BY, Period, calendar_year, school_year, school_year_of

MAX_SPAN_DAYS = 366 * 20
_SCHOOL_YEAR_RE = re.compile(r"^(\d{4})(?:[-/](\d{4}))?$")


class ReachQuerySerializer(serializers.Serializer):
    """One of: `date_from` + `date_to`, `year` (calendar year) or `school_year` (`2026` or
    `2026-2027`: 1 Aug 2026 – 31 Jul 2027). Nothing given → the current school year."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    school_year = serializers.CharField(required=False, max_length=9)
    group_by = serializers.ChoiceField(choices=GROUP_BY, required=False, default="school_type")
    planned = serializers.BooleanField(required=False, default=False)

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
        return attrs


class ReachFiguresSerializer(serializers.Serializer):
    visits = serializers.IntegerField()
    schools = serializers.IntegerField()
    sessions = serializers.IntegerField()
    pupils = serializers.IntegerField()


class ReachRowSerializer(ReachFiguresSerializer):
    key = serializers.CharField()
    label = serializers.CharField()


class ReachReportSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.CharField()
    planned = serializers.BooleanField()
    rows = ReachRowSerializer(many=True)
    totals = ReachFiguresSerializer()
