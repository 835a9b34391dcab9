import django_filters
from django.db.models import Q

from inventory.models import Consumable, Item


class ItemFilter(django_filters.FilterSet):
    asset_tag = django_filters.CharFilter(field_name="asset_tag", lookup_expr="iexact")
    search = django_filters.CharFilter(method="filter_search", label="Search tag, serial, notes")
    status = django_filters.ChoiceFilter(choices=Item.Status.choices)

    class Meta:
        model = Item
        fields = ["kit_type", "status", "asset_tag", "case", "depot"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(asset_tag__icontains=value)
            | Q(serial_number__icontains=value)
            | Q(notes__icontains=value)
            | Q(kit_type__name__icontains=value)
        )


class ConsumableFilter(django_filters.FilterSet):
    low = django_filters.BooleanFilter(method="filter_low", label="Below reorder level")

    class Meta:
        model = Consumable
        fields = ["name"]

    def filter_low(self, queryset, name, value):
        from django.db.models import F

        if value:
            return queryset.filter(stock__lte=F("reorder_level"))
        return queryset.filter(stock__gt=F("reorder_level"))
