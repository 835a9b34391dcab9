import django_filters
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from backend.core.filters import WindowDateFilter
from bookings.models import Blackout, Booking, School, Workshop
from inventory.models import Wagon
from programmes.models import Programme


def school_types_contains(value: str):
    """Workshops whose `school_types` list holds `value`, in SQL (so lists page in the database):
    JSON containment on PostgreSQL, SQLite's json_each elsewhere."""
    if connection.vendor == "postgresql":
        return Q(school_types__contains=[value])
    table = Workshop._meta.db_table
    return RawSQL(
        f'EXISTS (SELECT 1 FROM json_each("{table}"."school_types") AS t WHERE t.value = %s)',
        (value,),
        output_field=BooleanField(),
    )


class BookingFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Booking.Status.choices)
    date_from = WindowDateFilter(field_name="date", lookup_expr="gte")
    date_to = WindowDateFilter(field_name="date", lookup_expr="lte")
    at_risk = django_filters.BooleanFilter(
        method="filter_at_risk", label="Confirmed visits whose kit is no longer all available"
    )

    class Meta:
        model = Booking
        fields = ["status", "date_from", "date_to", "school", "wagon"]

    @classmethod
    def at_risk_requested(cls, params) -> bool:
        field = cls.base_filters["at_risk"].field
        try:
            return field.clean(params.get("at_risk")) is True
        except Exception:  # an invalid value was already answered with 400 by the filter
            return False

    def filter_at_risk(self, queryset, name, value):
        # A queryset filter, so the list counts and pages in the database; the shortages come
        # from one query (bookings/at_risk.py), which the view reads again for the page's rows.
        if not value:
            return queryset
        from bookings import at_risk
        from bookings.selectors import today

        on = today()
        found = at_risk.shortages(on=on)
        if self.request is not None:
            self.request.at_risk_shortages = found
        return at_risk.at_risk_filter(queryset, on=on, found=found)


class SchoolFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = School
        fields = ["holiday_region", "depot", "city", "brin"]


class WorkshopFilter(django_filters.FilterSet):
    school_type = django_filters.CharFilter(method="filter_school_type")

    class Meta:
        model = Workshop
        fields = ["active"]

    def filter_school_type(self, queryset, name, value):
        return queryset.filter(school_types_contains(value))


def _scoped(model):
    """Choices for a filter: only the rows the user may see (another programme's id → 400)."""

    def queryset(request):
        return model.objects.restrict(getattr(request, "user", None))

    return queryset


class BlackoutFilter(django_filters.FilterSet):
    date_from = WindowDateFilter(field_name="date_to", lookup_expr="gte")
    date_to = WindowDateFilter(field_name="date_from", lookup_expr="lte")
    wagon = django_filters.ModelChoiceFilter(queryset=_scoped(Wagon))
    school = django_filters.ModelChoiceFilter(queryset=_scoped(School))
    programme = django_filters.ModelChoiceFilter(queryset=_scoped(Programme))

    class Meta:
        model = Blackout
        fields = ["wagon", "school", "programme", "date_from", "date_to"]
