from django.urls import path

from . import views

app_name = "searches"
urlpatterns = [
    path("episodes/<uuid:pk>/where-to-look/", views.where_to_look, name="where_to_look"),
    path("searches/", views.figures, name="figures"),
]
