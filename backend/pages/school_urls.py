"""School portal, mounted at /school/."""

from django.urls import include, path

from backend.pages import attendance, closed_days, feedback, onboarding, school, waiting

app_name = "school"

urlpatterns = [
    path("", school.home, name="home"),
    path("calendar/", school.calendar_view, name="calendar"),
    path("book/", school.book, name="book"),
    path("bookings/", school.bookings, name="bookings"),
    path("bookings/<int:booking_id>/cancel/", school.cancel, name="cancel"),
    path("bookings/<int:booking_id>/attendance/", attendance.school_attendance, name="attendance"),
    path("bookings/<int:booking_id>/calendar.ics", school.booking_calendar, name="ics"),
    path("waiting-list/", waiting.school_list, name="waiting_list"),
    path("closed-days/", closed_days.closed_days, name="closed_days"),
    path("closed-days/<int:blackout_id>/remove/", closed_days.remove, name="closed_day_remove"),
    path("waiting-list/<int:entry_id>/accept/", waiting.accept, name="waiting_accept"),
    path("waiting-list/<int:entry_id>/decline/", waiting.decline, name="waiting_decline"),
    path("", include(feedback.school_patterns)),
    path("", include(onboarding.school_patterns)),
]
