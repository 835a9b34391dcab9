"""Coordinator pages, mounted at /planning/."""

from django.urls import path

from backend.pages import planning, waiting

app_name = "planning"

urlpatterns = [
    path("", planning.queue, name="queue"),
    path("bookings/<int:booking_id>/confirm/", planning.confirm, name="confirm"),
    path("bookings/<int:booking_id>/decline/", planning.decline, name="decline"),
    path("board/", planning.board, name="board"),
    path("inventory/", planning.inventory, name="inventory"),
    path("reach/", planning.reach, name="reach"),
    path("waiting-list/", waiting.planning_list, name="waiting_list"),
]
