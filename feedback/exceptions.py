from backend.core.exceptions import DomainError


class FeedbackError(DomainError):
    """A feedback rule refused the change (the link expired, the visit is not completed)."""

    default_code = "feedback_conflict"
