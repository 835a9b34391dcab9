from backend.core.exceptions import DomainError


class OnboardingError(DomainError):
    """An invitation, access request or import rule refused the change."""

    default_code = "onboarding_conflict"
