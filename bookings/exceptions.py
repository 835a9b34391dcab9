from backend.core.exceptions import DomainError


class BookingError(DomainError):
    """A school, workshop or booking rule refused the change."""

    default_code = "booking_conflict"
