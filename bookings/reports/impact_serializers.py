"""Query and response shape of the impact report (`GET /api/v1/reports/impact/`)."""

from rest_framework import serializers

from bookings.models import SchoolType, Workshop
from bookings.reports.impact import GROUP_BY
from bookings.reports.serializers import ReachFilterField, ReachQuerySerializer


class ImpactQuerySerializer(ReachQuerySerializer):
    """The reach report's period (`school_year` — `2026` or `2026-2027`: 1 Aug 2026 – 31 Jul
    2027 —, `year`, or `date_from` + `date_to`; nothing: the current school year) and programme
    filter, plus `workshop` and `school_type`. Needs the request in its context (the user's
    scope: an id of another programme is a 400, like an unknown one)."""

    # The reach report's depot/wagon filters and planned visits do not apply: impact is measured
    # on visits that took place.
    planned = None
    depot = None
    wagon = None
    group_by = serializers.ChoiceField(
        choices=GROUP_BY, required=False, default="programme", help_text="Default: `programme`."
    )
    workshop = ReachFilterField(
        queryset=Workshop.objects.all(),
        required=False,
        help_text="Only the sessions of this workshop (id), and the visits that had one.",
    )
    school_type = serializers.ChoiceField(
        choices=SchoolType.choices,
        required=False,
        help_text="Only the sessions of this school type, and the visits that had one.",
    )


def impact_filters(validated: dict) -> dict:
    """The validated query's filters as `impact_report`'s keyword arguments."""
    return {
        "programme_id": validated["programme"].pk if validated.get("programme") else None,
        "workshop_id": validated["workshop"].pk if validated.get("workshop") else None,
        "school_type": validated.get("school_type"),
    }


_SHARE = "A fraction 0–1 (4 decimals), null when there is nothing to divide by."


class ImpactFiguresSerializer(serializers.Serializer):
    visits = serializers.IntegerField(help_text="Visits that took place (as the reach report).")
    schools = serializers.IntegerField(help_text="Unique schools (BRIN + vestiging).")
    sessions = serializers.IntegerField()
    pupils = serializers.IntegerField()
    girls = serializers.IntegerField(help_text="Girls in the sessions where girls/boys are known.")
    boys = serializers.IntegerField(help_text="Boys in the sessions where girls/boys are known.")
    gender_known_pupils = serializers.IntegerField(
        help_text="Pupils of the sessions where both girls and boys are known."
    )
    girls_share = serializers.FloatField(
        allow_null=True, help_text=f"girls / (girls + boys). {_SHARE}"
    )
    gender_coverage = serializers.FloatField(
        allow_null=True, help_text=f"gender_known_pupils / pupils. {_SHARE}"
    )
    teachers = serializers.IntegerField(help_text="Teachers present (sum over sessions).")
    partner_participations = serializers.IntegerField()
    partner_hours = serializers.DecimalField(max_digits=12, decimal_places=2)
    completed_visits = serializers.IntegerField()
    responses = serializers.IntegerField(help_text="Feedback responses on completed visits.")
    response_rate = serializers.FloatField(
        allow_null=True, help_text=f"responses / completed_visits. {_SHARE}"
    )
    workshop_rating = serializers.FloatField(allow_null=True, help_text="Average 1–5.")
    crew_rating = serializers.FloatField(allow_null=True, help_text="Average 1–5.")
    organisation_rating = serializers.FloatField(allow_null=True, help_text="Average 1–5.")
    enthusiasm = serializers.FloatField(
        allow_null=True,
        help_text="Average 1–5: 'leerlingen zijn enthousiaster over techniek'.",
    )
    book_again_share = serializers.FloatField(
        allow_null=True, help_text=f"Share of responses that would book again. {_SHARE}"
    )


class ImpactRowSerializer(ImpactFiguresSerializer):
    key = serializers.CharField(
        help_text="The group: a programme or workshop id (usable as that filter) or a school "
        "type code."
    )
    label = serializers.CharField()
    project_code = serializers.CharField(
        allow_null=True,
        help_text="The STO project code of the row's programme (programme and workshop rows); "
        "for school-type rows the report's project_code.",
    )


class ImpactProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    project_code = serializers.CharField()


class ImpactFiltersSerializer(serializers.Serializer):
    programme = serializers.IntegerField(allow_null=True)
    workshop = serializers.IntegerField(allow_null=True)
    school_type = serializers.CharField(allow_null=True)


class ImpactReportSerializer(serializers.Serializer):
    """Only the requesting user's programmes (the funder: all); nothing personal."""

    school_year = serializers.IntegerField(
        allow_null=True, help_text="Start year when the period is one school year, else null."
    )
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.CharField()
    filters = ImpactFiltersSerializer()
    programmes = ImpactProgrammeSerializer(many=True)
    project_code = serializers.CharField(allow_null=True)
    rows = ImpactRowSerializer(many=True)
    totals = ImpactFiguresSerializer()
