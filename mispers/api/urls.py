"""/api/…: version 1 of the REST API and its OpenAPI schema (GET /api/schema/).

No Swagger or ReDoc page is served: both load their scripts from a CDN, which the house rules
forbid. Read the schema with any OpenAPI tool, or see docs/api.md.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

v1 = [
    path("children/", views.ChildList.as_view(), name="children"),
    path("children/<uuid:pk>/", views.ChildDetail.as_view(), name="child"),
    path("episodes/", views.EpisodeList.as_view(), name="episodes"),
    path("episodes/<uuid:pk>/", views.EpisodeDetail.as_view(), name="episode"),
    path("episodes/<uuid:pk>/assessments/", views.EpisodeAssessments.as_view(),
         name="episode-assessments"),
    path("assessments/<uuid:pk>/", views.AssessmentDetail.as_view(), name="assessment"),
    path("assessments/<uuid:pk>/ratify", views.AssessmentRatify.as_view(),
         name="assessment-ratify"),
    path("assessments/<uuid:pk>/decline", views.AssessmentDecline.as_view(),
         name="assessment-decline"),
    path("risk/recommend", views.RiskRecommend.as_view(), name="risk-recommend"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^", views.not_found),
]
