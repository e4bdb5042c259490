from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "mispers.exchange"
    label = "exchange"
    verbose_name = "National exchange format"
