"""The API's JSON renderer (backend.core.renderers.JSONRenderer) answers DRF's bytes exactly."""

import json

import pytest
from rest_framework import renderers

from backend.core.renderers import JSONRenderer

TRICKY = {
    "text": "Groep 7 – Zoë's klas\u2028tweede regel\u2029derde",
    "nested": [{"a": 1, "b": [1.5, None, True]}, [], {}],
    "count": 3,
    "empty": "",
}


@pytest.mark.parametrize("media_type", [None, "application/json", "application/json; indent=4"])
def test_bytes_equal_drfs_renderer(media_type):
    ours = JSONRenderer().render(TRICKY, media_type, {})
    assert ours == renderers.JSONRenderer().render(TRICKY, media_type, {})
    assert b"\\u2028" in ours and b"\\u2029" in ours  # still valid JavaScript
    assert json.loads(ours) == TRICKY
    assert JSONRenderer().render(None) == b""


def test_the_api_answers_through_it(coordinator_client):
    response = coordinator_client.get("/api/v1/workshops/")
    assert response.status_code == 200
    assert type(response.accepted_renderer) is JSONRenderer
    assert response.content == renderers.JSONRenderer().render(response.data)
