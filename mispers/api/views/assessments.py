"""Risk assessments of an episode, and ratifying or declining a downgrade."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from mispers.casework.grade import assessment_decline, assessment_ratify, assessment_record
from mispers.episodes.selectors import episode_for
from mispers.risk.selectors import assessment_for, assessments_of

from ..errors import api_fields
from ..serializers.assessments import (
    AssessmentInputSerializer,
    AssessmentSerializer,
    NoteSerializer,
)
from .base import ERRORS_READ, ERRORS_WRITE, ApiView, error_response

# The service names a factor code as the field at fault; the API body has it under answers.
ANSWER_FIELDS = {"answers": "answers", "rationale": "rationale", "grade": "grade",
                 "*": "answers.{}"}

ASSESSMENT_EXAMPLE = OpenApiExample(
    "A downgrade with its rationale",
    request_only=True,
    value={
        "answers": {"exploitation": "no", "mental_health": {
            "answer": "yes", "source": "Care worker", "obtained_at": "2026-03-14T14:30:00Z",
            "note": "Diagnosed anxiety; takes no medication"}},
        "grade": "low",
        "rationale": "Known to go to her sister's; sister confirms she is expected tonight.",
        "version": 1,
    },
)


@extend_schema(tags=["assessments"])
class EpisodeAssessments(ApiView):
    """The risk assessments of one episode; a re-grade is always a new assessment."""

    serializer_class = AssessmentSerializer

    @extend_schema(
        summary="The episode's assessments, latest first",
        responses={200: AssessmentSerializer(many=True), **ERRORS_READ},
    )
    def get(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        return self.paginated(assessments_of(episode=episode), AssessmentSerializer,
                              object_type="assessment",
                              child_of=lambda assessment: episode.child_id)

    @extend_schema(
        summary="Assess the risk and grade the episode",
        description="The policy recommends a grade from the answers and the child's record; the "
                    "officer's `grade` below the recommendation needs a `rationale` and waits for "
                    "ratification. Answers 201 with the recommendation, its reasons and status.",
        request=AssessmentInputSerializer,
        responses={201: AssessmentSerializer, **ERRORS_WRITE,
                   409: error_response("The episode changed since `version` was loaded")},
        examples=[ASSESSMENT_EXAMPLE],
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = AssessmentInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        with api_fields(ANSWER_FIELDS):
            assessment = assessment_record(
                actor=request.user, now=self.now(), episode=episode, answers=data["answers"],
                chosen_grade=data["grade"], rationale=data["rationale"],
                expected_version=data["version"])
        assessment = assessment_for(user=request.user, assessment_id=assessment.pk)
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["assessments"])
class AssessmentDetail(ApiView):
    """One risk assessment: answers, context, recommendation, reasons and ratification."""

    serializer_class = AssessmentSerializer

    @extend_schema(summary="One assessment", responses={200: AssessmentSerializer,
                                                         **ERRORS_READ})
    def get(self, request, pk):
        assessment = assessment_for(user=request.user, assessment_id=pk)
        self.log_read(object_type="assessment", object_id=assessment.pk,
                      child_id=assessment.episode.child_id)
        return Response(self.get_serializer(assessment).data)


@extend_schema(tags=["assessments"])
class _Decision(ApiView):
    """A supervisor's decision on a grade chosen below the recommendation."""

    serializer_class = AssessmentSerializer
    service = None

    def post(self, request, pk):
        assessment = assessment_for(user=request.user, assessment_id=pk)
        given = NoteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        type(self).service(actor=request.user, now=self.now(), assessment=assessment,
                           note=given.validated_data["note"])
        assessment = assessment_for(user=request.user, assessment_id=pk)
        return Response(self.get_serializer(assessment).data)


DECISION_ERRORS = {200: AssessmentSerializer, **ERRORS_WRITE}


class AssessmentRatify(_Decision):
    service = assessment_ratify

    @extend_schema(
        summary="Ratify a grade below the recommendation",
        description="A sergeant or above (an inspector or above when the recommendation is "
                    "high), never the officer who chose the grade; `note` (why) is required. "
                    "A refusal answers 400 with the reason in `detail`.",
        request=NoteSerializer, responses=DECISION_ERRORS,
    )
    def post(self, request, pk):
        return super().post(request, pk)


class AssessmentDecline(_Decision):
    service = assessment_decline

    @extend_schema(
        summary="Decline to ratify a downgrade: the recommended grade stays",
        description="Same ranks as ratifying; `note` (why) is required.",
        request=NoteSerializer, responses=DECISION_ERRORS,
    )
    def post(self, request, pk):
        return super().post(request, pk)
