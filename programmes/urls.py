from rest_framework.routers import DefaultRouter

from programmes.api import ProgrammeViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("programmes", ProgrammeViewSet, basename="programme")

urlpatterns = router.urls
