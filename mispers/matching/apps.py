from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mispers.matching"
    label = "matching"
