"""Serializer fields shared by the apps, with OpenAPI annotations that match what they send."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

HH_MM_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"


@extend_schema_field(
    {"type": "string", "pattern": HH_MM_PATTERN, "example": "09:30"},
)
class HourMinuteField(serializers.TimeField):
    """A time of day as `HH:MM` (API.md), also accepting `HH:MM:SS` on input.

    OpenAPI's `format: time` means RFC 3339 `HH:MM:SS`, which is not what we send, so the schema
    gives a pattern instead.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        super().__init__(**kwargs)


class WindowDateField(serializers.DateField):
    """A date inside `backend.core.dates`' window (2000-01-01 … three years ahead); 400 on the field
    otherwise, before anything is written."""

    def __init__(self, **kwargs):
        from backend.core.dates import validate_date_window

        kwargs["validators"] = [*kwargs.get("validators", ()), validate_date_window]
        super().__init__(**kwargs)
