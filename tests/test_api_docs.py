"""Swagger UI and Redoc come from drf-spectacular-sidecar's static files: no CDN, so the docs work
offline and under the Content-Security-Policy."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

URL = re.compile(r"""(?:https?:)?//[^\s"'<>()]+""")
ASSET = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_page_loads_nothing_from_another_host(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    foreign = [
        url for url in URL.findall(html) if not url.split("//", 1)[1].startswith("testserver")
    ]
    assert foreign == []
    assets = ASSET.findall(html)
    assert assets, "the docs page loads its scripts from /static/"
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"


def test_swagger_ui_is_the_sidecar_bundle(client):
    html = client.get("/api/v1/docs/").content.decode()
    for name in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        assert f'/static/drf_spectacular_sidecar/swagger-ui-dist/{name}"' in html
    assert '/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png"' in html
    assert '"/api/v1/schema/"' in html


def test_redoc_is_the_sidecar_bundle(client):
    html = client.get("/api/v1/redoc/").content.decode()
    assert '/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"' in html
    assert 'spec-url="/api/v1/schema/"' in html
