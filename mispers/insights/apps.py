from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "mispers.insights"
    label = "insights"
    verbose_name = "Insights"
