from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/edit/", views.edit, name="edit"),
    path("<uuid:pk>/conflicts/<str:field>/", views.resolve_conflict, name="resolve_conflict"),
    path("<uuid:pk>/markers/", views.add_marker, name="add_marker"),
    path("<uuid:pk>/markers/<uuid:marker_pk>/review/", views.review_marker,
         name="review_marker"),
]
