"""Permission classes implementing API.md's role table; reused by every app's views.

A view declares which roles may do what:

    read_roles = {COORDINATOR, CREW, SCHOOL}     # GET/HEAD/OPTIONS
    write_roles = {COORDINATOR}                  # POST/PUT/PATCH/DELETE
    action_roles = {"report_defect": {CREW, COORDINATOR}}   # per @action, overrides both

Object visibility (a school sees only its own rows) is the view's queryset's job, so a stranger
gets 404, never 403 with data.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from backend.core.parsers import parse_body
from backend.core.roles import COORDINATOR, CREW, SCHOOL, role_of

ALL_ROLES = frozenset({COORDINATOR, CREW, SCHOOL})
STAFF_ROLES = frozenset({COORDINATOR, CREW})
COORDINATOR_ONLY = frozenset({COORDINATOR})


class RoleAccess(BasePermission):
    message = "Your role may not do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        role = role_of(user)
        if role is None or role not in allowed_roles(view, request.method):
            return False
        # Allowed: now the body must parse (size, depth, syntax) before the view runs.
        parse_body(request)
        return True


def allowed_roles(view, method: str) -> frozenset:
    action = getattr(view, "action", None)
    action_roles = getattr(view, "action_roles", {}) or {}
    if action and action in action_roles:
        return frozenset(action_roles[action])
    if method in SAFE_METHODS:
        return frozenset(getattr(view, "read_roles", ()))
    return frozenset(getattr(view, "write_roles", ()))
