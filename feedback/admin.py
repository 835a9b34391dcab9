from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from feedback.models import FeedbackResponse


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(SimpleHistoryAdmin):
    """Read-only: a response is the teacher's own words, given through the signed link."""

    list_display = (
        "booking",
        "workshop_rating",
        "crew_rating",
        "organisation_rating",
        "enthusiasm",
        "book_again",
        "updated",
    )
    list_filter = ("book_again",)
    search_fields = ("booking__reference", "booking__school__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
