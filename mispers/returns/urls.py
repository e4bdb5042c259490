from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("returns/", views.coordinator, name="coordinator"),
    path("episodes/<uuid:pk>/found/", views.found, name="found"),
    path("episodes/<uuid:pk>/prevention-interview/", views.prevention_interview,
         name="prevention_interview"),
    path("episodes/<uuid:pk>/prevention-interview/not-possible/", views.waiver_request,
         name="waiver_request"),
    path("episodes/<uuid:pk>/close/", views.close, name="close"),
    path("episodes/<uuid:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("prevention-waivers/<uuid:pk>/", views.waiver_approve, name="waiver_approve"),
    path("marker-proposals/<uuid:pk>/", views.proposal_decide, name="proposal"),
    path("return-home-interviews/<uuid:pk>/", views.return_interview, name="rhi"),
]
