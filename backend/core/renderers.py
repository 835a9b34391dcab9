"""Renderers for the binary responses several apps serve (PDFs, calendar files, CSV).

A file endpoint only ever renders a file on success (its view returns the bytes). Errors — 401,
403, 404, 409, 400 — are always JSON in the API's error shape: `backend.core.exceptions` switches the
response to `JSONRenderer` whenever the negotiated renderer is a `FileRenderer`, so no view has to
remember it and a client never gets a "PDF" that is really an error message.
"""

import json

from rest_framework import renderers
from rest_framework.renderers import BaseRenderer


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, byte for byte, without the encoder's circular-reference check: an
    answer is a tree of dicts and lists the view just built, and the check costs a dict insert
    and delete per container (a 1,000-row list: ~5,000 of them). A cycle would still fail
    (RecursionError instead of ValueError), never render."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is None:
            separators = renderers.SHORT_SEPARATORS if self.compact else renderers.LONG_SEPARATORS
        else:
            separators = renderers.INDENT_SEPARATORS
        text = json.dumps(
            data,
            cls=self.encoder_class,
            indent=indent,
            ensure_ascii=self.ensure_ascii,
            allow_nan=not self.strict,
            separators=separators,
            check_circular=False,
        )
        # As DRF: U+2028 and U+2029 escaped, so the JSON is also valid JavaScript.
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


class FileRenderer(BaseRenderer):
    """Base of every renderer that produces a file rather than a JSON document."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        if isinstance(data, str):
            return data.encode(self.charset or "utf-8")
        # Not a file (should have been switched to JSON already): never emit a broken file.
        return json.dumps(data, default=str).encode()


class PDFRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"


class ICSRenderer(FileRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"
