"""`GET .../{id}/history/` for any simple-history tracked model, with the changed fields."""

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
    history_user = serializers.CharField(allow_null=True)
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


def history_entries(instance) -> list[dict]:
    """Newest first; each entry lists the fields that changed against the previous record."""
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
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
                "history_user": record.history_user.username if record.history_user else None,
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
        return Response(HistoryEntrySerializer(history_entries(instance), many=True).data)


def clip_change_reason(sender, instance, history_instance, **kwargs) -> None:
    """simple-history keeps the reason in a 100-character column: a long note in a reason
    ("defect gemeld: …", "retour …: vermist — …") must not fail the whole write on PostgreSQL."""
    reason = history_instance.history_change_reason
    if reason:
        limit = history_instance._meta.get_field("history_change_reason").max_length
        if limit and len(reason) > limit:
            history_instance.history_change_reason = reason[: limit - 1] + "…"
