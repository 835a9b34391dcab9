import django_filters

from backend.core.filters import WindowDateFilter
from bookings.models import Blackout, Booking, School, Workshop


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

    def filter_at_risk(self, queryset, name, value):
        # Applied in the view (it annotates the shortage); kept here for the schema and form.
        return queryset


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
        # JSON containment is not on SQLite; the catalogue is small, so filter by ids.
        ids = [w.pk for w in queryset if value in (w.school_types or [])]
        return queryset.filter(pk__in=ids)


class BlackoutFilter(django_filters.FilterSet):
    date_from = WindowDateFilter(field_name="date_to", lookup_expr="gte")
    date_to = WindowDateFilter(field_name="date_from", lookup_expr="lte")

    class Meta:
        model = Blackout
        fields = ["wagon", "date_from", "date_to"]
