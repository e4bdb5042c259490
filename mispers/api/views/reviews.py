"""The episode's clock, supervisory reviews, ownership and handover, actions and the enquiry log."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mispers.casework.enquiries import enquiry_workflow
from mispers.casework.review import review_complete, review_with_regrade
from mispers.episodes.selectors import episode_for
from mispers.reviews.selectors import (
    action_for,
    actions_of,
    enquiries_of,
    episode_clock,
    force_colleagues,
    handover_for,
    handovers_of,
    reviews_of,
)
from mispers.reviews.services import (
    action_assign,
    action_cancel,
    action_complete,
    action_create,
    handover_accept,
    handover_decline,
    handover_request,
)

from ..errors import api_fields
from ..serializers.assessments import NoteSerializer
from ..serializers.review_input import ReviewInputSerializer
from ..serializers.reviews import (
    ActionInputSerializer,
    ActionSerializer,
    AssignInputSerializer,
    CancelInputSerializer,
    ClockSerializer,
    CompleteInputSerializer,
    EnquiryInputSerializer,
    EnquirySerializer,
    HandoverInputSerializer,
    HandoverSerializer,
    ReviewSerializer,
)
from .base import ERRORS_READ, ERRORS_WRITE, ApiView, error_response

# A refusal of the re-grade names an assessment input; in this body it sits under `regrade`.
REGRADE_FIELDS = {"answers": "regrade.answers", "rationale": "regrade.rationale",
                  "grade": "regrade.grade", "*": "regrade.answers.{}"}
CONFLICT = {409: error_response("The episode changed since `version` was loaded")}
HAND_TO_COLLEAGUE = "Hand the case to someone in your force"
ASSIGN_TO_COLLEAGUE = "Assign the action to someone in your force"


def colleague(*, user, user_id, field: str, message: str):
    """The colleague of `user`'s force with this id, or a 400 naming `field`. Another force's
    user is refused with the same words as a user who does not exist."""
    if user_id is None:
        return None
    found = force_colleagues(user=user).filter(pk=user_id).first()
    if found is None:
        raise ValidationError({field: [message]})
    return found


@extend_schema(tags=["clocks"])
class EpisodeClock(ApiView):
    """When the next supervisory review is due and every pending deadline, overdue first.
    Computed from the deadline rows, so it is right even when the sweeper has not run."""

    serializer_class = ClockSerializer

    @extend_schema(summary="The episode's clock: next review due, pending deadlines",
                   responses={200: ClockSerializer, **ERRORS_READ})
    def get(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        self.log_read(object_type="episode", object_id=episode.pk, child_id=episode.child_id)
        clock = episode_clock(episode=episode, now=self.now())
        return Response(self.get_serializer(clock).data)


@extend_schema(tags=["reviews"])
class EpisodeReviews(ApiView):
    """Supervisory reviews of one episode."""

    serializer_class = ReviewSerializer

    @extend_schema(summary="The episode's reviews, latest first",
                   responses={200: ReviewSerializer(many=True), **ERRORS_READ})
    def get(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        return self.paginated(reviews_of(episode=episode), ReviewSerializer,
                              object_type="review", child_of=lambda _: episode.child_id)

    @extend_schema(
        summary="Record a supervisory review (optionally with a re-grade)",
        description="A sergeant or above reviews a low, medium or no-apparent-risk episode; an "
                    "inspector or above a high one. Each line of `next_actions` becomes an "
                    "action for the episode's owner; the next review falls due at the grade's "
                    "interval. With `regrade`, a new assessment is recorded first and the "
                    "review is made at the new grade — both or neither are saved.",
        request=ReviewInputSerializer,
        responses={201: ReviewSerializer, **ERRORS_WRITE, **CONFLICT},
        examples=[OpenApiExample("A review that re-grades", request_only=True, value={
            "notes": "Sighting in Exeter confirmed; phone switched off since 13:00.",
            "next_actions": "Check CCTV at Exeter St Davids\nSpeak to her friend Jade",
            "regrade": {"answers": {"exploitation": "yes"}, "grade": "high"},
            "version": 3})],
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = ReviewInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data, regrade = given.validated_data, given.validated_data["regrade"]
        actor, now = request.user, self.now()
        if regrade is None:
            review = review_complete(actor=actor, now=now, episode=episode, notes=data["notes"],
                                     next_actions=data["next_actions"],
                                     expected_version=data["version"])
        else:
            # Errors of the re-grade's assessment are reported under `regrade.*` fields; the
            # review's own fields keep their names.
            with api_fields({**REGRADE_FIELDS, "notes": "notes", "next_actions": "next_actions"}):
                review = review_with_regrade(
                    actor=actor, now=now, episode=episode, notes=data["notes"],
                    next_actions=data["next_actions"], answers=regrade["answers"],
                    chosen_grade=regrade["grade"], rationale=regrade["rationale"],
                    expected_version=data["version"])
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ownership"])
class EpisodeHandovers(ApiView):
    """Handing a case to a new owner: it is not theirs until they accept it."""

    serializer_class = HandoverSerializer

    @extend_schema(summary="The episode's handovers, latest first",
                   responses={200: HandoverSerializer(many=True), **ERRORS_READ})
    def get(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        return self.paginated(handovers_of(episode=episode), HandoverSerializer,
                              object_type="handover", child_of=lambda _: episode.child_id)

    @extend_schema(
        summary="Hand the case to a colleague",
        description="By the owner or a supervisor. `to_user` is the id of a colleague in your "
                    "force. The case stays with its owner until the new owner accepts; an "
                    "unaccepted handover escalates. A new handover replaces a pending one.",
        request=HandoverInputSerializer,
        responses={201: HandoverSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = HandoverInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        to_user = colleague(user=request.user, user_id=given.validated_data["to_user"],
                            field="to_user", message=HAND_TO_COLLEAGUE)
        handover = handover_request(actor=request.user, now=self.now(), episode=episode,
                                    to_user=to_user, note=given.validated_data["note"])
        return Response(self.get_serializer(handover).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ownership"])
class HandoverAccept(ApiView):
    serializer_class = HandoverSerializer

    @extend_schema(
        summary="Accept a case handed to you: you own it from now",
        description="Only the person it is addressed to; once only.",
        request=None, responses={200: HandoverSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        handover = handover_for(user=request.user, handover_id=pk)
        handover = handover_accept(actor=request.user, now=self.now(), handover=handover)
        return Response(self.get_serializer(handover).data)


@extend_schema(tags=["ownership"])
class HandoverDecline(ApiView):
    serializer_class = HandoverSerializer

    @extend_schema(
        summary="Decline a case handed to you (say why): it stays with its owner",
        request=NoteSerializer, responses={200: HandoverSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        handover = handover_for(user=request.user, handover_id=pk)
        given = NoteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        handover = handover_decline(actor=request.user, now=self.now(), handover=handover,
                                    note=given.validated_data["note"])
        return Response(self.get_serializer(handover).data)


@extend_schema(tags=["actions"])
class EpisodeActions(ApiView):
    """Things to be done for an episode: standard actions of the grade, a review's next
    actions, tasks the system creates, and actions added by hand."""

    serializer_class = ActionSerializer

    @extend_schema(summary="The episode's actions: open ones first, soonest due first",
                   responses={200: ActionSerializer(many=True), **ERRORS_READ})
    def get(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        return self.paginated(actions_of(episode=episode), ActionSerializer,
                              object_type="action", child_of=lambda _: episode.child_id)

    @extend_schema(
        summary="Add an action",
        description="`assigned_to` is the id of a colleague in your force (optional); `due_at` "
                    "defaults to the force's action interval from now. The due time is a "
                    "deadline: an overdue action escalates.",
        request=ActionInputSerializer, responses={201: ActionSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = ActionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        assigned_to = colleague(user=request.user, user_id=data["assigned_to"],
                                field="assigned_to", message=ASSIGN_TO_COLLEAGUE)
        action = action_create(actor=request.user, now=self.now(), episode=episode,
                               code="manual", title=data["title"], due_at=data["due_at"],
                               assigned_to=assigned_to, source="manual")
        return Response(self.get_serializer(action).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["actions"])
class ActionAssign(ApiView):
    serializer_class = ActionSerializer

    @extend_schema(summary="Assign an action to a colleague",
                   request=AssignInputSerializer,
                   responses={200: ActionSerializer, **ERRORS_WRITE})
    def post(self, request, pk):
        action = action_for(user=request.user, action_id=pk)
        given = AssignInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        assigned_to = colleague(user=request.user, user_id=given.validated_data["assigned_to"],
                                field="assigned_to", message=ASSIGN_TO_COLLEAGUE)
        action = action_assign(actor=request.user, now=self.now(), action=action,
                               assigned_to=assigned_to)
        return Response(self.get_serializer(action).data)


@extend_schema(tags=["actions"])
class ActionComplete(ApiView):
    serializer_class = ActionSerializer

    @extend_schema(summary="Record an action as done, with its result",
                   request=CompleteInputSerializer,
                   responses={200: ActionSerializer, **ERRORS_WRITE})
    def post(self, request, pk):
        action = action_for(user=request.user, action_id=pk)
        given = CompleteInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        action = action_complete(actor=request.user, now=self.now(), action=action,
                                 result=given.validated_data["result"])
        return Response(self.get_serializer(action).data)


@extend_schema(tags=["actions"])
class ActionCancel(ApiView):
    serializer_class = ActionSerializer

    @extend_schema(summary="Cancel an open action, with the reason (a sergeant or above)",
                   description="An open action blocks closing the episode: it is done, or a "
                               "supervisor cancels it saying why. Anyone else is refused (403).",
                   request=CancelInputSerializer,
                   responses={200: ActionSerializer, **ERRORS_WRITE})
    def post(self, request, pk):
        action = action_for(user=request.user, action_id=pk)
        given = CancelInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        action = action_cancel(actor=request.user, now=self.now(), action=action,
                               reason=given.validated_data["reason"])
        return Response(self.get_serializer(action).data)


@extend_schema(tags=["enquiries"])
class EpisodeEnquiries(ApiView):
    """The enquiry log: updates, sightings, calls and partners' updates."""

    serializer_class = EnquirySerializer

    @extend_schema(summary="The episode's enquiry log, newest first",
                   responses={200: EnquirySerializer(many=True), **ERRORS_READ})
    def get(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        return self.paginated(enquiries_of(episode=episode), EnquirySerializer,
                              object_type="enquiry", child_of=lambda _: episode.child_id)

    @extend_schema(
        summary="Record an update or a sighting",
        description="A sighting needs its `location`. `prompts_reassessment` sets a deadline "
                    "for a re-assessment (new information prompts a re-grade).",
        request=EnquiryInputSerializer, responses={201: EnquirySerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = EnquiryInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        entry = enquiry_workflow(actor=request.user, now=self.now(), episode=episode,
                               **given.validated_data)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)
