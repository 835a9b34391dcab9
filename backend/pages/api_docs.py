"""The API's interactive docs, Swagger UI (`/api/v1/docs/`) and Redoc (`/api/v1/redoc/`), served
from drf-spectacular-sidecar's static files (no CDN) under the site's Content-Security-Policy."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

# templates/api/swagger_ui.html puts the request's CSP nonce on the inline init script and style.
swagger_ui = SpectacularSwaggerView.as_view(
    url_name="api-schema", template_name="api/swagger_ui.html"
)

# Redoc styles itself with <style> elements it creates at run time (styled-components), which no
# nonce reaches, and searches in a worker it builds from a blob: URL. Only this page allows those;
# its scripts still come from our own origin only.
redoc = csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
    SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
)
