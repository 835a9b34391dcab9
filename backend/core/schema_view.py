"""`/api/v1/schema/`: drf-spectacular's view, with the generated schema kept per process.

Generating the schema walks every view and serializer (~0.4 s); it only changes when the code
does, so each process builds it once per language and API version and serves that copy. It is
built without the caller's request: the schema is public and the same for every role
(tests/test_schema_view.py checks the served schema against a fresh one for each role).
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_urlconf
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

_schemas: dict[tuple, dict] = {}


@receiver(setting_changed)
def _forget_schemas(**kwargs) -> None:
    """A changed setting (tests' override_settings) may change the schema: build it again."""
    _schemas.clear()


class SchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        # The urlconf: a middleware may route a request through another one; the view's own
        # options: another route may serve this view with other ones (`as_view(urlconf=…)`).
        own = (self.urlconf, self.patterns, self.custom_settings, self.serve_public)
        key = (translation.get_language(), version, get_urlconf(), type(self), repr(own))
        schema = _schemas.get(key)
        if schema is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            schema = generator.get_schema(request=None, public=self.serve_public)
            _schemas[key] = schema
        filename = self._get_filename(request, version)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )
