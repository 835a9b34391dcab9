from backend.core.exceptions import DomainError


class InventoryError(DomainError):
    """A kit or stock rule refused the change."""

    default_code = "inventory_conflict"
