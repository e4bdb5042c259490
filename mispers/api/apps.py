from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mispers.api"
    label = "api"
