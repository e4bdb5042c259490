"""The return-home interview from the partner side: police choose (or the child's records name)
the provider commissioned for it; the provider's return-interview workers record it (offered,
accepted or declined, completed, findings and the child's words); completed findings are shared
back to police and logged. The recording itself is `mispers.returns.services
.return_interview_update`, the same rules for police and partners."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from mispers.accounts.roles import RHI_COMMISSION_ROLES as COMMISSION_ROLES
from mispers.core.errors import DomainError, NotFound, PermissionDenied
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import episode_lock, timeline_record
from mispers.returns.models import InterviewAddendum, ReturnHomeInterview
from mispers.returns.services import (
    PARTNER_RHI_ROLES,
    interview_addendum_add,
    return_interview_update,
)

from ..models import PartnerOrganisation, Responsibility, SharingRecord
from ..selectors import is_partner
from .alerts import partner_alert_commissioned
from .sharing import sharing_record


class InterviewInvalid(DomainError):
    """The return-home interview cannot be recorded or commissioned as asked."""


# Police who commission the interview: the coordinator and supervisors (those who record it).
PROVIDER_KINDS = (PartnerOrganisation.Kind.RHI_PROVIDER,
                  PartnerOrganisation.Kind.CHILDRENS_SERVICES)


@transaction.atomic
def rhi_provider_set(*, actor, now: dt.datetime, interview: ReturnHomeInterview,
                     provider: PartnerOrganisation) -> ReturnHomeInterview:
    """Police commission `provider` for the interview. The provider is made responsible for the
    child (a return-interview responsibility from the day of the report, so it sees this
    episode) unless it already is, and is alerted."""
    if is_partner(actor) or not actor.has_role(*COMMISSION_ROLES):
        raise PermissionDenied("Only the coordinator or a supervisor chooses the provider")
    episode_lock(episode=interview.episode)  # ADR 20: the episode first, then the interview
    interview = ReturnHomeInterview.objects.select_for_update(of=("self",)).select_related(
        "episode", "episode__child", "episode__force").get(pk=interview.pk)
    episode = interview.episode
    if episode.force_id != actor.force_id:
        raise NotFound("Return-home interview not found")
    if not (provider.active and provider.kind in PROVIDER_KINDS
            and provider.works_with(episode.force_id)):
        raise InterviewInvalid("Choose a return-interview provider or children's services "
                               "working with this force", field="provider")
    if interview.completed_at or interview.response == ReturnHomeInterview.Response.DECLINED:
        raise InterviewInvalid("The interview is already finished", field="provider")
    if interview.provider_id == provider.pk:
        raise InterviewInvalid(f"{provider.name} is already the provider", field="provider")
    reported_on = timezone.localdate(episode.reported_at)
    covering = Responsibility.objects.filter(
        child=episode.child, organisation=provider, starts_on__lte=reported_on).exclude(
        ends_on__lte=reported_on)
    if not covering.exists():
        if provider.kind != PartnerOrganisation.Kind.RHI_PROVIDER:
            # Children's services interview the children they place, not other authorities'.
            raise InterviewInvalid(f"{provider.name} is not the child's placing authority",
                                   field="provider")
        responsibility = Responsibility(
            child=episode.child, organisation=provider, kind=Responsibility.Kind.RHI_PROVIDER,
            starts_on=reported_on,
            note=f"Commissioned for the return-home interview after {episode.reference}")
        responsibility.stamp(actor=actor, now=now)
        responsibility.save()
    interview.provider = provider
    interview.version += 1
    interview.stamp(actor=actor, now=now)
    interview.save(update_fields=["provider", "version", "modified_at", "modified_by"])
    sharing_record(actor=actor, now=now, child=episode.child, episode=episode,
                   organisation=provider, basis=SharingRecord.Basis.STATUTORY_GUIDANCE,
                   what=f"Return-home interview referral for {episode.reference}")
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.RHI_COMMISSIONED,
                    summary=f"Return-home interview commissioned from {provider.name}",
                    data={"rhi": str(interview.pk), "provider": str(provider.pk)})
    partner_alert_commissioned(actor=actor, now=now, episode=episode, provider=provider,
                               due_at=interview.due_at)
    return interview


def interview_of_episode(*, episode: Episode) -> ReturnHomeInterview:
    """The episode's interview, or a clear refusal when the child has not returned yet."""
    interview = ReturnHomeInterview.objects.filter(episode_id=episode.pk).first()
    if interview is None:
        raise InterviewInvalid(
            f"{episode.child.full_name} has not been recorded as returned for "
            f"{episode.reference}: the return-home interview can be recorded once police record "
            "the return")
    return interview


@transaction.atomic
def partner_interview_record(*, actor, now: dt.datetime, interview: ReturnHomeInterview,
                             offered_at: dt.datetime | None = None, response: str = "",
                             completed_at: dt.datetime | None = None,
                             interviewer_name: str = "", indicators: Iterable[str] = (),
                             channel: str = "system", expected_version: int | None = None,
                             **findings: str) -> ReturnHomeInterview:
    """The provider records the interview. Findings of a completed interview are shared back to
    police at once (statutory guidance): they show on the child's page and in the next risk
    assessment, and the share is logged. Once shared they are frozen: a correction is an
    addendum (`partner_interview_addendum`). `expected_version` is the interview's version the
    worker loaded (ADR 20)."""
    _check_provider_worker(actor)
    interview = ReturnHomeInterview.objects.select_related("episode__child").get(pk=interview.pk)
    if interview.provider_id != actor.organisation_id:
        raise NotFound("Return-home interview not found")
    completes = completed_at is not None or interview.completed_at is not None
    interview = return_interview_update(
        actor=actor, now=now, interview=interview, offered_at=offered_at, response=response,
        completed_at=completed_at,
        interviewer_name=interviewer_name or interview.interviewer_name or str(actor),
        indicators=indicators, share=completes, expected_version=expected_version, **findings)
    if interview.shared_at == now:
        sharing_record(actor=actor, now=now, child=interview.episode.child,
                       episode=interview.episode, force=interview.episode.force,
                       basis=SharingRecord.Basis.STATUTORY_GUIDANCE, channel=channel,
                       what=f"Return-home interview findings for {interview.episode.reference}")
    return interview


def _check_provider_worker(actor) -> None:
    if not is_partner(actor):
        raise PermissionDenied("This is for return-interview providers")
    if not actor.has_role(*PARTNER_RHI_ROLES):
        raise PermissionDenied("Only return-interview workers (or the placing authority's social "
                               "workers, when it is the provider) record the interview")


@transaction.atomic
def partner_interview_addendum(*, actor, now: dt.datetime, interview: ReturnHomeInterview,
                               reason: str, text: str, channel: str = "system",
                               expected_version: int | None = None) -> InterviewAddendum:
    """The provider corrects or adds to its completed findings: an addendum with the reason,
    shared with police like the findings (and logged); the findings stay as recorded."""
    _check_provider_worker(actor)
    addendum = interview_addendum_add(actor=actor, now=now, interview=interview, reason=reason,
                                      text=text, expected_version=expected_version)
    episode = addendum.interview.episode
    sharing_record(actor=actor, now=now, child=episode.child, episode=episode,
                   force=episode.force, basis=SharingRecord.Basis.STATUTORY_GUIDANCE,
                   channel=channel,
                   what=f"Addendum to the return-home interview findings for {episode.reference}")
    return addendum
