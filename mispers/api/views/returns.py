"""The return: found, the prevention interview (or an approved reason it could not happen),
proposed markers, the return-home interview, and closing or withdrawing the episode."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import set_rollback

from mispers.casework.close import ClosureBlocked, episode_close
from mispers.casework.found import return_record
from mispers.casework.interviews import prevention_interview_workflow, return_interview_workflow
from mispers.casework.withdraw import episode_withdraw
from mispers.core.errors import NotFound
from mispers.episodes.selectors import episode_for
from mispers.partners.services.interviews import partner_interview_addendum
from mispers.partners.working_selectors import partner_interview_for
from mispers.places.selectors import place_for
from mispers.returns.selectors import proposal_for, rhi_for, waiver_for
from mispers.returns.services import (
    ClosingDetails,
    interview_addendum_add,
    marker_proposal_decide,
    prevention_waiver_approve,
    prevention_waiver_request,
)

from ..errors import error_body
from ..serializers.assessments import NoteSerializer
from ..serializers.episodes import EpisodeDetailSerializer
from ..serializers.returns import (
    AddendumInputSerializer,
    CloseInputSerializer,
    FoundInputSerializer,
    InterviewAddendumSerializer,
    MarkerProposalSerializer,
    PreventionInterviewInputSerializer,
    PreventionInterviewSerializer,
    PreventionWaiverSerializer,
    ReturnInterviewSerializer,
    ReturnInterviewUpdateSerializer,
    WaiverInputSerializer,
    WithdrawInputSerializer,
)
from .base import ERRORS_READ, ERRORS_WRITE, ApiView
from .episodes import episode_detail_data
from .partner import WRITE as PARTNER_WRITE
from .partner import PartnerApiView
from .reviews import CONFLICT


class _EpisodeStep(ApiView):
    """A step in the episode's life (found, close, withdraw): answers the whole episode, with
    its new state and `version`."""

    serializer_class = EpisodeDetailSerializer

    def answer(self, episode):
        episode = episode_for(user=self.request.user, episode_id=episode.pk)
        return Response(episode_detail_data(self, episode))


@extend_schema(tags=["return"])
class EpisodeFound(_EpisodeStep):
    @extend_schema(
        summary="Record that the child is found or has returned",
        description="Only a graded, open episode. `found_at` is not before last seen and not in "
                    "the future. The missing clocks stop; open actions stay open; the return "
                    "checklist is set; the prevention interview and return-home interview "
                    "clocks start (hours from the policy; neither for a child found deceased). "
                    "A harmed or victim child, or a death, tells the officer in the case and "
                    "their supervisors at once and sets the tasks that follow. Answers the "
                    "episode.",
        request=FoundInputSerializer,
        responses={200: EpisodeDetailSerializer, **ERRORS_WRITE, **CONFLICT},
        examples=[OpenApiExample("Found by police", request_only=True, value={
            "found_at": "2026-03-14T21:10:00Z", "found_where": "Exeter bus station",
            "found_by": "police", "condition": "safe_and_well", "harms": [],
            "notes": "Cold, otherwise well", "version": 4})],
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = FoundInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = data.pop("version")
        if data["found_place"] is not None:
            try:
                data["found_place"] = place_for(user=request.user, place_id=data["found_place"])
            except NotFound:
                raise ValidationError({"found_place": ["Place not found"]}) from None
        return_record(actor=request.user, now=self.now(), episode=episode,
                      expected_version=version, **data)
        return self.answer(episode)


@extend_schema(tags=["return"])
class EpisodePreventionInterview(ApiView):
    serializer_class = PreventionInterviewSerializer

    @extend_schema(
        summary="Record the prevention interview",
        description="After the return (not before it, not in the future), with the child's own "
                    "account in their words. Each exploitation indicator proposes a marker for a "
                    "supervisor or the coordinator to confirm.",
        request=PreventionInterviewInputSerializer,
        responses={201: PreventionInterviewSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = PreventionInterviewInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        interview = prevention_interview_workflow(actor=request.user, now=self.now(),
                                                  episode=episode, **given.validated_data)
        return Response(self.get_serializer(interview).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["return"])
class EpisodePreventionWaiver(ApiView):
    serializer_class = PreventionWaiverSerializer

    @extend_schema(
        summary="Record why the prevention interview could not happen",
        description="Waits for another supervisor's approval; until then the episode cannot be "
                    "closed.",
        request=WaiverInputSerializer,
        responses={201: PreventionWaiverSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = WaiverInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        waiver = prevention_waiver_request(actor=request.user, now=self.now(), episode=episode,
                                           reason=given.validated_data["reason"])
        return Response(self.get_serializer(waiver).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["return"])
class WaiverApprove(ApiView):
    serializer_class = PreventionWaiverSerializer

    @extend_schema(
        summary="Approve the reason a prevention interview could not happen",
        description="A supervisor (sergeant or above), not the one who asked.",
        request=None, responses={200: PreventionWaiverSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        waiver = waiver_for(user=request.user, waiver_id=pk)
        waiver = prevention_waiver_approve(actor=request.user, now=self.now(), waiver=waiver)
        return Response(self.get_serializer(waiver).data)


@extend_schema(tags=["return"])
class _ProposalDecision(ApiView):
    serializer_class = MarkerProposalSerializer
    confirm = True

    def post(self, request, pk):
        proposal = proposal_for(user=request.user, proposal_id=pk)
        given = NoteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        proposal = marker_proposal_decide(actor=request.user, now=self.now(),
                                          proposal=proposal, confirm=self.confirm,
                                          note=given.validated_data["note"])
        return Response(self.get_serializer(proposal).data)


class ProposalConfirm(_ProposalDecision):
    confirm = True

    @extend_schema(
        summary="Confirm a proposed marker: it is added to the child's record",
        description="A supervisor, inspector, superintendent or the coordinator.",
        request=NoteSerializer, responses={200: MarkerProposalSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        return super().post(request, pk)


class ProposalReject(_ProposalDecision):
    confirm = False

    @extend_schema(
        summary="Reject a proposed marker (say why)",
        request=NoteSerializer, responses={200: MarkerProposalSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk):
        return super().post(request, pk)


@extend_schema(tags=["return"])
class ReturnInterviewDetail(ApiView):
    """The independent return-home interview the local authority must offer within 72 hours of
    the return. Each read is written to the access log."""

    serializer_class = ReturnInterviewSerializer

    @extend_schema(summary="One return-home interview",
                   responses={200: ReturnInterviewSerializer, **ERRORS_READ})
    def get(self, request, pk):
        interview = rhi_for(user=request.user, rhi_id=pk)
        self.log_read(object_type="return_home_interview", object_id=interview.pk,
                      child_id=interview.episode.child_id)
        return Response(self.get_serializer(interview).data)

    @extend_schema(
        summary="Record the return-home interview's progress and findings",
        description="Send only what changes: offered (`offered_at`), the child's `response` "
                    "(accepted or declined), `completed_at` (only if accepted), the findings, "
                    "`indicators` (each proposes a marker) and `share` (share the findings "
                    "with police, once completed). Times are not before the return nor in the "
                    "future. Send the `version` you loaded: a change based on an older one "
                    "answers 409. Once completed, when it was offered, the answer and the "
                    "completion time are fixed; once completed and shared the findings are "
                    "frozen (a correction is an addendum). While a provider is commissioned, "
                    "only the provider records the findings (403 for police).",
        request=ReturnInterviewUpdateSerializer,
        responses={200: ReturnInterviewSerializer, **ERRORS_WRITE, **CONFLICT},
        examples=[OpenApiExample("Completed and shared", request_only=True, value={
            "completed_at": "2026-03-16T10:00:00Z", "interviewer_name": "Sam Advocate",
            "where_went": "A flat in Plymouth", "with_whom": "Older boys she met online",
            "indicators": ["older_associates"], "share": True})],
    )
    def patch(self, request, pk):
        interview = rhi_for(user=request.user, rhi_id=pk)
        given = ReturnInterviewUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        interview = return_interview_workflow(actor=request.user, now=self.now(),
                                              interview=interview, **given.service_arguments())
        return Response(self.get_serializer(interview).data)


@extend_schema(tags=["return"])
class EpisodeClose(_EpisodeStep):
    @extend_schema(
        summary="Close the episode, with its closing summary",
        description="Only a found child's episode. A sergeant or above; an inspector or above if "
                    "it was ever graded high. Refused (400) while anything is outstanding, each "
                    "named in `field_errors.blockers`: an open action (done, or cancelled by a "
                    "supervisor with a reason), a proposed marker not decided, the prevention "
                    "interview not recorded nor excused, the return-home interview neither "
                    "completed nor declined, a part of the closing summary left empty. The "
                    "return-home interview's clock runs on. Answers the episode.",
        request=CloseInputSerializer,
        responses={200: EpisodeDetailSerializer, **ERRORS_WRITE, **CONFLICT},
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = CloseInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = data.pop("version")
        try:
            episode_close(actor=request.user, now=self.now(), episode=episode,
                          summary=ClosingDetails(**data), expected_version=version)
        except ClosureBlocked as blocked:
            set_rollback()
            return Response(error_body(blocked.message, {
                "blockers": [blocker.text for blocker in blocked.blockers]}),
                status=status.HTTP_400_BAD_REQUEST)
        return self.answer(episode)


@extend_schema(tags=["return"])
class EpisodeWithdraw(_EpisodeStep):
    @extend_schema(
        summary="Withdraw a report made in error",
        description="Only while the child is still missing, so an inspector or above "
                    "(a sergeant is refused with 403); `reason` is required. Every clock stops "
                    "and the episode leaves the repeat counts. Answers the episode.",
        request=WithdrawInputSerializer,
        responses={200: EpisodeDetailSerializer, **ERRORS_WRITE, **CONFLICT},
    )
    def post(self, request, pk):
        episode = episode_for(user=request.user, episode_id=pk)
        given = WithdrawInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        episode_withdraw(actor=request.user, now=self.now(), episode=episode,
                         reason=given.validated_data["reason"],
                         expected_version=given.validated_data["version"])
        return self.answer(episode)


@extend_schema(tags=["return"])
class ReturnInterviewAddenda(ApiView):
    """Corrections and notes to a completed return-home interview (ADR 20)."""

    serializer_class = InterviewAddendumSerializer

    @extend_schema(
        summary="Add an addendum to a completed return-home interview",
        description="The findings stay as recorded; the addendum says what is corrected or "
                    "added, and why (`reason` is required). Police add their own notes; they "
                    "never edit a provider's findings. Send the interview's `version` you "
                    "loaded: a newer one answers 409.",
        request=AddendumInputSerializer,
        responses={201: InterviewAddendumSerializer, **ERRORS_WRITE, **CONFLICT},
    )
    def post(self, request, pk):
        interview = rhi_for(user=request.user, rhi_id=pk)
        given = AddendumInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        addendum = interview_addendum_add(actor=request.user, now=self.now(),
                                          interview=interview, reason=data["reason"],
                                          text=data["text"], expected_version=data["version"])
        return Response(self.get_serializer(addendum).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["partner"])
class PartnerReturnInterviewAddenda(PartnerApiView):
    """The provider's corrections to its completed findings (ADR 20)."""

    serializer_class = InterviewAddendumSerializer

    @extend_schema(
        summary="Add an addendum to your completed return-home interview (the provider)",
        description="The findings stay as recorded once completed (they are shared with police "
                    "at completion); a correction is an addendum with its `reason`, shared "
                    "with police and written to the information-sharing log. Send the "
                    "interview's `version` you loaded: a newer one answers 409.",
        request=AddendumInputSerializer,
        responses={201: InterviewAddendumSerializer, **PARTNER_WRITE, **CONFLICT},
    )
    def post(self, request, pk):
        interview = partner_interview_for(user=request.user, interview_id=pk)
        given = AddendumInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        addendum = partner_interview_addendum(
            actor=request.user, now=self.now(), interview=interview, reason=data["reason"],
            text=data["text"], channel="api", expected_version=data["version"])
        return Response(self.get_serializer(addendum).data, status=status.HTTP_201_CREATED)
