"""`manage.py load_demo`: demo users and data of every app. Idempotent: run it as often as you like."""

import importlib

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from backend.core.roles import ROLES

DEMO_PASSWORD = "techniek-demo"
# In dependency order; each app's demo module has `load() -> dict` of counts.
DEMO_MODULES = [
    "programmes.demo",
    "inventory.demo",
    "bookings.demo",
    "routes.demo",
    "partners.demo",
    "feedback.demo",
]
# Users of the second demo programme (Deventer-Twello); `beheer` is the superuser for the admin.
EXTRA_USERS = {"coordinator2": "coordinator", "crew2": "crew"}


def ensure_demo_users() -> dict[str, User]:
    users = {}
    accounts = {role: role for role in ROLES} | EXTRA_USERS | {"beheer": None}
    for username, role in accounts.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": username.capitalize(), "email": f"{username}@demo.nl"},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        # Coordinators work in their programmes through the pages and the API; the admin (all
        # programmes, memberships) is for the superuser.
        user.is_staff = user.is_superuser = role is None
        user.save()
        user.groups.set([Group.objects.get_or_create(name=role)[0]] if role else [])
        users[username] = user
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
            # The reach report's facts of every visit, whichever module wrote it.
            from bookings.reports import facts

            facts.rebuild()
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded. Log in as coordinator, crew, school (Rotterdam-Noord), "
                "coordinator2, crew2 (Deventer-Twello), funder (every programme's reports) or "
                "beheer (admin) with password "
                f"'{DEMO_PASSWORD}'."
            )
        )
