# Issue 15: the reach report reads one narrow fact table (bookings.reports.facts), built here
# from the existing bookings and sessions.

import django.db.models.deletion
from django.db import migrations, models


def build_facts(apps, schema_editor):
    # The facts are defined once, in bookings.reports.facts (plain SQL over the tables).
    from bookings.reports import facts

    facts.rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0015_reach_indexes'),
        ('inventory', '0006_programme_required'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReachFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=11)),
                ('key', models.CharField(blank=True, max_length=10)),
                ('date', models.DateField()),
                ('status', models.CharField(max_length=10)),
                ('sessions', models.PositiveIntegerField()),
                ('pupils', models.PositiveIntegerField()),
                ('booking', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='bookings.booking')),
                ('school', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bookings.school')),
                ('wagon', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inventory.wagon')),
                ('workshop', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bookings.workshop')),
            ],
            options={
                'indexes': [models.Index(fields=['kind', 'status', 'date', 'school', 'wagon', 'key', 'workshop', 'sessions', 'pupils'], name='reach_fact_pass')],
            },
        ),
        migrations.RunPython(build_facts, migrations.RunPython.noop),
    ]
