"""`GET .../{id}/history/` for any simple-history tracked model, with the changed fields.

Who made a change is shown as the username to staff; a school user sees its own school's users by
name and staff only by role ("coordinator", "crew"), never a staff username.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_user = serializers.CharField(
        allow_null=True,
        help_text="Username for staff; for a school user: a user of its own school by username, "
        'staff by role ("coordinator" or "crew").',
    )
    history_type = serializers.ChoiceField(choices=["+", "~", "-"])
    history_change_reason = serializers.CharField(allow_null=True)
    changes = HistoryChangeSerializer(many=True)


def with_acting_user(instance, acting_user, reason: str = ""):
    """Tell simple-history who made the next save (and why) when no request carries the user
    (services called from commands, threads, the planner)."""
    if acting_user is not None and getattr(acting_user, "is_authenticated", False):
        instance._history_user = acting_user
    if reason:
        instance._change_reason = reason
    return instance


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _roles_of(users) -> dict[int, str | None]:
    """Each user's role in one query (role_of would ask once per user)."""
    from backend.core.roles import role_from_groups

    users = {u.pk: u for u in users}
    names: dict[int, set[str]] = {pk: set() for pk in users}
    for user_id, name in Group.objects.filter(user__in=list(users)).values_list("user", "name"):
        names[user_id].add(name)
    return {
        pk: role_from_groups(names[pk], is_superuser=user.is_superuser)
        for pk, user in users.items()
    }


def _author_labels(users, viewer) -> dict[int, str | None]:
    """How each author is named to `viewer` (see the module docstring)."""
    from backend.core.roles import SCHOOL, role_of, school_id_of

    users = list(users)
    if role_of(viewer) != SCHOOL:
        return {u.pk: u.get_username() for u in users}
    own_school = school_id_of(viewer)
    roles = _roles_of(users)
    school_of = dict(
        get_user_model()
        .objects.filter(pk__in=[u.pk for u in users])
        .values_list("pk", "school_membership__school")
    )
    labels = {}
    for user in users:
        role = roles[user.pk]
        if user.pk == viewer.pk or (role == SCHOOL and school_of.get(user.pk) == own_school):
            labels[user.pk] = user.get_username()
        else:
            labels[user.pk] = role or "staff"
    return labels


def history_entries(instance, viewer=None) -> list[dict]:
    """Newest first; each entry lists the fields that changed against the previous record.
    `viewer` decides how authors are named (staff usernames stay hidden from school users)."""
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    authors = {r.history_user.pk: r.history_user for r in records if r.history_user}
    labels = (
        _author_labels(authors.values(), viewer)
        if viewer is not None
        else {pk: user.get_username() for pk, user in authors.items()}
    )
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is None:
            for field in record.instance_type._meta.fields:
                name = field.attname
                if name == "id" or not hasattr(record, name):  # excluded from history
                    continue
                changes.append(
                    {"field": name, "old": None, "new": _jsonable(getattr(record, name))}
                )
        else:
            delta = record.diff_against(previous)
            for change in delta.changes:
                changes.append(
                    {
                        "field": change.field,
                        "old": _jsonable(change.old),
                        "new": _jsonable(change.new),
                    }
                )
        entries.append(
            {
                "history_id": record.history_id,
                "history_date": record.history_date,
                "history_user": labels[record.history_user.pk] if record.history_user else None,
                "history_type": record.history_type,
                "history_change_reason": record.history_change_reason,
                "changes": changes,
            }
        )
        previous = record
    entries.reverse()
    return entries


class HistoryMixin:
    """Adds `GET {id}/history/` to a viewset; readable by whoever may read the object."""

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        entries = history_entries(instance, viewer=request.user)
        return Response(HistoryEntrySerializer(entries, many=True).data)


def clip_change_reason(sender, instance, history_instance, **kwargs) -> None:
    """simple-history keeps the reason in a 100-character column: a long note in a reason
    ("defect gemeld: …", "retour …: vermist — …") must not fail the whole write on PostgreSQL."""
    reason = history_instance.history_change_reason
    if reason:
        limit = history_instance._meta.get_field("history_change_reason").max_length
        if limit and len(reason) > limit:
            history_instance.history_change_reason = reason[: limit - 1] + "…"
