from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mispers.core"
    label = "core"
