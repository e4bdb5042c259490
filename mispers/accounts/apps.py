from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mispers.accounts"
    label = "accounts"
