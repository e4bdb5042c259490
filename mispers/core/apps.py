from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mispers.core"
    label = "core"

    def ready(self) -> None:
        from .history import history_descriptors_cached

        history_descriptors_cached()
