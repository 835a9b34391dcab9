import django_filters

from backend.core.filters import WindowDateFilter
from bookings.models import Workshop
from feedback.models import FeedbackResponse


class FeedbackFilter(django_filters.FilterSet):
    """`?workshop=` (a visit with a session of it), `?date_from=`, `?date_to=` (visit date)."""

    workshop = django_filters.ModelChoiceFilter(
        field_name="booking__sessions__workshop", queryset=Workshop.objects.all(), distinct=True
    )
    date_from = WindowDateFilter(field_name="booking__date", lookup_expr="gte")
    date_to = WindowDateFilter(field_name="booking__date", lookup_expr="lte")

    class Meta:
        model = FeedbackResponse
        fields = []
