"""`GET /api/v1/feedback/`: teachers' responses of the coordinator's programmes (filters
`?workshop=&date_from=&date_to=`). Responses are given through the signed link's page, never
through the API; schools, crew and the funder have no access (the funder sees averages in the
impact report, not what a teacher wrote)."""

from rest_framework import viewsets

from backend.core.permissions import COORDINATOR_ONLY, RoleAccess
from feedback.filters import FeedbackFilter
from feedback.models import FeedbackResponse
from feedback.serializers import FeedbackResponseSerializer


class FeedbackViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FeedbackResponseSerializer
    filterset_class = FeedbackFilter
    permission_classes = [RoleAccess]
    read_roles = COORDINATOR_ONLY
    write_roles = frozenset()

    def get_queryset(self):
        return (
            FeedbackResponse.objects.restrict(self.request.user)
            .select_related("booking")
            .order_by("-booking__date", "-id")
        )
