from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "mispers.national"
    label = "national"
    verbose_name = "National hub"
