"""Programme scoping: who may see which rows (API.md "Programmes scope everything").

Every model a programme owns uses `ScopedQuerySet.scoped_as(path)` as its manager, naming the path
from the row to its programme. `Model.objects.restrict(user)` is then the one way views, selectors
and pages narrow a queryset to what the user may see — NetBox's `.restrict(user)` is the model:

- coordinators and crew: the rows of their programmes (`Programme.members`);
- a school user: rows of its own school where the model is about a school (bookings, its waiting
  list entries), otherwise the rows of the school's programme (its wagons, workshops, blackouts);
- superusers and the funder role: every programme (the funder reaches only reports: the role
  table in `backend.core.permissions` keeps it out of everything else);
- anyone else: nothing.

A row outside the scope is therefore simply not found: 404 on a detail, absent from a list, and
`ScopedPrimaryKeyRelatedField` makes its id in a request body a 400 on that field.
"""

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from backend.core.roles import SCHOOL, programme_ids_of, role_of, school_id_of


class ScopedQuerySet(models.QuerySet):
    # The lookup path from a row to its programme's id, e.g. "depot__programme".
    programme_path = "programme"
    # For school users: the lookup path to the row's school (None: the row is programme-wide).
    school_path: str | None = None
    # True where a school user sees the programme's rows whose school is empty or its own (closed
    # days: the programme's, a wagon's, and its own studiedagen — never another school's).
    school_optional = False

    @classmethod
    def scoped_as(cls, programme_path: str, *, school_path=None, school_optional=False):
        """A manager whose querysets scope by `programme_path` (and `school_path` for schools)."""
        attrs = {
            "programme_path": programme_path,
            "school_path": school_path,
            "school_optional": school_optional,
        }
        suffix = programme_path.replace("__", "_")
        return type(f"ScopedQuerySet_{suffix}", (cls,), attrs).as_manager()

    def in_programmes(self, programme_ids):
        """Rows of these programmes (an iterable of ids)."""
        return self.filter(**{f"{self.programme_path}__in": list(programme_ids)})

    def restrict(self, user):
        """The rows `user` may see (see the module docstring)."""
        role = role_of(user)
        if role is None:
            return self.none()
        if role == SCHOOL:
            school_id = school_id_of(user)
            if school_id is None:
                return self.none()
            if self.school_path is not None and not self.school_optional:
                return self.filter(**{self.school_path: school_id})
            scoped = self.in_programmes(programme_ids_of(user))
            if self.school_optional:
                scoped = scoped.filter(
                    models.Q(**{f"{self.school_path}__isnull": True})
                    | models.Q(**{self.school_path: school_id})
                )
            return scoped
        ids = programme_ids_of(user)
        if ids is None:
            return self
        return self.in_programmes(ids)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must point into the requesting user's scope: another programme's object
    is "does not exist" (400 on the field), exactly like an unknown id."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if not hasattr(queryset, "restrict"):
            return queryset  # a shared catalogue row (kit types)
        request = self.context.get("request")
        if request is None:
            return queryset.none()  # no user to scope by: nothing is in scope (fail closed)
        return queryset.restrict(request.user)


class ScopedViewSetMixin:
    """A viewset whose queryset (lists, details, actions) is restricted to the requesting user:
    put it first among the bases; a viewset that overrides `get_queryset` restricts there."""

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user)


class ScopedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated relation fields are scoped to the requesting user."""

    serializer_related_field = ScopedPrimaryKeyRelatedField


def programme_for_new_row(serializer, attrs, *, derived=None):
    """The programme a row written through `serializer` belongs to: on update its own (a row
    never moves to another programme); on create the one its parent implies (`derived`, e.g. a
    school's depot's), else the one named in the body, else the user's only programme. A body
    that names a programme its parent contradicts is a 400, as is a choice left open. Puts it in
    `attrs` on create and takes it out on update (a row never moves)."""
    programme = _programme_for(serializer, attrs, derived)
    if serializer.instance is None:
        attrs["programme"] = programme
    else:
        attrs.pop("programme", None)  # unchanged: an update never writes it
    return programme


def _programme_for(serializer, attrs, derived):
    named = attrs.get("programme")
    current = getattr(serializer.instance, "programme", None)
    expected = current or derived
    if expected is not None:
        for other, field in ((named, "programme"), (derived, "programme")):
            if other is not None and other.pk != expected.pk:
                raise serializers.ValidationError(
                    {
                        field: [
                            _("Hoort bij een ander programma dan %(name)s.")
                            % {"name": expected.name}
                        ]
                    }
                )
        return expected
    if named is not None:
        return named
    request = serializer.context.get("request")
    only = only_programme_of(request.user) if request is not None else None
    if only is None:
        raise serializers.ValidationError({"programme": [_("Kies een programma.")]})
    return only


def only_programme_of(user):
    """The one programme a coordinator or crew member works for, or None (none or several):
    the default for a new row whose programme the request did not name."""
    from programmes.models import Programme

    programmes = list(Programme.objects.restrict(user)[:2])
    return programmes[0] if len(programmes) == 1 else None
