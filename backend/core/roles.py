"""Roles are Django groups; a school user is linked to one school (bookings.SchoolMembership);
coordinators and crew are members of one or more programmes (programmes.Programme.members).

What the functions below need of a user — the group names, the school membership with that
school's programme, the programme memberships — is read in one query, the first time any of them
asks, and kept on the user object for the rest of the request. Nothing is kept between requests:
a changed role or membership applies on the next one."""

from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connections

COORDINATOR = "coordinator"
CREW = "crew"
SCHOOL = "school"
FUNDER = "funder"
ROLES = (COORDINATOR, CREW, SCHOOL, FUNDER)

# The first column of the access query: which of its three SELECTs a row comes from.
_GROUP, _SCHOOL, _PROGRAMME = 1, 2, 3


@cache
def _access_sql(vendor: str) -> str:
    """One UNION ALL of three small SELECTs, each keyed by the user id, of (kind, group name,
    school id, programme id) rows: the user's groups, school membership (with the school's
    programme) and programme memberships. Table and column names come from the models."""
    connection = next(c for c in connections.all() if c.vendor == vendor)
    qn = connection.ops.quote_name
    groups = get_user_model()._meta.get_field("groups")
    group_model, groups_through = groups.related_model, groups.remote_field.through
    membership = apps.get_model("bookings", "SchoolMembership")
    school = membership._meta.get_field("school").related_model
    members = apps.get_model("programmes", "Programme")._meta.get_field("members")
    members_through = members.remote_field.through

    def column(model, name):
        return qn(model._meta.get_field(name).column)

    return (
        f"SELECT {_GROUP}, g.{column(group_model, 'name')}, "
        "CAST(NULL AS INTEGER), CAST(NULL AS INTEGER) "
        f"FROM {qn(group_model._meta.db_table)} g "
        f"INNER JOIN {qn(groups_through._meta.db_table)} ug "
        f"ON ug.{qn(groups.m2m_reverse_name())} = g.{qn(group_model._meta.pk.column)} "
        f"WHERE ug.{qn(groups.m2m_column_name())} = %s "
        "UNION ALL "
        f"SELECT {_SCHOOL}, NULL, m.{column(membership, 'school')}, "
        f"s.{column(school, 'programme')} "
        f"FROM {qn(membership._meta.db_table)} m "
        f"INNER JOIN {qn(school._meta.db_table)} s "
        f"ON s.{qn(school._meta.pk.column)} = m.{column(membership, 'school')} "
        f"WHERE m.{column(membership, 'user')} = %s "
        "UNION ALL "
        f"SELECT {_PROGRAMME}, NULL, NULL, pm.{qn(members.m2m_column_name())} "
        f"FROM {qn(members_through._meta.db_table)} pm "
        f"WHERE pm.{qn(members.m2m_reverse_name())} = %s"
    )


def _load_access(user) -> None:
    """Read the user's groups and memberships (one query) and cache what role_of, school_id_of
    and programme_ids_of answer on the user object (`_tw_role`, `_tw_school_id`,
    `_tw_programme_ids`). The rules themselves stay in those functions."""
    connection = connections[user._state.db or "default"]
    with connection.cursor() as cursor:
        cursor.execute(_access_sql(connection.vendor), [user.pk] * 3)
        rows = cursor.fetchall()
    names = {name for kind, name, _, _ in rows if kind == _GROUP}
    school_rows = [
        (school_id, programme_id) for kind, _, school_id, programme_id in rows if kind == _SCHOOL
    ]
    user._tw_role = role_from_groups(names, is_superuser=user.is_superuser)
    user._tw_school_id = school_rows[0][0] if school_rows else None
    if user._tw_role == SCHOOL:
        user._tw_programme_ids = frozenset({school_rows[0][1]}) if school_rows else frozenset()
    else:
        user._tw_programme_ids = frozenset(
            programme_id for kind, _, _, programme_id in rows if kind == _PROGRAMME
        )


def role_from_groups(names, *, is_superuser: bool = False) -> str | None:
    """The one precedence rule: superusers are coordinators, otherwise the first of ROLES among
    the group `names`, else None."""
    if is_superuser:
        return COORDINATOR
    return next((candidate for candidate in ROLES if candidate in names), None)


def role_of(user) -> str | None:
    """The user's role, cached on the user object for the request: superusers are coordinators,
    otherwise the first of ROLES among the user's groups."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    cached = getattr(user, "_tw_role", "unset")
    if cached != "unset":
        return cached
    if user.is_superuser:
        user._tw_role = COORDINATOR
        return COORDINATOR
    _load_access(user)
    return user._tw_role


def school_id_of(user) -> int | None:
    """The id of the school a school user belongs to (None for other roles, and for a school user
    without a membership)."""
    if role_of(user) != SCHOOL:
        return None
    return user._tw_school_id


def programme_ids_of(user) -> frozenset[int] | None:
    """The programmes whose rows `user` sees: None means every programme (superusers and the
    funder), an empty set none. A school user's is its school's programme; a coordinator's or
    crew member's those it is a member of. Cached per request."""
    role = role_of(user)
    if role is None:
        return frozenset()
    if user.is_superuser or role == FUNDER:
        return None
    return user._tw_programme_ids
