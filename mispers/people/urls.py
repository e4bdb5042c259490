from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/markers/", views.add_marker, name="add_marker"),
]
