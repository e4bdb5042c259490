"""Reads for working together (issue 5, "Working together"): the status of a partner's
children's episodes with the return-home interview clock, the provider of an interview, alerts,
and the information-sharing log. Scoping is `mispers.partners.selectors` (a record outside the
organisation's responsibility answers NotFound); these functions build on it.

What partners see of an episode is its status, never police content: missing, found or closed,
when reported and found, and the return-home interview's progress and clock. The interview's
findings (the child's words) are for the provider and the placing authority only, not the home:
a child may disclose something about the home itself (ADR 0011)."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet

from mispers.core.errors import NotFound
from mispers.episodes.models import Episode
from mispers.returns.models import ReturnHomeInterview
from mispers.reviews.models import Notification

from .models import PartnerOrganisation, Responsibility, SharingRecord
from .permissions import can_read_findings, can_read_sharing_log  # noqa: F401
from .selectors import (
    is_partner,
    organisations_responsible,
    partner_episode_for,
    partner_episodes,
    partner_force_ids,
)

ALERT_KINDS = ("partner_missing", "partner_found", "partner_rhi_commissioned")
STATUS_WORDS = {Episode.State.REPORTED: "missing", Episode.State.OPEN: "missing",
                Episode.State.FOUND: "found", Episode.State.CLOSED: "closed"}
# Police roles that read the force's information-sharing log: it names children, so not the
# analyst or the force administrator (ADR 0018).


@dataclass(frozen=True)
class InterviewClock:
    """Where the return-home interview is, and whether it is late."""

    id: object
    due_at: dt.datetime
    stage: str  # referred, offered, accepted, declined, completed
    overdue: bool
    offered_at: dt.datetime | None
    completed_at: dt.datetime | None
    within_72_hours: bool | None
    provider_id: object
    provider_name: str
    shared_at: dt.datetime | None

    @property
    def stage_label(self) -> str:
        return {"referred": "Not yet offered", "offered": "Offered, waiting for an answer",
                "accepted": "Accepted, not yet held", "declined": "Declined by the child",
                "completed": "Completed"}[self.stage]


@dataclass(frozen=True)
class EpisodeStatus:
    """An episode as a partner sees it."""

    episode_id: object
    reference: str
    child_id: object
    status: str  # missing, found, closed
    reported_at: dt.datetime
    last_seen_at: dt.datetime
    found_at: dt.datetime | None
    interview: InterviewClock | None

    @property
    def status_label(self) -> str:
        return self.status.capitalize()


def interview_clock(*, interview: ReturnHomeInterview, now: dt.datetime) -> InterviewClock:
    if interview.completed_at:
        stage = "completed"
    elif interview.response:
        stage = interview.response
    else:
        stage = "offered" if interview.offered_at else "referred"
    overdue = stage not in ("completed", "declined") and now > interview.due_at
    provider = interview.provider
    return InterviewClock(
        id=interview.pk, due_at=interview.due_at, stage=stage, overdue=overdue,
        offered_at=interview.offered_at, completed_at=interview.completed_at,
        within_72_hours=interview.within_72_hours, provider_id=interview.provider_id,
        provider_name=provider.name if provider else interview.local_authority,
        shared_at=interview.shared_at)


def episode_status(*, episode: Episode, now: dt.datetime) -> EpisodeStatus:
    """`episode` with found and return_home_interview (and its provider) loaded."""
    found = getattr(episode, "found", None)
    interview = getattr(episode, "return_home_interview", None)
    return EpisodeStatus(
        episode_id=episode.pk, reference=episode.reference, child_id=episode.child_id,
        status=STATUS_WORDS.get(episode.state, episode.state), reported_at=episode.reported_at,
        last_seen_at=episode.last_seen_at, found_at=found.found_at if found else None,
        interview=interview_clock(interview=interview, now=now) if interview else None)


def _with_return(queryset: QuerySet[Episode]) -> QuerySet[Episode]:
    return queryset.select_related("found", "return_home_interview",
                                   "return_home_interview__provider")


def episode_statuses(*, user, child, now: dt.datetime) -> list[EpisodeStatus]:
    """The child's episodes the user's organisation may see, newest first."""
    episodes = _with_return(partner_episodes(user=user, child=child)).order_by("-reported_at")
    return [episode_status(episode=episode, now=now) for episode in episodes]


def partner_episode_status(*, user, episode_id, now: dt.datetime) -> tuple[Episode, EpisodeStatus]:
    """One episode the user's organisation may see (NotFound otherwise), with its status."""
    try:
        episode = _with_return(partner_episodes(user=user)).select_related("child").get(
            pk=episode_id)
    except (Episode.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Episode not found") from exc
    return episode, episode_status(episode=episode, now=now)


def latest_statuses(*, user, child_ids, now: dt.datetime) -> dict:
    """The latest visible episode's status of each child in `child_ids` (children with none are
    absent). Two queries whatever the caseload: the newest episode id per child, then those
    episodes with their return."""
    newest: dict = {}
    rows = (partner_episodes(user=user).filter(child_id__in=list(child_ids))
            .order_by().values_list("child_id", "reported_at", "id"))
    for child_id, reported_at, episode_id in rows:
        if child_id not in newest or reported_at > newest[child_id][0]:
            newest[child_id] = (reported_at, episode_id)
    episodes = _with_return(Episode.objects.filter(pk__in=[pk for _, pk in newest.values()]))
    return {episode.child_id: episode_status(episode=episode, now=now) for episode in episodes}


# --- the return-home interview ----------------------------------------------------------------

def rhi_provider_for(*, child, on: dt.date) -> PartnerOrganisation | None:
    """Who carries out the child's return-home interview on `on`: the provider the local
    authority commissioned (a return-interview responsibility for the child) or, when it has
    commissioned nobody, the placing authority itself, whose duty the interview is."""
    for kind in (Responsibility.Kind.RHI_PROVIDER, Responsibility.Kind.PLACING_AUTHORITY):
        provider = organisations_responsible(child=child, on=on, kinds=[kind]).order_by(
            "name").first()
        if provider is not None:
            return provider
    return None


def partner_interview_for(*, user, interview_id) -> ReturnHomeInterview:
    """A return-home interview the user's organisation provides or, as placing authority, may
    read; NotFound for anyone else."""
    try:
        interview = ReturnHomeInterview.objects.select_related(
            "episode", "episode__child", "episode__found", "provider").get(pk=interview_id)
    except (ReturnHomeInterview.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Return-home interview not found") from exc
    if not can_read_findings(user=user, interview=interview):
        raise NotFound("Return-home interview not found")
    if interview.provider_id != user.organisation_id:
        partner_episode_for(user=user, episode_id=interview.episode_id)  # NotFound if not theirs
    return interview


def interviews_for_provider(*, user, now: dt.datetime) -> dict[str, list]:
    """The interviews commissioned from the user's organisation: still to do (soonest due first)
    and the most recent done."""
    if not is_partner(user):
        return {"to_do": [], "done": []}
    base = (ReturnHomeInterview.objects.filter(
        provider_id=user.organisation_id,
        episode__force_id__in=partner_force_ids(user=user))
            .select_related("episode", "episode__child", "episode__found", "provider"))
    done = Q(completed_at__isnull=False) | Q(response=ReturnHomeInterview.Response.DECLINED)
    return {
        "to_do": [(i, interview_clock(interview=i, now=now))
                  for i in base.exclude(done).order_by("due_at")],
        "done": [(i, interview_clock(interview=i, now=now))
                 for i in base.filter(done).order_by("-modified_at")[:50]],
    }


# --- alerts -----------------------------------------------------------------------------------

def partner_alerts_for(*, user, include_acknowledged: bool = False) -> QuerySet[Notification]:
    if not is_partner(user):
        return Notification.objects.none()
    qs = (Notification.objects.filter(recipient=user, kind__in=ALERT_KINDS,
                                      episode__force_id__in=partner_force_ids(user=user))
          .select_related("episode").order_by("-created_at", "-id"))
    return qs if include_acknowledged else qs.filter(acknowledged_at__isnull=True)


# --- the information-sharing log --------------------------------------------------------------

def sharing_log_for(*, user, child_id=None, organisation_id=None) -> QuerySet[SharingRecord]:
    """Police: the force's log (everything shared about its children), optionally one child's
    or one organisation's (shared with it or by its users). A partner administrator: what was
    shared with or by their organisation."""
    if not can_read_sharing_log(user):
        return SharingRecord.objects.none()
    if is_partner(user):
        qs = SharingRecord.objects.filter(
            Q(organisation_id=user.organisation_id)
            | Q(shared_by__organisation_id=user.organisation_id),
            child__force_id__in=partner_force_ids(user=user))
    else:
        qs = SharingRecord.objects.filter(child__force_id=user.force_id)
    if child_id:
        qs = qs.filter(child_id=child_id)
    if organisation_id and not is_partner(user):
        qs = qs.filter(Q(organisation_id=organisation_id)
                       | Q(shared_by__organisation_id=organisation_id))
    return qs.select_related("shared_by", "organisation", "force", "child", "episode").order_by(
        "-at", "-id")


def sharing_log_page(*, user, child_id=None, organisation_id=None, page=1, per_page: int = 50):
    return Paginator(sharing_log_for(user=user, child_id=child_id,
                                     organisation_id=organisation_id), per_page).get_page(page)
