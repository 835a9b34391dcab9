import django_filters

from backend.core.filters import WindowDateFilter
from routes.models import Route


class RouteFilter(django_filters.FilterSet):
    date = WindowDateFilter(field_name="date")
    date_from = WindowDateFilter(field_name="date", lookup_expr="gte")
    date_to = WindowDateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Route
        fields = ["wagon", "date"]
