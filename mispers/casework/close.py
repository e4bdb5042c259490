"""Close a case: the workflow, in order and in one transaction (issue 10, ADR 25).

Closure ends the police investigation, so nothing may be dropped by it. The episode is locked and
read afresh (ADR 20); who may close is checked (a sergeant or above, an inspector if it was ever
graded high); then closure is refused, naming every blocker at once, while:
- an action is open (each is done, or cancelled with a reason by a supervisor);
- a proposed marker waits for a decision;
- the prevention interview is neither recorded nor excused with a supervisor's approval;
- the return-home interview is unresolved (neither completed nor declined by the child);
- any part of the closing summary is empty (what happened, why the child went, the risks found,
  what next).
Only then is it closed with its summary (`returns.services.closing_save`): pending handovers
and deadlines end, except the return-home interview's, which is the local authority's duty."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from mispers.episodes.models import Episode
from mispers.episodes.services import IllegalTransition, episode_lock
from mispers.returns.models import (
    Condition,
    FoundRecord,
    MarkerProposal,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from mispers.returns.permissions import close_refusal
from mispers.returns.services import (
    CLOSING_PARTS,
    ClosingDetails,
    ReturnInvalid,
    closing_save,
    closing_summary_missing,
)


class ClosureBlocked(ReturnInvalid):
    """Something is outstanding: the case cannot close yet. `blockers` names each."""

    HEADLINE = "This episode cannot be closed yet"

    def __init__(self, blockers: list["Blocker"]):
        super().__init__(f"{self.HEADLINE}: " + "; ".join(b.text for b in blockers))
        self.blockers = blockers


@dataclass(frozen=True)
class Blocker:
    """One reason the case cannot close, in words, and the part of the episode page (anchor)
    where it is put right."""
    text: str
    where: str


def rhi_resolved(interview: ReturnHomeInterview | None) -> bool:
    return interview is not None and (
        interview.completed_at is not None
        or interview.response == ReturnHomeInterview.Response.DECLINED)


def closure_blockers(*, episode: Episode) -> list[Blocker]:
    """What stands between a found child's episode and its closure (not the summary, which is
    written on the closing page itself). The close page shows them before anyone tries."""
    blockers = []
    for action in episode.actions.filter(done_at__isnull=True).order_by("due_at", "created_at"):
        blockers.append(Blocker(f"Open action: {action.title}. Record it done, or a supervisor "
                                "cancels it with a reason", "actions"))
    for proposal in episode.marker_proposals.filter(status=MarkerProposal.Status.PROPOSED):
        blockers.append(Blocker(f"The proposed {proposal.kind} marker (from the "
                                f"{proposal.source.replace('_', ' ')}) needs a decision: "
                                "confirm or reject it", "markers"))
    # Read afresh, not through the episode's cached relations: the page may have shown an
    # earlier state of the same object.
    waiver = PreventionWaiver.objects.filter(episode=episode).first()
    deceased = FoundRecord.objects.filter(episode=episode,
                                          condition=Condition.DECEASED).exists()
    interviewed = PreventionInterview.objects.filter(episode=episode).exists()
    if not deceased and not interviewed and not (waiver and waiver.approved_at):
        blockers.append(Blocker("Record the prevention interview, or a reason it could not "
                                "happen approved by a supervisor", "prevention-interview"))
    interview = ReturnHomeInterview.objects.filter(episode=episode).first()
    if not deceased and not rhi_resolved(interview):
        blockers.append(Blocker("The return-home interview is unresolved: record it completed, "
                                "or declined by the child", "rhi"))
    return blockers


@transaction.atomic
def episode_close(*, actor, now: dt.datetime, episode: Episode, summary: ClosingDetails,
                  expected_version: int | None = None) -> Episode:
    episode = episode_lock(episode=episode, expected_version=expected_version)  # ADR 20
    if episode.state in {Episode.State.CLOSED, Episode.State.WITHDRAWN}:
        # Someone closed it first: the case moved on under this user (409).
        raise IllegalTransition(f"Episode {episode.reference} is "
                                f"{episode.get_state_display().lower()}: only a found child's "
                                "episode can be closed")
    if episode.state != Episode.State.FOUND:
        raise ReturnInvalid(f"Episode {episode.reference} is "
                            f"{episode.get_state_display().lower()}: only a found child's "
                            "episode can be closed")
    refusal = close_refusal(actor, episode)
    if refusal:
        raise ReturnInvalid(refusal)
    blockers = closure_blockers(episode=episode)
    blockers += [Blocker(f"Write the closing summary: {CLOSING_PARTS[name]}", name)
                 for name in closing_summary_missing(summary)]
    if blockers:
        raise ClosureBlocked(blockers)
    return closing_save(actor=actor, now=now, episode=episode, summary=summary,
                        expected_version=expected_version)
