"""Admin deletes go through the same `<noun>_delete` services as the API.

Django's admin deletes with `Model.delete()` / `QuerySet.delete()`, which skips every rule a delete
service holds (releasing kit reservations under the day lock, refusing what is still referenced,
the acting user on the history row). `ServiceDeleteAdminMixin` routes the single delete and the
bulk `delete_selected` action through `delete_service(obj, acting_user=...)`. A bulk delete is one
transaction: one refusal rolls back the whole selection and the admin shows why; nothing is
deleted.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from backend.core.exceptions import DomainError


class _BulkRefused(Exception):
    def __init__(self, obj, error: Exception):
        super().__init__(str(error))
        self.obj = obj
        self.error = error


def refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "detail", None) or error)


class ServiceDeleteAdminMixin:
    """Set `delete_service` to a callable `(obj, *, acting_user) -> None` that deletes one object
    through its service (e.g. `lambda obj, **kw: services.school_delete(school=obj, **kw)`)."""

    delete_service: Callable | None = None

    def _delete_one(self, request, obj) -> None:
        if self.delete_service is None:  # pragma: no cover  (a configuration error)
            raise NotImplementedError(f"{type(self).__name__} has no delete_service")
        type(self).delete_service(obj, acting_user=request.user)

    def get_deleted_objects(self, objs, request):
        # The service owns the rows that go with the object (a booking's reservations and
        # packing list, which the admin itself may not delete): the user needs the right to
        # delete the object, not each cascaded row. Protected references still show.
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def delete_model(self, request, obj):
        self._delete_one(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                try:
                    self._delete_one(request, obj)
                except (DomainError, ValidationError) as exc:
                    raise _BulkRefused(obj, exc) from exc

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except (DomainError, ValidationError) as exc:
            # Django's delete view runs in a transaction: nothing of it was written.
            self.message_user(request, f"Niet verwijderd: {refusal_text(exc)}", messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,
                )
            )

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except _BulkRefused as refused:
            self.message_user(
                request,
                f"Niets verwijderd: {refused.obj} kan niet worden verwijderd "
                f"({refusal_text(refused.error)}).",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
