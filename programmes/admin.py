from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programmes.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    """Superusers manage programmes and who works for them (coordinators and crew)."""

    list_display = ("name", "project_code", "lead_time_days", "liberation_day")
    search_fields = ("name", "project_code")
    filter_horizontal = ("members",)
