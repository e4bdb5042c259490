from django.urls import path

from . import views

app_name = "episodes"
urlpatterns = [
    path("episodes/", views.open_list, name="open"),
    path("episodes/new/", views.report, name="report"),
    path("episodes/<uuid:pk>/", views.detail, name="detail"),
]
