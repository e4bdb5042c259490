from django.urls import path

from . import quality_views, views

app_name = "insights"
urlpatterns = [
    path("", views.force_picture, name="force_picture"),
    path("quality/", quality_views.data_quality, name="quality"),
]
