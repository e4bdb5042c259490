from django.urls import path

from . import consistency_views, miscategorised_views, outcomes_views, quality_views, views

app_name = "insights"
urlpatterns = [
    path("", views.force_picture, name="force_picture"),
    path("consistency/", consistency_views.grading_consistency, name="consistency"),
    path("consistency/<str:unit>/<str:unit_id>/", consistency_views.assessments_behind,
         name="consistency_assessments"),
    path("outcomes/", outcomes_views.outcomes, name="outcomes"),
    path("deep-dive.pdf", outcomes_views.deep_dive, name="deep_dive"),
    path("miscategorised/", miscategorised_views.miscategorised, name="miscategorised"),
    path("miscategorised/<uuid:pk>/", miscategorised_views.record_finding,
         name="record_finding"),
    path("quality/", quality_views.data_quality, name="quality"),
]
