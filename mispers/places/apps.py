from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "mispers.places"
    label = "places"
    verbose_name = "Places"
