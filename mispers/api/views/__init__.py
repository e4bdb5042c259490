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
from .risk import RiskRecommend

__all__ = [
    "AssessmentDecline",
    "AssessmentDetail",
    "AssessmentRatify",
    "ChildDetail",
    "ChildList",
    "EpisodeAssessments",
    "EpisodeDetail",
    "EpisodeList",
    "RiskRecommend",
    "not_found",
]
