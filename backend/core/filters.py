"""Filter parts shared by the apps' FilterSets."""

from functools import lru_cache

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation

from backend.core.dates import validate_date_window


class WindowDateFilter(django_filters.DateFilter):
    """A date filter that answers 400 on the parameter for a date outside the window."""

    def __init__(self, *args, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_date_window]
        super().__init__(*args, **kwargs)


class FilterBackend(DjangoFilterBackend):
    """`DjangoFilterBackend` that builds only the filters a request names.

    A FilterSet builds a form field for every filter on every request (labels, choices, copies
    of querysets): on a plain list page that was a fifth of the request for nothing, since a
    filter the query string does not name filters nothing. Here a request that names none of
    them gets the queryset as it is, and one that names some gets a FilterSet of just those
    (same validation, same 400s, same filtering: every other filter is a no-op without its
    parameter). The browsable API's filter form (`to_html`) still shows every filter.
    """

    def get_filterset_class(self, view, queryset=None):
        if getattr(view, "filterset_class", None) or queryset is None:
            return super().get_filterset_class(view, queryset)
        fields = getattr(view, "filterset_fields", None)
        if not fields:
            return None
        # django-filter builds an AutoFilterSet class per request from `filterset_fields`: here
        # once per model and fields.
        return _auto_filterset(queryset.model, tuple(fields))

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        named = named_filters(filterset_class, request.query_params)
        if not named:
            return queryset
        filterset = _narrowed(filterset_class, named)(
            **self.get_filterset_kwargs(request, queryset, view)
        )
        if not filterset.is_valid() and self.raise_exception:
            raise translate_validation(filterset.errors)
        return filterset.qs


def named_filters(filterset_class, params) -> tuple[str, ...]:
    """The filters of `filterset_class` whose parameter is in `params`: `name`, or `name_…` for
    a widget of several inputs (ranges: `_after`/`_before`, `_min`/`_max`, `_0`/`_1`)."""
    keys = tuple(params.keys())
    return tuple(
        name
        for name in filterset_class.base_filters
        if any(key == name or key.startswith(name + "_") for key in keys)
    )


@lru_cache(maxsize=256)
def _narrowed(filterset_class, names: tuple[str, ...]):
    """`filterset_class` with only the filters `names` (one class per combination)."""
    if names == tuple(filterset_class.base_filters):
        return filterset_class
    narrowed = type(filterset_class)(
        filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__}
    )
    narrowed.base_filters = {name: filterset_class.base_filters[name] for name in names}
    return narrowed


@lru_cache(maxsize=256)
def _auto_filterset(model, fields: tuple[str, ...]):
    return DjangoFilterBackend().get_filterset_class(
        type("View", (), {"filterset_fields": list(fields)})(), model._default_manager.none()
    )
