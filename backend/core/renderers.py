"""Renderers for the binary responses several apps serve (PDFs, calendar files, CSV).

A file endpoint only ever renders a file on success (its view returns the bytes). Errors — 401,
403, 404, 409, 400 — are always JSON in the API's error shape: `backend.core.exceptions` switches the
response to `JSONRenderer` whenever the negotiated renderer is a `FileRenderer`, so no view has to
remember it and a client never gets a "PDF" that is really an error message.
"""

import json

from rest_framework.renderers import BaseRenderer


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
