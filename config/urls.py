from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("mispers.accounts.urls")),
    path("", include("mispers.episodes.urls")),
    path("children/", include("mispers.people.urls")),
    path("places/", include("mispers.places.urls")),
    path("intelligence/", include("mispers.intelligence.urls")),  # issue 14
    path("", include("mispers.searches.urls")),  # issue 14: where to look
    path("insights/", include("mispers.insights.urls")),
    path("", include("mispers.risk.urls")),
    path("", include("mispers.reviews.urls")),
    path("", include("mispers.returns.urls")),
    path("", include("mispers.repeats.urls")),
    path("partners/", include("mispers.partners.urls")),
    path("matching/", include("mispers.matching.urls")),
    path("analysis/", include("mispers.analysis.urls")),
    path("national/", include("mispers.national.urls")),  # the national hub (issue 13)
    path("audit/", include("mispers.accounts.audit_urls")),  # the access log (ADR 0019)
    path("api/", include("mispers.api.urls")),
    path("account/api-tokens/", include("mispers.api.page_urls")),
]
