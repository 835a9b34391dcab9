from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from backend.core import auth_views as api_auth
from backend.core.schema_view import SchemaView
from backend.health import healthz
from backend.pages import api_docs, views

api_v1 = [
    path("auth/token/", api_auth.TokenView.as_view(), name="api-token"),
    path("auth/logout/", api_auth.LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", api_auth.LogoutAllView.as_view(), name="api-logout-all"),
    path("me/", api_auth.MeView.as_view(), name="api-me"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", api_docs.swagger_ui, name="api-docs"),
    path("redoc/", api_docs.redoc, name="api-redoc"),
    path("", include("programmes.urls")),
    path("", include("inventory.urls")),
    # routes first: its route-aware wagons/{id}/calendar.ics replaces bookings' one
    path("", include("routes.urls")),
    path("", include("onboarding.urls")),
    path("", include("bookings.urls")),
    path("", include("bookings.packing.urls")),
    path("", include("bookings.reports.urls")),
    path("", include("partners.urls")),
    path("", include("feedback.urls")),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("backend.pages.urls")),
]
