"""Coordinator pages, mounted at /planning/."""

from django.urls import include, path

from backend.pages import feedback, impact, onboarding, partners, plan, planning, visit, waiting

app_name = "planning"

urlpatterns = [
    path("", planning.queue, name="queue"),
    path("bookings/<int:booking_id>/confirm/", planning.confirm, name="confirm"),
    path("bookings/<int:booking_id>/decline/", planning.decline, name="decline"),
    path("visits/<int:booking_id>/", visit.visit, name="visit"),
    path("visits/<int:booking_id>/check/", visit.visit_check, name="visit-check"),
    path("visits/<int:booking_id>/move/", visit.visit_move, name="visit-move"),
    path("visits/<int:booking_id>/cancel/", visit.visit_cancel, name="visit-cancel"),
    path("visits/<int:booking_id>/pin/", visit.visit_pin, name="visit-pin"),
    path("board/", planning.board, name="board"),
    path("plan/", plan.plan, name="plan"),
    path("plan/propose/", plan.plan_propose, name="plan-propose"),
    path("plan/save/", plan.plan_save, name="plan-save"),
    path("inventory/", planning.inventory, name="inventory"),
    path("reach/", planning.reach, name="reach"),
    path("reports/impact/", impact.impact, name="impact"),
    path("waiting-list/", waiting.planning_list, name="waiting_list"),
    path("", include(partners.planning_patterns)),
    path("feedback/", feedback.overview, name="feedback"),
    path("", include(onboarding.planning_patterns)),
]
