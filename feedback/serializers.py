from rest_framework import serializers

from feedback.models import FeedbackResponse


class FeedbackResponseSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="booking.reference", read_only=True)
    school = serializers.IntegerField(source="booking.school_id", read_only=True)
    date = serializers.DateField(source="booking.date", read_only=True)

    class Meta:
        model = FeedbackResponse
        fields = [
            "id",
            "booking",
            "reference",
            "school",
            "date",
            "workshop_rating",
            "crew_rating",
            "organisation_rating",
            "enthusiasm",
            "book_again",
            "comments",
            "created",
            "updated",
        ]
        read_only_fields = fields
