from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "mispers.partners"
    label = "partners"
