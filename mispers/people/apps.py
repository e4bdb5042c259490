from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mispers.people"
    label = "people"
