from django.apps import AppConfig


class SearchesConfig(AppConfig):
    name = "mispers.searches"
    label = "searches"
    verbose_name = "Searches: where to look for a missing child, and where was looked"
