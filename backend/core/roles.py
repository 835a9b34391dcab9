"""Roles are Django groups; a school user is linked to one school (bookings.SchoolMembership);
coordinators and crew are members of one or more programmes (programmes.Programme.members)."""

from django.contrib.auth.models import AnonymousUser

COORDINATOR = "coordinator"
CREW = "crew"
SCHOOL = "school"
FUNDER = "funder"
ROLES = (COORDINATOR, CREW, SCHOOL, FUNDER)


def role_of(user) -> str | None:
    """The user's role, cached on the user object for the request."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    cached = getattr(user, "_tw_role", "unset")
    if cached != "unset":
        return cached
    role = None
    if user.is_superuser:
        role = COORDINATOR
    else:
        names = set(user.groups.values_list("name", flat=True))
        for candidate in ROLES:
            if candidate in names:
                role = candidate
                break
    user._tw_role = role
    return role


def school_id_of(user) -> int | None:
    """The id of the school a school user belongs to (None for other roles)."""
    if role_of(user) != SCHOOL:
        return None
    cached = getattr(user, "_tw_school_id", "unset")
    if cached != "unset":
        return cached
    membership = getattr(user, "school_membership", None)
    try:
        school_id = membership.school_id if membership is not None else None
    except Exception:  # RelatedObjectDoesNotExist
        school_id = None
    user._tw_school_id = school_id
    return school_id


def programme_ids_of(user) -> frozenset[int] | None:
    """The programmes whose rows `user` sees: None means every programme (superusers and the
    funder), an empty set none. A school user's is its school's programme. Cached per request."""
    role = role_of(user)
    if role is None:
        return frozenset()
    if user.is_superuser or role == FUNDER:
        return None
    cached = getattr(user, "_tw_programme_ids", "unset")
    if cached != "unset":
        return cached
    if role == SCHOOL:
        school_id = school_id_of(user)
        if school_id is None:
            ids = frozenset()
        else:
            programme_id = user.school_membership.school.programme_id
            ids = frozenset({programme_id})
    else:
        ids = frozenset(user.programmes.values_list("id", flat=True))
    user._tw_programme_ids = ids
    return ids
