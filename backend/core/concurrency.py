"""Optimistic concurrency for the API: `ETag` on reads, `If-Match` on writes, 412 on a stale copy.

There is no version column, so the version of an object is a strong hash of what is stored: its
concrete field values plus the related rows its representation shows (a booking's sessions, a
route's stops, a workshop's rules). A write that names the version it was based on (`If-Match`) is
compared with the stored version inside the write's transaction, after `select_for_update` of the
row, so two clients can never both win with the same version. Without `If-Match` a write goes
through as before (and still writes only the fields it changes, see backend/core/updates.py).
"""

import hashlib
import inspect
import json

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.permissions import SAFE_METHODS

from backend.core.exceptions import DomainError
from backend.core.schema import AutoSchema  # bounded nested lists, not drf-spectacular's bare one

WRITE_METHODS = ("PUT", "PATCH", "POST", "DELETE")
# What a page says when the version it was loaded with is no longer the stored one.
CONFLICT_MESSAGE = gettext_lazy(
    "Iemand anders heeft dit intussen gewijzigd. Er is niets opgeslagen; "
    "laad de pagina opnieuw en breng uw wijziging opnieuw aan."
)


class PreconditionFailed(DomainError):
    """The caller's copy (If-Match, or a page's hidden version) is not the stored version."""

    status = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, detail: str | None = None, **extra):
        super().__init__(
            detail
            or "This object was changed after you read it (If-Match does not match its current "
            "ETag). Nothing was written; GET it again and retry.",
            **extra,
        )


def _etag(state: list) -> str:
    payload = json.dumps(state, default=str, separators=(",", ":")).encode()
    return '"' + hashlib.sha256(payload).hexdigest()[:40] + '"'


def _columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def object_version(model: type[models.Model], pk, related: tuple[str, ...] = ()) -> str | None:
    """The ETag (quoted, strong) of the stored row `pk` and its `related` rows; None if absent."""
    row = model._default_manager.filter(pk=pk).values_list(*_columns(model)).first()
    if row is None:
        return None
    state: list = [model._meta.label_lower, list(row)]
    for name in related:
        relation = model._meta.get_field(name)
        rows = (
            relation.related_model._default_manager.filter(**{relation.field.name: pk})
            .order_by("pk")
            .values_list(*_columns(relation.related_model))
        )
        state.append([name, [list(r) for r in rows]])
    return _etag(state)


def instance_version(instance: models.Model, related: tuple[str, ...] = ()) -> str:
    """`object_version` of an instance just read from the database (with `related` prefetched,
    as pages list many at once): the same value without another query."""
    model = type(instance)
    state: list = [
        model._meta.label_lower,
        [getattr(instance, name) for name in _columns(model)],
    ]
    for name in related:
        rows = sorted(getattr(instance, name).all(), key=lambda row: row.pk)
        state.append([name, [[getattr(row, c) for c in _columns(type(row))] for row in rows]])
    return _etag(state)


def version_matches(expected: str, current: str | None) -> bool:
    """RFC 9110 If-Match: a list of strong tags or `*`; weak tags never match."""
    if current is None:
        return False
    candidates = [part.strip() for part in expected.split(",")]
    return "*" in candidates or current in candidates


def lock_row(model: type[models.Model], pk) -> bool:
    """`select_for_update` the row (inside the caller's transaction); False if the id is unusable."""
    try:
        return bool(list(model._default_manager.select_for_update().filter(pk=pk).values("pk")))
    except (TypeError, ValueError, ValidationError):
        return False


def locked_version(model: type[models.Model], pk, related=()) -> str | None:
    """Lock the row, then read its version. Call it inside the transaction that then writes, so
    the lock holds until the write is committed."""
    lock_row(model, pk)
    return object_version(model, pk, tuple(related))


def check_version(model: type[models.Model], pk, expected: str, related=()) -> None:
    """Refuse (412, nothing written) when `expected` is not the stored version (row locked)."""
    if not version_matches(expected, locked_version(model, pk, related)):
        raise PreconditionFailed(CONFLICT_MESSAGE)


PRECONDITION_FAILED_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "enum": ["precondition_failed"]},
    },
    "required": ["detail", "code"],
}
ETAG_HEADER = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "Strong version of the object; send it back as If-Match to write safely.",
    }
}
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag the change is based on. If the object changed since, nothing is "
    "written and the answer is 412.",
}


def _view_doc(view_class) -> str:
    """The viewset's docstring, or its app base class's: never a generic mixin's (inspect.getdoc
    would otherwise describe every booking operation as "Adds GET {id}/history/ ...")."""
    for klass in view_class.__mro__:
        if klass is object or klass.__module__.startswith(
            ("backend.", "rest_framework.", "django.")
        ):
            continue
        doc = klass.__dict__.get("__doc__")
        if doc:
            return inspect.cleandoc(doc)
    return ""


class VersionedAutoSchema(AutoSchema):
    """Documents ETag, If-Match and 412 on the operations VersionedMixin handles."""

    def get_description(self) -> str:
        name = getattr(self.view, "action", None) or self.method.lower()
        method = getattr(self.view, name, None)
        own = method.__doc__ if method is not None and method.__doc__ else ""
        if own and not getattr(method, "__module__", "").startswith("rest_framework."):
            return inspect.cleandoc(own)
        return _view_doc(type(self.view))

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None or not getattr(self.view, "detail", False):
            return operation
        responses = operation.get("responses", {})
        if self.method in WRITE_METHODS:
            operation.setdefault("parameters", []).append(dict(IF_MATCH_PARAMETER))
            responses["412"] = {
                "description": "If-Match does not match the current ETag; nothing was written.",
                "content": {"application/json": {"schema": PRECONDITION_FAILED_SCHEMA}},
            }
            written = [code for code in responses if code.startswith("2") and code != "204"]
        elif getattr(self.view, "action", None) == "retrieve":
            written = [code for code in responses if code.startswith("2")]
        else:
            written = []
        for code in written:
            responses[code].setdefault("headers", {}).update(ETAG_HEADER)
        return operation


class VersionedMixin:
    """For model viewsets: `ETag` on GET of one object and on every successful write to it;
    `If-Match` on PUT/PATCH/DELETE and detail actions checked race-free (412 when stale).

    `version_related` names the reverse relations whose rows the representation shows.
    """

    version_related: tuple[str, ...] = ()
    schema = VersionedAutoSchema()
    _version_pk = None
    _read_version = None

    def _version_model(self) -> type[models.Model]:
        queryset = getattr(self, "queryset", None)
        return (queryset if queryset is not None else self.get_queryset()).model

    def _writes_one(self, method: str) -> bool:
        return method in WRITE_METHODS and getattr(self, "detail", False)

    def dispatch(self, request, *args, **kwargs):
        if not self._writes_one(request.method):
            return super().dispatch(request, *args, **kwargs)
        # One transaction for check, write and the new ETag; a refused request writes nothing.
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def get_object(self):
        model = self._version_model()
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        expected = self.request.headers.get("If-Match")
        writing = self._writes_one(self.request.method)
        if writing and expected:
            lock_row(model, lookup)
        elif not writing and getattr(self, "action", None) == "retrieve":
            # Read the version before the object: a change in between then makes the ETag older
            # than the body, so a write based on it is refused rather than let through.
            try:
                self._read_version = object_version(model, lookup, self.version_related)
            except (TypeError, ValueError, ValidationError):
                self._read_version = None
        obj = super().get_object()  # 404 for an object the caller may not see, before any 412
        self._version_pk = obj.pk
        if writing and expected:
            current = object_version(model, obj.pk, self.version_related)
            if not version_matches(expected, current):
                raise PreconditionFailed()
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not 200 <= response.status_code < 300 or response.status_code == 204:
            return response
        if response.has_header("ETag"):
            return response  # the view built it from the object it holds: nothing to read again
        etag = None
        if request.method in SAFE_METHODS:
            if getattr(self, "action", None) == "retrieve":
                etag = self._read_version
        elif self._writes_one(request.method) and self._version_pk is not None:
            etag = object_version(self._version_model(), self._version_pk, self.version_related)
        if etag:
            response["ETag"] = etag
        return response
