from backend.core.exceptions import DomainError


class PartnerError(DomainError):
    """A partner or participation rule refused the change."""

    default_code = "partner_conflict"
