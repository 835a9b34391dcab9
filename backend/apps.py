from django.apps import AppConfig


class BackendConfig(AppConfig):
    name = "backend"
    verbose_name = "Techniekwagen"

    def ready(self):
        from backend import schema  # noqa: F401  registers the OpenAPI extensions
        from backend.tokens import connect_signals

        connect_signals()
