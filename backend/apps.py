from django.apps import AppConfig


class BackendConfig(AppConfig):
    name = "backend"
    verbose_name = "Techniekwagen"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from backend.core import schema  # noqa: F401  registers the OpenAPI extensions
        from backend.core.history import clip_change_reason
        from backend.core.tokens import connect_signals

        connect_signals()
        pre_create_historical_record.connect(
            clip_change_reason, dispatch_uid="backend.clip_change_reason"
        )
