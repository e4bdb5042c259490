from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("suggest/", views.suggest, name="suggest"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/edit/", views.edit, name="edit"),
    path("<uuid:pk>/merge/", views.merge, name="merge"),
]
