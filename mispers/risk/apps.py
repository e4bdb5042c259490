from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "mispers.risk"
    label = "risk"
