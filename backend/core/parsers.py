"""Request-body parsers with limits: DRF's default parsers (settings.REST_FRAMEWORK).

- A body over `TW_MAX_BODY_BYTES` is refused with 413 `{"detail", "code": "too_large"}` after
  reading at most one byte more than the limit (nothing legitimate comes near it: the largest
  request, a workshop with all its rules, is a few kB).
- JSON nested deeper than `TW_MAX_JSON_DEPTH` is refused with 400 `{"detail", "code":
  "too_deep"}` before `json.loads` sees it: Python's decoder recurses per level, so
  `[[[[…]]]]` 100,000 deep would otherwise end in a RecursionError and a 500.
- Malformed JSON is 400 `{"detail", "code": "malformed_json"}`.

DRF parses lazily; `parse_body` (called by `backend.core.permissions.RoleAccess` once the caller is
known to be allowed) makes every write parse its body before the view runs, so a write that does
not read its body (confirm, arrive, DELETE) cannot succeed with a body nobody checked — and an
anonymous caller still gets 401 first.
"""

import io
import re

from django.conf import settings
from rest_framework import parsers
from rest_framework.utils import json

from backend.core.exceptions import DomainError

# A JSON string (escapes included): brackets inside strings do not nest anything.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def max_body_bytes() -> int:
    return int(settings.TW_MAX_BODY_BYTES)


def max_json_depth() -> int:
    return int(settings.TW_MAX_JSON_DEPTH)


def too_large() -> DomainError:
    limit = max_body_bytes()
    return DomainError(
        f"The request body is larger than {limit} bytes.",
        code="too_large",
        status_code=413,
        max_bytes=limit,
    )


def read_bounded(stream) -> bytes:
    """The whole body, or 413 as soon as it is longer than the limit."""
    limit = max_body_bytes()
    data = stream.read(limit + 1) if stream is not None else b""
    if len(data) > limit:
        raise too_large()
    return data


def content_length(parser_context) -> int:
    """The request's declared body length (0 when absent or not a number)."""
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) or {}
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


def check_content_length(parser_context) -> None:
    if content_length(parser_context) > max_body_bytes():
        raise too_large()


def json_depth(text: str, limit: int) -> int:
    """Nesting depth of `text`, counting only up to `limit + 1` (enough to refuse it)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        check_content_length(parser_context)
        data = read_bounded(stream)
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise DomainError(
                f"The request body is not valid {encoding} text.",
                code="malformed_json",
                status_code=400,
            ) from None
        limit = max_json_depth()
        if json_depth(text, limit) > limit:
            raise DomainError(
                f"JSON nested deeper than {limit} levels is not accepted.",
                code="too_deep",
                status_code=400,
                max_depth=limit,
            )
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError:  # the depth check above should make this unreachable
            raise DomainError(
                "JSON nested too deep.", code="too_deep", status_code=400, max_depth=limit
            ) from None
        except ValueError as exc:
            raise DomainError(
                f"Malformed JSON: {exc}", code="malformed_json", status_code=400
            ) from None


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        check_content_length(parser_context)
        return super().parse(io.BytesIO(read_bounded(stream)), media_type, parser_context)


class MultiPartParser(parsers.MultiPartParser):
    """Fields are bounded by DATA_UPLOAD_MAX_MEMORY_SIZE; the whole body by the same limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        check_content_length(parser_context)
        return super().parse(stream, media_type, parser_context)


def parse_body(request) -> None:
    """Parse a write's body now (errors become 400/413 before the view runs)."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        request.data  # noqa: B018  (evaluated for its side effect: parsing)
