"""The partner API (/api/v1/partner/): a partner organisation's own case system reads the
statuses of its children's episodes and records return-home interviews. The same scoping as the
partner pages: only the children the organisation is responsible for, only what is released to
partners, anything else 404. Police users get 403 here, as partner users do on police
endpoints. Every read of a child, episode or interview is written to the access log."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from mispers.casework.interviews import partner_interview_workflow
from mispers.partners.disclosure import releases_for
from mispers.partners.selectors import is_partner, partner_child_for, partner_children
from mispers.partners.services.alerts import partner_alert_acknowledge
from mispers.partners.working_selectors import (
    episode_statuses,
    latest_statuses,
    partner_alerts_for,
    partner_episode_status,
    partner_interview_for,
)
from mispers.risk import policy as risk_policy

from ..serializers.partner import (
    PartnerAlertSerializer,
    PartnerChildSerializer,
    PartnerEpisodeSerializer,
    PartnerReturnInterviewInputSerializer,
    PartnerReturnInterviewSerializer,
)
from .base import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, ApiView, error_response


class IsPartnerUser(BasePermission):
    message = "You need a partner role in a partner organisation to use the partner API."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and is_partner(request.user))


PARTNER_403 = error_response("Signed in without a partner role (police users included)")
READ = {**ERRORS_READ, 403: PARTNER_403,
        404: error_response("Not a record your organisation is responsible for",
                            "Not found.")}
LIST = {**ERRORS_LIST, 403: PARTNER_403}
WRITE = {**ERRORS_WRITE, **READ, 400: ERRORS_WRITE[400]}


class PartnerApiView(ApiView):
    permission_classes = [IsPartnerUser]

    def policy(self):
        return risk_policy.load_policy(risk_policy.NATIONAL)  # partners have no force

    def today(self):
        from django.utils import timezone

        return timezone.localdate(self.now())

    releases: dict = {}

    def with_releases(self, episode_ids) -> None:
        """The police-only fields released to the user's organisation for these episodes (the
        caller has scoped them), for PartnerEpisodeSerializer."""
        self.releases = releases_for(organisation_id=self.request.user.organisation_id,
                                     episode_ids=[pk for pk in episode_ids if pk])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "releases": self.releases}


@extend_schema(tags=["partner"])
class PartnerChildList(PartnerApiView):
    serializer_class = PartnerChildSerializer

    @extend_schema(
        summary="Your organisation's children today, with their latest episode's status",
        description="The children your organisation is responsible for today (placing "
                    "authority, home or return-interview provider), by name, each with the "
                    "latest episode you may see: missing, found or closed, when found, and the "
                    "return-home interview's clock.",
        responses={200: PartnerChildSerializer(many=True), **LIST},
    )
    def get(self, request):
        children = partner_children(user=request.user, on=self.today()).order_by(
            "family_name", "given_name", "id")
        page = self.paginate_queryset(children)
        statuses = latest_statuses(user=request.user, child_ids=[c.pk for c in page],
                                   now=self.now())
        for child in page:
            child.latest_episode = statuses.get(child.pk)
        self.with_releases(status.episode_id for status in statuses.values())
        self.log_reads(object_type="child", rows=[(c.pk, c.pk) for c in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["partner"])
class PartnerChildEpisodes(PartnerApiView):
    serializer_class = PartnerEpisodeSerializer

    @extend_schema(
        summary="A child's episodes your organisation may see",
        description="Newest first: the episodes reported while your organisation was "
                    "responsible for the child.",
        responses={200: PartnerEpisodeSerializer(many=True), **READ, 400: LIST[400]},
    )
    def get(self, request, pk):
        child = partner_child_for(user=request.user, child_id=pk, on=self.today())
        page = self.paginate_queryset(episode_statuses(user=request.user, child=child,
                                                       now=self.now()))
        self.with_releases(status.episode_id for status in page)
        self.log_reads(object_type="episode",
                       rows=[(status.episode_id, child.pk) for status in page]
                       or [(child.pk, child.pk)])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["partner"])
class PartnerEpisodeDetail(PartnerApiView):
    serializer_class = PartnerEpisodeSerializer

    @extend_schema(summary="One episode's status",
                   responses={200: PartnerEpisodeSerializer, **READ})
    def get(self, request, pk):
        episode, status = partner_episode_status(user=request.user, episode_id=pk,
                                                 now=self.now())
        self.log_read(object_type="episode", object_id=episode.pk, child_id=episode.child_id)
        self.with_releases([episode.pk])
        return Response(self.get_serializer(status).data)


@extend_schema(tags=["partner"])
class PartnerReturnInterview(PartnerApiView):
    serializer_class = PartnerReturnInterviewSerializer

    @extend_schema(
        summary="A return-home interview and its findings",
        description="For the provider commissioned for it and the child's placing authority "
                    "(not the home).",
        responses={200: PartnerReturnInterviewSerializer, **READ})
    def get(self, request, pk):
        interview = partner_interview_for(user=request.user, interview_id=pk)
        self.log_read(object_type="return_home_interview", object_id=interview.pk,
                      child_id=interview.episode.child_id)
        return Response(self.get_serializer(interview).data)

    @extend_schema(
        summary="Record the return-home interview (the provider)",
        description="A return-interview worker of the provider (or a social worker of the "
                    "placing authority when it is the provider). Send only what changes. Times "
                    "are not before the child's return, not in the future, and completed not "
                    "before offered. Once completed the findings are shared with police: they "
                    "show on the child's police record and in the next risk assessment, and the "
                    "share is written to the information-sharing log.",
        request=PartnerReturnInterviewInputSerializer,
        responses={200: PartnerReturnInterviewSerializer, **WRITE},
        examples=[OpenApiExample("Completed", request_only=True, value={
            "offered_at": "2026-03-15T09:00:00Z", "response": "accepted",
            "completed_at": "2026-03-15T11:30:00Z", "interviewer_name": "Sam Advocate",
            "where_went": "A flat in Plymouth", "with_whom": "Older boys she met online",
            "why_left": "Argument at the home", "harm": "None disclosed",
            "indicators": ["older_associates"], "what_would_help": "A trusted key worker",
            "child_words": "They said they'd look after me."})],
    )
    def patch(self, request, pk):
        interview = partner_interview_for(user=request.user, interview_id=pk)
        given = PartnerReturnInterviewInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        interview = partner_interview_workflow(actor=request.user, now=self.now(),
                                               interview=interview, channel="api",
                                               **given.service_arguments())
        return Response(self.get_serializer(interview).data)


@extend_schema(tags=["partner"])
class PartnerAlertList(PartnerApiView):
    serializer_class = PartnerAlertSerializer

    @extend_schema(
        summary="Your alerts (child missing, found, interview referred), newest first",
        description="Only those not yet acknowledged, unless `all=true`.",
        parameters=[OpenApiParameter("all", bool, description="Include acknowledged alerts")],
        responses={200: PartnerAlertSerializer(many=True), **LIST},
    )
    def get(self, request):
        alerts = partner_alerts_for(user=request.user,
                                    include_acknowledged=request.query_params.get("all") == "true")
        page = self.paginate_queryset(alerts)
        # The alerts name children: one access-log row per alert's episode.
        self.log_reads(object_type="episode", rows=[
            (alert.episode_id, alert.episode.child_id) for alert in page if alert.episode_id])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(tags=["partner"])
class PartnerAlertAcknowledge(PartnerApiView):
    serializer_class = PartnerAlertSerializer

    @extend_schema(summary="Acknowledge one of your alerts", request=None,
                   responses={200: PartnerAlertSerializer, **WRITE})
    def post(self, request, pk):
        alert = partner_alert_acknowledge(actor=request.user, now=self.now(), notification_id=pk)
        return Response(self.get_serializer(alert).data)
