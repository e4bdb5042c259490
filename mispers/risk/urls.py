from django.urls import path

from . import views

app_name = "risk"
urlpatterns = [
    path("episodes/<uuid:pk>/assess/", views.assess, name="assess"),
    path("episodes/<uuid:pk>/assess/preview/", views.assess_preview, name="assess_preview"),
    path("ratifications/", views.ratifications, name="ratifications"),
    path("assessments/<uuid:pk>/", views.assessment_detail, name="assessment"),
]
