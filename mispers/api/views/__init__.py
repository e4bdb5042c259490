"""API views: thin. Each one checks the request's shape with a serializer, calls one selector or
one service, and serializes what came back."""

from .analysis import AnalysisEpisodeList
from .assessments import (
    AssessmentDecline,
    AssessmentDetail,
    AssessmentRatify,
    EpisodeAssessments,
)
from .base import not_found
from .candidates import ChildCandidates
from .children import ChildDetail, ChildList
from .duplicates import (
    ChildMergeList,
    ChildMergeUndo,
    DuplicateSuggestionList,
    DuplicateSuggestionReject,
)
from .episodes import EpisodeDetail, EpisodeList
from .partner import (
    PartnerAlertAcknowledge,
    PartnerAlertList,
    PartnerChildEpisodes,
    PartnerChildList,
    PartnerEpisodeDetail,
    PartnerReturnInterview,
)
from .partner_admin import (
    PartnerOrganisationDetail,
    PartnerOrganisationLinkAccept,
    PartnerOrganisationLinkDecline,
    PartnerOrganisationLinkEnd,
    PartnerOrganisationLinkList,
    PartnerOrganisationList,
    PartnerOrganisationUsers,
)
from .queues import (
    CoordinatorQueue,
    MyQueue,
    NotificationAcknowledge,
    NotificationList,
    SupervisorQueue,
)
from .repeats import (
    ChildPattern,
    ChildStrategyMeetings,
    ChildTriggerPlan,
    RepeatChildren,
    StrategyMeetingActionComplete,
    StrategyMeetingDetail,
    TriggerPlanReview,
)
from .returns import (
    EpisodeClose,
    EpisodeFound,
    EpisodePreventionInterview,
    EpisodePreventionWaiver,
    EpisodeWithdraw,
    PartnerReturnInterviewAddenda,
    ProposalConfirm,
    ProposalReject,
    ReturnInterviewAddenda,
    ReturnInterviewDetail,
    WaiverApprove,
)
from .reviews import (
    ActionAssign,
    ActionCancel,
    ActionComplete,
    EpisodeActions,
    EpisodeClock,
    EpisodeEnquiries,
    EpisodeHandovers,
    EpisodeReviews,
    HandoverAccept,
    HandoverDecline,
)
from .risk import RiskRecommend

__all__ = [
    "AnalysisEpisodeList",
    "ChildPattern",
    "ChildStrategyMeetings",
    "ChildTriggerPlan",
    "RepeatChildren",
    "StrategyMeetingActionComplete",
    "StrategyMeetingDetail",
    "TriggerPlanReview",
    "ActionAssign",
    "ActionCancel",
    "ActionComplete",
    "AssessmentDecline",
    "AssessmentDetail",
    "AssessmentRatify",
    "ChildCandidates",
    "ChildDetail",
    "ChildList",
    "ChildMergeList",
    "ChildMergeUndo",
    "CoordinatorQueue",
    "DuplicateSuggestionList",
    "DuplicateSuggestionReject",
    "EpisodeActions",
    "EpisodeAssessments",
    "EpisodeClock",
    "EpisodeClose",
    "EpisodeDetail",
    "EpisodeEnquiries",
    "EpisodeFound",
    "EpisodeHandovers",
    "EpisodeList",
    "EpisodePreventionInterview",
    "EpisodePreventionWaiver",
    "EpisodeReviews",
    "EpisodeWithdraw",
    "HandoverAccept",
    "HandoverDecline",
    "MyQueue",
    "NotificationAcknowledge",
    "NotificationList",
    "PartnerAlertAcknowledge",
    "PartnerAlertList",
    "PartnerChildEpisodes",
    "PartnerChildList",
    "PartnerEpisodeDetail",
    "PartnerOrganisationDetail",
    "PartnerOrganisationLinkAccept",
    "PartnerOrganisationLinkDecline",
    "PartnerOrganisationLinkEnd",
    "PartnerOrganisationLinkList",
    "PartnerOrganisationList",
    "PartnerOrganisationUsers",
    "PartnerReturnInterview",
    "ProposalConfirm",
    "ProposalReject",
    "PartnerReturnInterviewAddenda", "ReturnInterviewAddenda", "ReturnInterviewDetail",
    "RiskRecommend",
    "SupervisorQueue",
    "WaiverApprove",
    "not_found",
]
