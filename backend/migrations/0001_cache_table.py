"""The database cache's table (settings.CACHES), so `migrate` is the only set-up step.

`createcachetable` skips a table that already exists and caches that are not database caches,
so this is safe on databases that ran it by hand and when run again."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
