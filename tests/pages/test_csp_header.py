"""Every HTML page carries the Content-Security-Policy (django-csp), and nothing on it needs
'unsafe-inline': inline scripts and style blocks carry the request's nonce, there are no inline event
handlers, and a style attribute is there only when the policy allows it by its hash."""

import base64
import hashlib
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db

SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b([^>]*)>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=\"([^\"]*)\"", re.I)


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_page_keeps_to_the_policy(path, response):
    assert response["Content-Type"].startswith("text/html"), path
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"], path
    script_src = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in script_src, path
    style_src = policy.get("style-src", policy["default-src"])
    nonces = {v for v in script_src + style_src if v.startswith("'nonce-")}
    html = response.content.decode()
    for tag, attributes in SCRIPT_OR_STYLE.findall(html):
        inline = tag.lower() == "style" or "src=" not in attributes
        data = 'type="application/json"' in attributes
        if not inline or data or (tag.lower() == "style" and "'unsafe-inline'" in style_src):
            continue
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        assert nonce and f"'nonce-{nonce.group(1)}'" in nonces, f"{path}: <{tag}{attributes}>"
    assert not EVENT_HANDLER.search(html), f"{path}: inline event handler"
    allowed = policy.get("style-src-attr", style_src)
    for style in STYLE_ATTRIBUTE.findall(html):
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, f'{path}: style="{style}" is blocked'


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_html_page_carries_the_policy(crew_user, coordinator, crew_visit):
    teacher = make_user("juf", "school", school=crew_visit.school)
    admin = User.objects.create_superuser("beheer", "beheer@example.nl", "pw-test-123")
    visit = crew_visit.id
    pages = {
        None: ["/", "/accounts/login/", "/admin/login/", "/api/v1/docs/", "/api/v1/redoc/"],
        crew_user: ["/crew/", f"/crew/visits/{visit}/"],
        teacher: ["/school/", "/school/calendar/", "/school/book/", "/school/bookings/"],
        coordinator: ["/planning/", "/planning/board/", "/planning/inventory/", "/planning/reach/"],
        admin: [
            "/admin/",
            "/admin/bookings/booking/",
            f"/admin/bookings/booking/{visit}/change/",
            f"/admin/bookings/booking/{visit}/history/",
            "/admin/inventory/item/add/",
        ],
    }
    for user, paths in pages.items():
        client = _client(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert_page_keeps_to_the_policy(path, response)


def test_error_pages_and_the_api_carry_the_policy_too(crew_user):
    client = _client(crew_user)
    assert policy_of(client.get("/crew/visits/999999/"))["default-src"] == ["'self'"]
    assert policy_of(client.get("/api/v1/me/"))["default-src"] == ["'self'"]


def test_the_nonce_is_new_for_every_request(crew_user, crew_visit):
    client = _client(crew_user)
    first = policy_of(client.get("/api/v1/docs/"))["script-src"]
    second = policy_of(client.get("/api/v1/docs/"))["script-src"]
    assert [v for v in first if v.startswith("'nonce-")] != [
        v for v in second if v.startswith("'nonce-")
    ]
