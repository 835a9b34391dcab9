"""OpenAPI (drf-spectacular) adjustments that hold for every app."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from backend.core.fields import HH_MM_PATTERN


class HourMinuteTimeExtension(OpenApiSerializerFieldExtension):
    """Times are `HH:MM` (API.md; REST_FRAMEWORK["TIME_FORMAT"]), not OpenAPI's RFC 3339
    `format: time` (`HH:MM:SS`), so every TimeField is documented with a pattern instead."""

    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "pattern": HH_MM_PATTERN, "example": "09:30"}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus `maxItems`/`minItems` for nested lists (`Serializer(many=True,
    max_length=…)`), which it leaves out: every list the API accepts is bounded, and the schema
    says so (tests/test_bad_input_walk.py reads the limits from it)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.ListSerializer) and isinstance(schema, dict):
            if schema.get("type") == "array":
                if field.max_length is not None:
                    schema["maxItems"] = field.max_length
                if field.min_length is not None:
                    schema["minItems"] = field.min_length
        return schema
