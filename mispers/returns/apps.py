from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "mispers.returns"
    label = "returns"
