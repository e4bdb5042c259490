from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mispers.api"
    label = "api"

    def ready(self):
        # Every date and time the API takes in lies in 1900-2199 (mispers/api/parsers.py).
        from rest_framework import serializers

        from .parsers import datetime_in_range

        serializers.DateTimeField.default_validators = [datetime_in_range]
