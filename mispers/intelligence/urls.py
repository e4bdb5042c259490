from django.urls import path

from . import network_views, views

app_name = "intelligence"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("entities/<uuid:pk>/", views.detail, name="detail"),
    path("entities/<uuid:pk>/merge/", views.merge, name="merge"),
    path("merges/<uuid:pk>/undo/", views.unmerge, name="unmerge"),
    path("children/<uuid:pk>/link/", views.child_link, name="child_link"),
    path("children/<uuid:pk>/read/", views.child_read, name="child_read"),
    path("network/", network_views.network, name="network"),
    path("network/export.csv", network_views.network_csv, name="network_csv"),
    path("network/export.graphml", network_views.network_graphml, name="network_graphml"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/<uuid:pk>/", views.suggestion, name="suggestion"),
    path("suggestions/<uuid:pk>/dismiss/", views.suggestion_dismiss_view,
         name="suggestion_dismiss"),
]
