"""Filter parts shared by the apps' FilterSets."""

import django_filters

from backend.core.dates import validate_date_window


class WindowDateFilter(django_filters.DateFilter):
    """A date filter that answers 400 on the parameter for a date outside the window."""

    def __init__(self, *args, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_date_window]
        super().__init__(*args, **kwargs)
