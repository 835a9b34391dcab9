"""OpenAPI (drf-spectacular) adjustments that hold for every app."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

from backend.fields import HH_MM_PATTERN


class HourMinuteTimeExtension(OpenApiSerializerFieldExtension):
    """Times are `HH:MM` (API.md; REST_FRAMEWORK["TIME_FORMAT"]), not OpenAPI's RFC 3339
    `format: time` (`HH:MM:SS`), so every TimeField is documented with a pattern instead."""

    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "pattern": HH_MM_PATTERN, "example": "09:30"}
