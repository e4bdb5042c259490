"""/api/…: version 1 of the REST API and its OpenAPI schema (GET /api/schema/).

No Swagger or ReDoc page is served: both load their scripts from a CDN, which the house rules
forbid. Read the schema with any OpenAPI tool, or see docs/api.md.
"""

from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView

from . import views
from .views.allocation import EpisodeAllocate
from .views.consistency import GradeOutcomes, GradingConsistency
from .views.insights import InsightFigures
from .views.intelligence_write import (
    ChildIntelligenceLinksReadWrite,
    IntelligenceEntities,
    IntelligenceEntityMerge,
    SuggestionConfirm,
    SuggestionDismiss,
)
from .views.network import IntelligenceNetwork
from .views.places import PlaceDetail, PlaceList
from .views.quality import InsightQuality
from .views.searches import EpisodeSearches, EpisodeWhereToLook

app_name = "api"

v1 = [
    path("children/", views.ChildList.as_view(), name="children"),
    path("children/candidates", views.ChildCandidates.as_view(), name="child-candidates"),
    path("children/<uuid:pk>/", views.ChildDetail.as_view(), name="child"),
    path("insights/figures", InsightFigures.as_view(), name="insight-figures"),
    path("insights/consistency", GradingConsistency.as_view(), name="insight-consistency"),
    path("insights/outcomes", GradeOutcomes.as_view(), name="insight-outcomes"),
    path("places/", PlaceList.as_view(), name="places"),
    path("places/<uuid:pk>/", PlaceDetail.as_view(), name="place"),
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
    # Clocks, reviews, ownership, actions and the enquiry log
    path("episodes/<uuid:pk>/clock/", views.EpisodeClock.as_view(), name="episode-clock"),
    path("episodes/<uuid:pk>/reviews/", views.EpisodeReviews.as_view(), name="episode-reviews"),
    path("episodes/<uuid:pk>/handovers/", views.EpisodeHandovers.as_view(),
         name="episode-handovers"),
    path("episodes/<uuid:pk>/allocate", EpisodeAllocate.as_view(), name="episode-allocate"),
    path("handovers/<uuid:pk>/accept", views.HandoverAccept.as_view(), name="handover-accept"),
    path("handovers/<uuid:pk>/decline", views.HandoverDecline.as_view(),
         name="handover-decline"),
    path("episodes/<uuid:pk>/actions/", views.EpisodeActions.as_view(), name="episode-actions"),
    path("actions/<uuid:pk>/assign", views.ActionAssign.as_view(), name="action-assign"),
    path("actions/<uuid:pk>/complete", views.ActionComplete.as_view(), name="action-complete"),
    path("actions/<uuid:pk>/cancel", views.ActionCancel.as_view(), name="action-cancel"),
    path("episodes/<uuid:pk>/enquiries/", views.EpisodeEnquiries.as_view(),
         name="episode-enquiries"),
    # Issue 14: where to look, and the searches made (police only)
    path("episodes/<uuid:pk>/where-to-look/", EpisodeWhereToLook.as_view(),
         name="episode-where-to-look"),
    path("episodes/<uuid:pk>/searches/", EpisodeSearches.as_view(), name="episode-searches"),
    # The return, closing and withdrawing
    path("episodes/<uuid:pk>/found", views.EpisodeFound.as_view(), name="episode-found"),
    path("episodes/<uuid:pk>/prevention-interview/", views.EpisodePreventionInterview.as_view(),
         name="episode-prevention-interview"),
    path("episodes/<uuid:pk>/prevention-waiver/", views.EpisodePreventionWaiver.as_view(),
         name="episode-prevention-waiver"),
    path("prevention-waivers/<uuid:pk>/approve", views.WaiverApprove.as_view(),
         name="waiver-approve"),
    path("marker-proposals/<uuid:pk>/confirm", views.ProposalConfirm.as_view(),
         name="proposal-confirm"),
    path("marker-proposals/<uuid:pk>/reject", views.ProposalReject.as_view(),
         name="proposal-reject"),
    path("return-home-interviews/<uuid:pk>/", views.ReturnInterviewDetail.as_view(),
         name="return-home-interview"),
    path("return-home-interviews/<uuid:pk>/addenda/", views.ReturnInterviewAddenda.as_view(),
         name="return-home-interview-addenda"),
    path("episodes/<uuid:pk>/close", views.EpisodeClose.as_view(), name="episode-close"),
    path("episodes/<uuid:pk>/withdraw", views.EpisodeWithdraw.as_view(),
         name="episode-withdraw"),
    # Work queues and notifications
    path("queues/mine/", views.MyQueue.as_view(), name="queue-mine"),
    path("queues/supervisor/", views.SupervisorQueue.as_view(), name="queue-supervisor"),
    path("queues/coordinator/", views.CoordinatorQueue.as_view(), name="queue-coordinator"),
    path("notifications/", views.NotificationList.as_view(), name="notifications"),
    path("notifications/<int:pk>/acknowledge", views.NotificationAcknowledge.as_view(),
         name="notification-acknowledge"),
    # Repeat missing: the pattern, repeat children, strategy meetings and trigger plans
    path("children/<uuid:pk>/pattern", views.ChildPattern.as_view(), name="child-pattern"),
    # Intelligence (issue 14): police only
    path("children/<uuid:pk>/intelligence-links/", ChildIntelligenceLinksReadWrite.as_view(),
         name="child-intelligence-links"),
    path("intelligence/entities/", IntelligenceEntities.as_view(), name="intelligence-entities"),
    path("intelligence/entities/<uuid:pk>/merge/", IntelligenceEntityMerge.as_view(),
         name="intelligence-entity-merge"),
    path("intelligence/suggestions/<uuid:pk>/confirm/", SuggestionConfirm.as_view(),
         name="intelligence-suggestion-confirm"),
    path("intelligence/suggestions/<uuid:pk>/dismiss", SuggestionDismiss.as_view(),
         name="intelligence-suggestion-dismiss"),
    path("intelligence/network/", IntelligenceNetwork.as_view(),
         name="intelligence-network"),  # ADR 50: police and the analyst (pseudonymous)
    path("repeat-children/", views.RepeatChildren.as_view(), name="repeat-children"),
    path("children/<uuid:pk>/strategy-meetings/", views.ChildStrategyMeetings.as_view(),
         name="child-strategy-meetings"),
    path("strategy-meetings/<uuid:pk>/", views.StrategyMeetingDetail.as_view(),
         name="strategy-meeting"),
    path("strategy-meeting-actions/<uuid:pk>/complete",
         views.StrategyMeetingActionComplete.as_view(), name="strategy-meeting-action-complete"),
    path("children/<uuid:pk>/trigger-plan", views.ChildTriggerPlan.as_view(),
         name="child-trigger-plan"),
    path("trigger-plans/<uuid:pk>/review", views.TriggerPlanReview.as_view(),
         name="trigger-plan-review"),
    # Duplicate records: the review queue, merges and undoing them
    path("duplicate-suggestions/", views.DuplicateSuggestionList.as_view(),
         name="duplicate-suggestions"),
    path("duplicate-suggestions/<int:pk>/reject", views.DuplicateSuggestionReject.as_view(),
         name="duplicate-suggestion-reject"),
    path("children/merges/", views.ChildMergeList.as_view(), name="child-merges"),
    path("children/merges/<int:pk>/undo", views.ChildMergeUndo.as_view(),
         name="child-merge-undo"),
]

# Analysis: pseudonymised episode rows, coded fields only (mispers/api/views/analysis.py,
# ADR 0018).
v1 += [
    path("analysis/episodes/", views.AnalysisEpisodeList.as_view(), name="analysis-episodes"),
]

# Data quality (issue 12, ADR 39): each rule's score, by team and by month; counts only
# (mispers/api/views/quality.py).
v1 += [
    path("insights/quality", InsightQuality.as_view(), name="insight-quality"),
]

# The partner API: a partner organisation's children, episode statuses, return-home interviews
# and alerts (mispers/api/views/partner.py; docs/partner-api.md).
v1 += [
    path("partner/children/", views.PartnerChildList.as_view(), name="partner-children"),
    path("partner/children/<uuid:pk>/episodes/", views.PartnerChildEpisodes.as_view(),
         name="partner-child-episodes"),
    path("partner/episodes/<uuid:pk>/", views.PartnerEpisodeDetail.as_view(),
         name="partner-episode"),
    path("partner/return-interviews/<uuid:pk>/", views.PartnerReturnInterview.as_view(),
         name="partner-return-interview"),
    path("partner/return-interviews/<uuid:pk>/addenda/",
         views.PartnerReturnInterviewAddenda.as_view(), name="partner-return-interview-addenda"),
    path("partner/alerts/", views.PartnerAlertList.as_view(), name="partner-alerts"),
    path("partner/alerts/<int:pk>/acknowledge", views.PartnerAlertAcknowledge.as_view(),
         name="partner-alert-acknowledge"),
]

# Managing partner organisations and their users: force administrators only
# (mispers/api/views/partner_admin.py; docs/partner-api.md, ADR 0013).
v1 += [
    path("partner-organisations/", views.PartnerOrganisationList.as_view(),
         name="partner-organisations"),
    path("partner-organisations/<uuid:pk>/", views.PartnerOrganisationDetail.as_view(),
         name="partner-organisation"),
    path("partner-organisations/<uuid:pk>/users/", views.PartnerOrganisationUsers.as_view(),
         name="partner-organisation-users"),
    # Links need consent (ADR 0014).
    path("partner-organisation-links/", views.PartnerOrganisationLinkList.as_view(),
         name="partner-organisation-links"),
    path("partner-organisation-links/<uuid:pk>/accept", views.PartnerOrganisationLinkAccept
         .as_view(), name="partner-organisation-link-accept"),
    path("partner-organisation-links/<uuid:pk>/decline", views.PartnerOrganisationLinkDecline
         .as_view(), name="partner-organisation-link-decline"),
    path("partner-organisation-links/<uuid:pk>/end", views.PartnerOrganisationLinkEnd.as_view(),
         name="partner-organisation-link-end"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Any other /api/ address, for every method: the API's JSON 404. CSRF-exempt (it changes
    # nothing), or a POST without a token would get Django's HTML CSRF page instead (ADR 0021).
    re_path(r"^", csrf_exempt(views.not_found)),
]
