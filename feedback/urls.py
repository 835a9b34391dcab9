from rest_framework.routers import DefaultRouter

from feedback.api import FeedbackViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("feedback", FeedbackViewSet, basename="feedback")

urlpatterns = router.urls
