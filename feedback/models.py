"""Teacher feedback on a completed visit (issue 18): one response per visit, given through a
signed link without a login, editable until the link expires. Depends on `bookings`."""

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from backend.core.limits import TEXT_MAX_LENGTH
from backend.core.scoping import ScopedQuerySet
from bookings.models import Booking

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class FeedbackResponse(models.Model):
    """The school contact's answer: workshop, crew and organisation rated 1–5, whether pupils are
    more enthusiastic about technology (1–5), would book again, and free text."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback")
    workshop_rating = models.PositiveSmallIntegerField(validators=RATING)
    crew_rating = models.PositiveSmallIntegerField(validators=RATING)
    organisation_rating = models.PositiveSmallIntegerField(validators=RATING)
    enthusiasm = models.PositiveSmallIntegerField(validators=RATING)
    book_again = models.BooleanField()
    comments = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated"])

    objects = ScopedQuerySet.scoped_as("booking__school__programme", school_path="booking__school")

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workshop_rating__gte=1, workshop_rating__lte=5)
                & models.Q(crew_rating__gte=1, crew_rating__lte=5)
                & models.Q(organisation_rating__gte=1, organisation_rating__lte=5)
                & models.Q(enthusiasm__gte=1, enthusiasm__lte=5),
                name="feedback_ratings_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.booking_id}"
