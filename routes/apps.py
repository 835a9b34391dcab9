from django.apps import AppConfig


class RoutesConfig(AppConfig):
    name = "routes"
    verbose_name = "Ritten en tours"
