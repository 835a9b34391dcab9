# Issue 15: the reach and impact reports read visits and their sessions from covering indexes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0014_wagon_day_slots"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="booking",
            index=models.Index(fields=["status", "date", "school", "wagon"], name="booking_reach"),
        ),
        migrations.AddIndex(
            model_name="bookingsession",
            index=models.Index(
                fields=["booking", "school_type", "workshop", "pupils", "girls", "boys", "teachers"],
                name="session_reach",
            ),
        ),
    ]
