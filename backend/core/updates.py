"""Writes that touch only the fields they change (no lost updates).

A plain `instance.save()` writes every column from the copy in memory, so a value another request
changed meanwhile (an item reported defect, stock adjusted) is silently put back. Every update path
(API, services, admin) goes through `update_instance` or `save_changed` instead: only the named
fields are written (`save(update_fields=...)`), and simple-history still records the change.
"""

from collections.abc import Iterable, Mapping

from django import forms
from django.db import models, transaction

from backend.core.concurrency import (
    CONFLICT_MESSAGE,
    locked_version,
    object_version,
    version_matches,
)
from backend.core.history import with_acting_user


def _field(instance: models.Model, name: str) -> models.Field | None:
    try:
        field = instance._meta.get_field(name)
    except Exception:  # FieldDoesNotExist: serializer-only data such as nested rules
        return None
    if not getattr(field, "concrete", False) or field.many_to_many or field.primary_key:
        return None
    return field


def _current(instance: models.Model, field: models.Field):
    return getattr(instance, field.attname)


def _incoming(field: models.Field, value):
    if field.is_relation and isinstance(value, models.Model):
        return value.pk
    return value


def apply_changes(instance: models.Model, data: Mapping) -> list[str]:
    """Set every model field in `data` whose value differs; return the names that changed."""
    changed = []
    for name, value in data.items():
        field = _field(instance, name)
        if field is None:
            continue
        if _current(instance, field) == _incoming(field, value):
            continue
        setattr(instance, name, value)
        changed.append(field.name)
    return changed


def save_changed(
    instance: models.Model, fields: Iterable[str], *, acting_user=None, reason: str = ""
) -> list[str]:
    """Save only `fields` (plus `auto_now` timestamps). Nothing changed → nothing written."""
    names = list(dict.fromkeys(fields))
    if not names:
        return []
    names += [
        f.name
        for f in instance._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in names
    ]
    with_acting_user(instance, acting_user, reason)
    instance.save(update_fields=names)
    return names


def delete_instance(instance: models.Model, *, acting_user, error: type[Exception]) -> None:
    """Delete one row with the acting user on its history row; a row still referenced (PROTECT)
    is refused with `error` (a `DomainError` of the calling app, code `in_use`)."""
    try:
        with transaction.atomic():
            with_acting_user(instance, acting_user, "verwijderd")
            instance.delete()
    except models.ProtectedError:
        raise error(
            f"{instance} is nog in gebruik en kan niet worden verwijderd.", code="in_use"
        ) from None


@transaction.atomic
def update_instance(
    instance: models.Model, data: Mapping, *, acting_user=None, reason: str = ""
) -> models.Model:
    """The generic update of plain records: lock the row, compare with what is stored now and write
    only what differs. Returns the fresh, locked instance."""
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    save_changed(locked, apply_changes(locked, data), acting_user=acting_user, reason=reason)
    return locked


class ChangedFieldsUpdateMixin:
    """For plain CRUD viewsets: PUT/PATCH write only the fields that differ from the stored row."""

    def perform_update(self, serializer):
        serializer.instance = update_instance(
            serializer.instance, serializer.validated_data, acting_user=self.request.user
        )


class _LoadedVersionField(forms.CharField):
    """The version a change form was loaded with (hidden); never a change of its own."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


class SaveChangedFieldsAdminMixin:
    """Admin change forms carry the version they were loaded with and are refused (with a
    message, nothing written) when someone else changed the object meanwhile; they write only
    the fields the user changed, so a concurrent change of another field survives.
    `service_fields` are left to the admin's own save_model (they change through a service)."""

    service_fields: tuple[str, ...] = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if kwargs.get("fields"):  # the fieldsets list our extra field; the model does not know it
            kwargs["fields"] = [name for name in kwargs["fields"] if name != "loaded_version"]
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        model, pk = type(obj), obj.pk

        class VersionedForm(form):
            loaded_version = _LoadedVersionField()

            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                if not self.is_bound:
                    self.fields["loaded_version"].initial = object_version(model, pk)

            def clean(self):
                data = super().clean()
                expected = data.get("loaded_version")
                # The admin validates and saves in one transaction: the lock holds until saved.
                if expected and not version_matches(expected, locked_version(model, pk)):
                    raise forms.ValidationError(CONFLICT_MESSAGE, code="precondition_failed")
                return data

        return VersionedForm

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        names = [
            name
            for name in form.changed_data
            if name not in self.service_fields and _field(obj, name) is not None
        ]
        save_changed(obj, names, acting_user=request.user)
