from django.core.management.base import BaseCommand

from lifecycle.daily import daily_run


class Command(BaseCommand):
    help = "Queue today's reminders, thank-yous and the coordinators' digest (safe to run twice)."

    def handle(self, *args, **options):
        counts = daily_run()
        self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in counts.items()))
