"""Rows from before programmes: schools, workshops and blackouts into one programme (a school
with a depot into its depot's programme)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

from programmes.migration_helpers import default_programme


def forwards(apps, schema_editor):
    School = apps.get_model("bookings", "School")
    Workshop = apps.get_model("bookings", "Workshop")
    Blackout = apps.get_model("bookings", "Blackout")
    Depot = apps.get_model("inventory", "Depot")
    if not (School.objects.exists() or Workshop.objects.exists() or Blackout.objects.exists()):
        return
    programme = default_programme(apps)
    depot_programme = Depot.objects.filter(pk=OuterRef("depot_id")).values("programme_id")[:1]
    School.objects.filter(programme__isnull=True, depot__isnull=False).update(
        programme_id=Subquery(depot_programme)
    )
    School.objects.filter(programme__isnull=True).update(programme=programme)
    Workshop.objects.filter(programme__isnull=True).update(programme=programme)
    Blackout.objects.filter(programme__isnull=True).update(programme=programme)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0009_programme_fields"),
        ("inventory", "0005_assign_programme"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
