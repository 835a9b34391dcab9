"""Rows from before programmes: every depot and the standard load into one programme, every
consumable's stock into the first depot (consumables were global)."""

from django.db import migrations

from programmes.migration_helpers import default_programme


def forwards(apps, schema_editor):
    Depot = apps.get_model("inventory", "Depot")
    Consumable = apps.get_model("inventory", "Consumable")
    StandardEquipment = apps.get_model("inventory", "StandardEquipment")
    if not (
        Depot.objects.exists() or Consumable.objects.exists() or StandardEquipment.objects.exists()
    ):
        return
    programme = default_programme(apps)
    Depot.objects.filter(programme__isnull=True).update(programme=programme)
    StandardEquipment.objects.filter(programme__isnull=True).update(programme=programme)
    if Consumable.objects.filter(depot__isnull=True).exists():
        depot = Depot.objects.order_by("id").first()
        if depot is None:
            depot = Depot.objects.create(name="Depot", programme=programme)
        Consumable.objects.filter(depot__isnull=True).update(depot=depot)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0004_programme_fields"),
        ("programmes", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
