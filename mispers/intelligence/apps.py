from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "mispers.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence: associates, vehicles, phones, handles and places"
