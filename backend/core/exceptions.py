"""The project's domain error and the one exception handler that turns errors into 400/409."""

import logging

from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError, OperationalError
from django.db.utils import DataError
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from backend.core.renderers import FileRenderer

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule said no. `status` is 409 for conflicts with the world, 400 for bad input."""

    status = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(
        self, detail: str, *, code: str | None = None, status_code: int | None = None, **extra
    ):
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.default_code
        if status_code is not None:
            self.status = status_code
        self.extra = extra

    def as_dict(self) -> dict:
        return {"detail": self.detail, "code": self.code, **self.extra}


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc).lower()
    sqlstate = getattr(getattr(exc, "__cause__", None), "sqlstate", None)
    return (
        sqlstate in {"40P01", "40001", "55P03"}
        or "deadlock" in text
        or "could not serialize" in text
        or "database is locked" in text
    )


def _errors_as_json(context) -> None:
    """A file endpoint (PDF, ICS, CSV) answers its errors as JSON, never as a broken file."""
    request, view = context.get("request"), context.get("view")
    if request is None:
        return
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None:  # content negotiation itself failed: DRF would take the first one
        classes = getattr(view, "renderer_classes", None) or []
        renderer = classes[0]() if classes else None
    if isinstance(renderer, FileRenderer):
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type


def exception_handler(exc, context):
    _errors_as_json(context)
    return _error_response(exc, context)


def _error_response(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, RequestDataTooBig):  # a form body over DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {"detail": "The request body is too large.", "code": "too_large"},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response(
            {"detail": "The request has too many fields.", "code": "too_many_fields"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            data = exc.message_dict
        else:
            data = {"non_field_errors": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        logger.info("integrity error mapped to 409: %s", exc)
        return Response(
            {"detail": "This change conflicts with existing data.", "code": "integrity_conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, OperationalError) and _is_lock_conflict(exc):
        return Response(
            {"detail": "Another request changed the same data; try again.", "code": "busy"},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DataError | OverflowError):
        return Response(
            {"detail": "A value is out of range.", "code": "out_of_range"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DatabaseError) and _is_lock_conflict(exc):
        return Response(
            {"detail": "Another request changed the same data; try again.", "code": "busy"},
            status=status.HTTP_409_CONFLICT,
        )
    # Imported here: rest_framework.views loads the parser classes, which import DomainError.
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)
