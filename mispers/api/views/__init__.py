"""API views: thin. Each one checks the request's shape with a serializer, calls one selector or
one service, and serializes what came back."""

from .assessments import (
    AssessmentDecline,
    AssessmentDetail,
    AssessmentRatify,
    EpisodeAssessments,
)
from .base import not_found
from .children import ChildDetail, ChildList
from .episodes import EpisodeDetail, EpisodeList
from .queues import (
    CoordinatorQueue,
    MyQueue,
    NotificationAcknowledge,
    NotificationList,
    SupervisorQueue,
)
from .returns import (
    EpisodeClose,
    EpisodeFound,
    EpisodePreventionInterview,
    EpisodePreventionWaiver,
    EpisodeWithdraw,
    ProposalConfirm,
    ProposalReject,
    ReturnInterviewDetail,
    WaiverApprove,
)
from .reviews import (
    ActionAssign,
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
    "ActionAssign",
    "ActionComplete",
    "AssessmentDecline",
    "AssessmentDetail",
    "AssessmentRatify",
    "ChildDetail",
    "ChildList",
    "CoordinatorQueue",
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
    "ProposalConfirm",
    "ProposalReject",
    "ReturnInterviewDetail",
    "RiskRecommend",
    "SupervisorQueue",
    "WaiverApprove",
    "not_found",
]
