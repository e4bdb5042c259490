from django.urls import path

from . import views

app_name = "national"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("files/<int:pk>/", views.force_file, name="file"),
    path("tables/", views.tables, name="tables"),
    path("link/", views.link, name="link"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.pair, name="pair"),
]
