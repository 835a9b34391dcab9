from backend.core.exceptions import DomainError


class RouteError(DomainError):
    """A route or planning rule refused the change."""

    default_code = "route_conflict"
