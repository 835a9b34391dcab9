"""`manage.py load_demo`: demo users and data of every app. Idempotent: run it as often as you like."""

import importlib

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from backend.core.roles import ROLES

DEMO_PASSWORD = "techniek-demo"
# In dependency order; each app's demo module has `load() -> dict` of counts.
DEMO_MODULES = ["inventory.demo", "bookings.demo", "routes.demo"]


def ensure_demo_users() -> dict[str, User]:
    users = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        user, created = User.objects.get_or_create(
            username=role, defaults={"first_name": role.capitalize(), "email": f"{role}@demo.nl"}
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.is_staff = role == "coordinator"
        user.is_superuser = role == "coordinator"
        user.save()
        user.groups.set([group])
        users[role] = user
    return users


class Command(BaseCommand):
    help = "Load the demo data (wagons, kit, schools, workshops, bookings, routes) and demo users."

    def handle(self, *args, **options):
        with transaction.atomic():
            ensure_demo_users()
            counts = {}
            for module_name in DEMO_MODULES:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                counts.update(module.load())
            # Later modules add bookings (the planner's requests): report the final total.
            from bookings.models import Booking

            counts["bookings"] = Booking.objects.count()
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded. Log in as coordinator, crew or school with password "
                f"'{DEMO_PASSWORD}'."
            )
        )
