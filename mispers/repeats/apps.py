from django.apps import AppConfig


class RepeatsConfig(AppConfig):
    name = "mispers.repeats"
    label = "repeats"
