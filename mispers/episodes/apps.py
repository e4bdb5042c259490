from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "mispers.episodes"
    label = "episodes"
