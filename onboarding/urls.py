from django.urls import path
from rest_framework.routers import DefaultRouter

from onboarding import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("access-requests", api.AccessRequestViewSet, basename="access-request")

urlpatterns = [
    path("schools/<int:pk>/invite/", api.SchoolInviteView.as_view(), name="school-invite"),
    *router.urls,
]
