from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "mispers.reviews"
    label = "reviews"
