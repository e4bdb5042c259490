"""Writes for the return and closure: found, prevention interview (or an approved reason it could
not happen), proposed markers, the return-home interview, closing and withdrawing."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mispers.accounts.roles import (
    MARKER_ROLES,
    PARTNER_RHI_ROLES,
    RATIFY_ROLES,
    RHI_ROLES,
    rank_at_least,
)
from mispers.core.errors import DomainError, NotFound, PermissionDenied
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.services import (
    episode_lock,
    episode_touch,
    timeline_record,
)
from mispers.partners.selectors import is_partner, works_for_force
from mispers.partners.working_selectors import rhi_provider_for
from mispers.people.models import Marker, MarkerSubtype
from mispers.people.selectors import exploitation_marker_active, marker_overlapping
from mispers.people.services import marker_add, marker_annotate
from mispers.reviews.clocks import hours
from mispers.reviews.deadlines import (
    deadline_open,
    deadlines_close,
    deadlines_close_all,
    pending_deadline,
)
from mispers.reviews.models import Deadline
from mispers.reviews.services import MISSING_ONLY_KINDS, handovers_cancel
from mispers.risk.selectors import policy_for_force

from .models import (
    ClosingSummary,
    Condition,
    FoundBy,
    FoundRecord,
    Harm,
    Indicator,
    InterviewAddendum,
    MarkerProposal,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from .permissions import can_withdraw

Kind = Deadline.Kind


class ReturnInvalid(DomainError):
    """The return, interview or closure is not acceptable as given."""


def _check_codes(values: Iterable[str], allowed, field: str) -> list[str]:
    values = list(dict.fromkeys(values))
    unknown = [value for value in values if value not in allowed.values]
    if unknown:
        raise ReturnInvalid(f"Unknown {field.replace('_', ' ')}: {', '.join(unknown)}",
                            field=field)
    return values


def _check_time(when: dt.datetime, *, now: dt.datetime, not_before: dt.datetime,
                before_words: str, field: str) -> None:
    if when > now:
        raise ReturnInvalid("This time cannot be in the future", field=field)
    if when < not_before:
        raise ReturnInvalid(before_words, field=field)


@transaction.atomic
def found_save(*, actor, now: dt.datetime, episode: Episode, found_at: dt.datetime,
               found_where: str, found_by: str, condition: str, harms: Iterable[str] = (),
               notes: str = "", expected_version: int | None = None,
               found_place=None) -> FoundRecord:
    """The found record: the episode leaves "missing" and the clocks that only run while a child
    is missing stop. Only the record: the found workflow (`mispers.casework.found`) opens the
    interviews' clocks, the return checklist and what harm sets in motion. Open actions stay
    open: each is done, or cancelled with a reason by a supervisor, before the case closes."""
    # ADR 20: lock and re-read first; a parallel "found" waits, then finds it already found.
    episode = episode_lock(episode=episode, expected_version=expected_version)
    if episode.state == Episode.State.REPORTED:
        raise ReturnInvalid("Grade the risk before recording the return: every report is "
                            "graded")
    _check_time(found_at, now=now, not_before=episode.last_seen_at, field="found_at",
                before_words="Found cannot be before the child was last seen")
    if not found_where.strip():
        raise ReturnInvalid("Say where the child was found", field="found_where")
    if found_by not in FoundBy.values:
        raise ReturnInvalid("Choose who found the child", field="found_by")
    if condition not in Condition.values:
        raise ReturnInvalid("Choose the child's condition", field="condition")
    harms = _check_codes(harms, Harm, "harms")
    if found_place is not None and (found_place.force_id != episode.force_id
                                    or found_place.merged_into_id is not None):
        raise ReturnInvalid("Place not found: choose it again", field="found_place")
    if condition in {Condition.HARMED, Condition.CRIME_VICTIM,
                     Condition.SEXUAL_OFFENCE_VICTIM} and not harms:
        raise ReturnInvalid("Record the kinds of harm", field="harms")
    episode_touch(episode=episode, actor=actor, now=now, expected_version=expected_version,
                  transition="mark_found")
    record = FoundRecord(episode=episode, found_at=found_at, found_where=found_where.strip(),
                         found_by=found_by, condition=condition, harms=harms,
                         notes=notes.strip(), found_place=found_place)
    record.stamp(actor=actor, now=now)
    record.save()
    deadlines_close(episode=episode, kinds=MISSING_ONLY_KINDS, now=now, actor=actor,
                    status=Deadline.Status.CANCELLED, note="Child found")
    missing = found_at - episode.last_seen_at
    timeline_record(
        episode=episode, at=now, actor=actor, code=TimelineEvent.Code.FOUND,
        summary=f"Found {found_at:%d %b %H:%M} at {record.found_where} "
                f"({record.get_found_by_display().lower()}), "
                f"{record.get_condition_display().lower()}; missing {_duration(missing)}",
        data={"found": str(record.pk)})
    return record


def interviews_open(*, actor, now: dt.datetime, episode: Episode,
                    record: FoundRecord) -> ReturnHomeInterview:
    """A returned child's interviews: the police prevention interview's clock, and the
    return-home interview referred to the local authority (or the provider it commissioned).
    Hours from the policy file. Not for a child found deceased."""
    policy = policy_for_force(episode.force)
    found_at = record.found_at
    deadline_open(episode=episode, kind=Kind.PREVENTION_INTERVIEW, rank="officer", now=now,
                  due_at=found_at + hours(policy.deadlines.prevention_interview_due_hours))
    rhi_due = found_at + hours(policy.deadlines.return_home_interview_due_hours)
    child = episode.child
    rhi = ReturnHomeInterview(episode=episode, referred_at=now, due_at=rhi_due,
                              local_authority=child.local_authority
                              or "Children's services for the child's home area",
                              # the partner commissioned for the child's interviews, if any
                              provider=rhi_provider_for(child=child,
                                                        on=timezone.localdate(now)))
    rhi.stamp(actor=actor, now=now)
    rhi.save()
    deadline_open(episode=episode, kind=Kind.RETURN_HOME_INTERVIEW, rank="sergeant", now=now,
                  due_at=rhi_due)
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.RHI_REFERRED,
                    summary=f"Return-home interview referred to "
                            f"{rhi.provider.name if rhi.provider else rhi.local_authority}, due by "
                            f"{rhi_due:%d %b %H:%M}",
                    data={"rhi": str(rhi.pk)})
    return rhi


def _duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    text = f"{rest // 60} h {rest % 60} min"
    return f"{days} d {text}" if days else text


# What each disclosed indicator says about the kind of exploitation; the general signs (older
# associates, gifts) point to "other" only when nothing more specific was disclosed.
SUBTYPE_OF_INDICATOR = {
    Indicator.SEXUAL_EXPLOITATION: MarkerSubtype.SEXUAL,
    Indicator.CRIMINAL_EXPLOITATION: MarkerSubtype.CRIMINAL,
    Indicator.TRAFFICKING: MarkerSubtype.TRAFFICKING,
}


def subtypes_disclosed(indicators) -> list[str]:
    """The kinds of exploitation the indicators point to, most specific first."""
    specific = [SUBTYPE_OF_INDICATOR[code] for code in SUBTYPE_OF_INDICATOR if code in indicators]
    return specific or [MarkerSubtype.OTHER]


def _propose_marker(*, actor, now, episode: Episode, indicators: list[str], source: str) -> None:
    if not indicators:
        return
    proposal = MarkerProposal(episode=episode, child=episode.child,
                              kind=Marker.Kind.EXPLOITATION, indicators=indicators,
                              source=source)
    proposal.stamp(actor=actor, now=now)
    proposal.save()
    if pending_deadline(episode=episode, kind=Kind.MARKER_DECISION) is None:
        decide_hours = policy_for_force(episode.force).deadlines.marker_decision_due_hours
        deadline_open(episode=episode, kind=Kind.MARKER_DECISION, rank="sergeant", now=now,
                      due_at=now + hours(decide_hours))
    names = ", ".join(dict(Indicator.choices)[code].lower() for code in indicators)
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.MARKER_PROPOSED,
                    summary=f"Exploitation marker proposed from the {source.replace('_', ' ')}: "
                            f"{names}. A supervisor or the coordinator confirms it",
                    data={"proposal": str(proposal.pk)})


# A marker proposed because the child joined an exploitation hub (issue 14, ADR 51): police
# intelligence, not a disclosure. Confirmed, it is a marker from police intelligence.
HUB_SOURCE = "exploitation_hub"
PROPOSAL_MARKER_SOURCE = {HUB_SOURCE: "police"}


@transaction.atomic
def marker_propose_for_hub(*, actor, now: dt.datetime, episode: Episode,
                           indicators: Iterable[str] = ()) -> MarkerProposal | None:
    """Propose an exploitation marker because the child is linked to an exploitation hub, with
    the marker decision's deadline (policy `marker_decision_due_hours`). Nothing when the child
    already has an active exploitation marker or a proposal waiting for a decision. `indicators`:
    the kind of exploitation the hub points to, if known; none proposes "other". The episode's
    timeline (which partners may read) does not name the hub."""
    episode = episode_lock(episode=episode)
    child = episode.child
    if exploitation_marker_active(child=child, on=now.date()) is not None:
        return None
    if MarkerProposal.objects.filter(child=child, kind=Marker.Kind.EXPLOITATION,
                                     status=MarkerProposal.Status.PROPOSED).exists():
        return None
    indicators = _check_codes(indicators, Indicator, "indicators")
    proposal = MarkerProposal(episode=episode, child=child, kind=Marker.Kind.EXPLOITATION,
                              indicators=indicators, source=HUB_SOURCE)
    proposal.stamp(actor=actor, now=now)
    proposal.save()
    # A closed case runs no clocks: the proposal waits on the episode's page for a decision.
    if (episode.state not in {Episode.State.CLOSED, Episode.State.WITHDRAWN}
            and pending_deadline(episode=episode, kind=Kind.MARKER_DECISION) is None):
        decide_hours = policy_for_force(episode.force).deadlines.marker_decision_due_hours
        deadline_open(episode=episode, kind=Kind.MARKER_DECISION, rank="sergeant", now=now,
                      due_at=now + hours(decide_hours))
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.MARKER_PROPOSED,
                    summary="Exploitation marker proposed from police intelligence (linked to "
                            "an exploitation hub). A supervisor or the coordinator confirms it",
                    data={"proposal": str(proposal.pk), "source": HUB_SOURCE})
    return proposal


@transaction.atomic
def prevention_interview_record(*, actor, now: dt.datetime, episode: Episode,
                                held_at: dt.datetime, where_child_was: str, why_left: str,
                                child_account: str, with_whom: str = "",
                                harm_disclosed: str = "",
                                indicators: Iterable[str] = ()) -> PreventionInterview:
    episode = episode_lock(episode=episode)  # ADR 20
    if episode.state != Episode.State.FOUND:
        raise ReturnInvalid("Record the return before the prevention interview")
    if hasattr(episode, "prevention_interview"):
        raise ReturnInvalid("The prevention interview is already recorded")
    _check_time(held_at, now=now, not_before=episode.found.found_at, field="held_at",
                before_words="The interview cannot be before the child's return")
    for field, value, words in [("where_child_was", where_child_was, "where the child was"),
                                ("why_left", why_left, "why the child left"),
                                ("child_account", child_account,
                                 "the child's own account, in their words")]:
        if not value.strip():
            raise ReturnInvalid(f"Record {words}", field=field)
    indicators = _check_codes(indicators, Indicator, "indicators")
    interview = PreventionInterview(
        episode=episode, interviewer=actor, held_at=held_at,
        where_child_was=where_child_was.strip(), with_whom=with_whom.strip(),
        why_left=why_left.strip(), harm_disclosed=harm_disclosed.strip(),
        indicators=indicators, child_account=child_account.strip())
    interview.stamp(actor=actor, now=now)
    interview.save()
    deadlines_close(episode=episode, kinds=[Kind.PREVENTION_INTERVIEW], now=now, actor=actor)
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.PREVENTION_INTERVIEW,
                    summary=f"Prevention interview by {actor} on {held_at:%d %b %H:%M}. Why "
                            f"they left: {interview.why_left}",
                    data={"interview": str(interview.pk)})
    _propose_marker(actor=actor, now=now, episode=episode, indicators=indicators,
                    source="prevention_interview")
    return interview


@transaction.atomic
def prevention_waiver_request(*, actor, now: dt.datetime, episode: Episode,
                              reason: str) -> PreventionWaiver:
    episode = episode_lock(episode=episode)  # decide on the state as it is now (ADR 20)
    if episode.state != Episode.State.FOUND:
        raise ReturnInvalid("Record the return first")
    if hasattr(episode, "prevention_interview") or hasattr(episode, "prevention_waiver"):
        raise ReturnInvalid("The prevention interview is already recorded or excused")
    if not reason.strip():
        raise ReturnInvalid("Say why the prevention interview could not happen",
                            field="reason")
    waiver = PreventionWaiver(episode=episode, reason=reason.strip())
    waiver.stamp(actor=actor, now=now)
    waiver.save()
    deadline_open(episode=episode, kind=Kind.WAIVER_APPROVAL, rank="sergeant", now=now,
                  due_at=now + hours(
                      policy_for_force(episode.force).deadlines.waiver_approval_due_hours))
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.PREVENTION_WAIVER_REQUESTED,
                    summary=f"Prevention interview could not happen: {waiver.reason}. Needs a "
                            "supervisor's approval",
                    data={"waiver": str(waiver.pk)})
    return waiver


@transaction.atomic
def prevention_waiver_approve(*, actor, now: dt.datetime,
                              waiver: PreventionWaiver) -> PreventionWaiver:
    episode_lock(episode=waiver.episode)  # ADR 20: the episode first
    waiver = PreventionWaiver.objects.select_for_update().select_related("episode").get(
        pk=waiver.pk)
    if not (actor.has_role(*RATIFY_ROLES) and rank_at_least(actor.rank, "sergeant")):
        raise ReturnInvalid("Only a supervisor may approve this")
    if waiver.created_by_id == actor.pk:
        raise ReturnInvalid("You asked for this: another supervisor must approve it")
    if waiver.approved_at is not None:
        raise ReturnInvalid("Already approved")
    waiver.approved_by, waiver.approved_at = actor, now
    waiver.stamp(actor=actor, now=now)
    waiver.save()
    deadlines_close(episode=waiver.episode, kinds=[Kind.WAIVER_APPROVAL,
                                                   Kind.PREVENTION_INTERVIEW],
                    now=now, actor=actor, note="Waiver approved")
    timeline_record(episode=waiver.episode, at=now, actor=actor,
                    code=TimelineEvent.Code.PREVENTION_WAIVER_APPROVED,
                    summary=f"{actor.display_with_rank} approved the reason the prevention "
                            "interview could not happen",
                    data={"waiver": str(waiver.pk)})
    return waiver


@transaction.atomic
def marker_proposal_decide(*, actor, now: dt.datetime, proposal: MarkerProposal, confirm: bool,
                           note: str = "") -> MarkerProposal:
    episode_lock(episode=proposal.episode)  # ADR 20: the episode first
    proposal = MarkerProposal.objects.select_for_update().select_related(
        "episode", "child").get(pk=proposal.pk)
    if not actor.has_role(*MARKER_ROLES):
        raise ReturnInvalid("Only a supervisor or the coordinator may decide on a marker")
    if proposal.status != MarkerProposal.Status.PROPOSED:
        raise ReturnInvalid("This proposal has already been decided")
    if not confirm and not note.strip():
        raise ReturnInvalid("Say why the marker is not confirmed", field="note")
    kept, labels = None, []
    if confirm:
        disclosed = (f"Linked to an exploitation hub (police intelligence) during "
                     f"{proposal.episode.reference}" if proposal.source == HUB_SOURCE else
                     f"Disclosed at the {proposal.source.replace('_', ' ')} of "
                     f"{proposal.episode.reference}")
        # One active marker per kind of exploitation (ADR 22, ADR 38): a later disclosure is
        # added to the marker the child already has, not recorded as a second one.
        subtypes = subtypes_disclosed(proposal.indicators)
        for subtype in subtypes:
            active = marker_overlapping(child=proposal.child, kind=proposal.kind,
                                        subtype=subtype, active_from=now.date())
            if subtypes == [MarkerSubtype.OTHER] and active is None:
                # Only general signs (older associates, gifts): they add to whichever
                # exploitation marker the child already has rather than open an "other" one.
                active = exploitation_marker_active(child=proposal.child, on=now.date())
            if active is None:
                marker = marker_add(actor=actor, now=now, child=proposal.child,
                                    kind=proposal.kind, subtype=subtype,
                                    source=PROPOSAL_MARKER_SOURCE.get(proposal.source,
                                                                      proposal.source),
                                    active_from=now.date(),
                                    note=disclosed)
            else:
                kept = kept or active
                marker = marker_annotate(
                    actor=actor, now=now, marker=active,
                    note=f"{disclosed}, confirmed by {actor.display_with_rank}")
            proposal.marker = proposal.marker or marker
            labels.append(MarkerSubtype(subtype).label.lower())
    proposal.status = (MarkerProposal.Status.CONFIRMED if confirm
                       else MarkerProposal.Status.REJECTED)
    proposal.decided_by, proposal.decided_at, proposal.decision_note = actor, now, note.strip()
    proposal.stamp(actor=actor, now=now)
    proposal.save()
    if not proposal.episode.marker_proposals.filter(
            status=MarkerProposal.Status.PROPOSED).exists():
        deadlines_close(episode=proposal.episode, kinds=[Kind.MARKER_DECISION], now=now,
                        actor=actor)
    timeline_record(episode=proposal.episode, at=now, actor=actor,
                    code=TimelineEvent.Code.MARKER_DECIDED,
                    summary=f"{actor.display_with_rank} "
                            f"{'confirmed' if confirm else 'rejected'} the proposed "
                            f"exploitation marker"
                            + (f" ({', '.join(labels)})" if labels else "")
                            + (f", added to the child's marker active from "
                               f"{kept.active_from:%-d %b %Y}" if kept else "")
                            + (f": {note.strip()}" if note.strip() else ""),
                    data={"proposal": str(proposal.pk),
                          **({"marker": str(proposal.marker_id), "added_to_active": bool(kept)}
                             if confirm else {})})
    return proposal


RHI_FINDINGS = ("where_went", "with_whom", "why_left", "harm", "what_would_help", "child_words")


# Partner users who record the interview: the provider's return-interview workers, and the
# placing authority's social workers when the authority is itself the provider.
INTERVIEW_CONFLICT = ("Someone else has changed this return-home interview since you opened it. "
                      "Reload the page to see their changes, then try again.")


class InterviewConflict(DomainError):
    """Someone else changed the return-home interview since this user loaded it (409)."""


class InterviewFrozen(ReturnInvalid):
    """The interview's findings were completed and shared: they are never edited again."""


def _check_interview_actor(actor) -> bool:
    """Who may write to a return-home interview at all; answers whether it is a partner."""
    partner = is_partner(actor)
    if partner and not actor.has_role(*PARTNER_RHI_ROLES):
        raise ReturnInvalid("Only return-interview workers and social workers of the provider "
                            "record the return-home interview")
    if not partner and not actor.has_role(*RHI_ROLES):
        raise ReturnInvalid("Only the coordinator, officers and supervisors record the "
                            "return-home interview")
    return partner


def _lock_interview(*, actor, interview: ReturnHomeInterview, partner: bool,
                    expected_version: int | None) -> ReturnHomeInterview:
    """ADR 20: the episode's row first (as every service), then the interview's, read afresh;
    refuse a write based on an older version than the one now stored."""
    episode_lock(episode=interview.episode)
    # Lock the interview row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to the found record.
    interview = ReturnHomeInterview.objects.select_for_update(of=("self",)).select_related(
        "episode", "episode__found", "episode__child", "provider").get(pk=interview.pk)
    if partner and (interview.provider_id != actor.organisation_id
                    or not works_for_force(user=actor, force_id=interview.episode.force_id)):
        raise NotFound("Return-home interview not found")  # not theirs (ADR 0014)
    if not partner and interview.episode.force_id != actor.force_id:
        raise NotFound("Return-home interview not found")
    if expected_version is not None and interview.version != expected_version:
        raise InterviewConflict(INTERVIEW_CONFLICT)
    return interview


def _frozen_words(interview: ReturnHomeInterview) -> str:
    when = timezone.localtime(interview.completed_at)
    return (f"The findings were completed on {when:%d %b %Y %H:%M} and shared with police: "
            "they cannot be changed. Record a correction as an addendum, with the reason")


@transaction.atomic
def return_interview_update(*, actor, now: dt.datetime, interview: ReturnHomeInterview,
                            offered_at: dt.datetime | None = None, response: str = "",
                            completed_at: dt.datetime | None = None,
                            interviewer_name: str = "", indicators: Iterable[str] = (),
                            share: bool = False, expected_version: int | None = None,
                            **findings: str) -> ReturnHomeInterview:
    """Record the return-home interview's progress: offered, accepted or declined, completed
    with its findings; shared findings show on the child's page and in the next assessment.

    ADR 20: the interview is locked and its `version` checked; only the fields that change are
    saved. Once completed and shared its findings are frozen (a correction is an addendum);
    the completion time, the 72-hour measure, is never moved once recorded; while a provider is
    commissioned only the provider records the findings, police add addenda."""
    partner = _check_interview_actor(actor)
    unknown = set(findings) - set(RHI_FINDINGS)
    if unknown:
        raise ReturnInvalid(f"Unknown finding: {', '.join(sorted(unknown))}")
    interview = _lock_interview(actor=actor, interview=interview, partner=partner,
                                expected_version=expected_version)
    if interview.findings_frozen:
        raise InterviewFrozen(_frozen_words(interview))
    given = _check_codes(indicators, Indicator, "indicators")
    # Only indicators not recorded before propose a marker: a re-save must not propose twice.
    new_indicators = [code for code in given if code not in interview.indicators]
    changed_findings = {field: value.strip() for field, value in findings.items()
                        if value.strip() != getattr(interview, field)}
    interviewer_name = interviewer_name.strip()
    if interviewer_name == interview.interviewer_name:
        interviewer_name = ""
    moves_completion = completed_at is not None and completed_at != interview.completed_at
    if not partner and interview.provider_id is not None and (
            changed_findings or new_indicators or interviewer_name or moves_completion
            or share):
        raise PermissionDenied(f"{interview.provider.name} carries out this interview and "
                               "records its findings; police add an addendum to a completed "
                               "interview")
    saved: list[str] = []
    found_at = interview.episode.found.found_at
    before = "The interview cannot be before the child's return"
    if interview.completed_at is not None:
        # The interview happened: when it was offered, the answer and when it was completed
        # are the 72-hour measure, fixed once recorded.
        fixed = "The interview was completed on {:%d %b %Y %H:%M}: {} cannot be changed"
        when = timezone.localtime(interview.completed_at)
        if moves_completion:
            raise ReturnInvalid(fixed.format(when, "the time it was completed"),
                                field="completed_at")
        if offered_at is not None and offered_at != interview.offered_at:
            raise ReturnInvalid(fixed.format(when, "when it was offered"), field="offered_at")
        if response and response != interview.response:
            raise ReturnInvalid(fixed.format(when, "the child's answer"), field="response")
        offered_at, response, completed_at = None, "", None
    if offered_at is not None and offered_at != interview.offered_at:
        _check_time(offered_at, now=now, not_before=found_at, field="offered_at",
                    before_words=before)
        interview.offered_at = offered_at
        saved.append("offered_at")
    if response and response != interview.response:
        if response not in ReturnHomeInterview.Response.values:
            raise ReturnInvalid("Choose accepted or declined", field="response")
        if interview.offered_at is None:
            raise ReturnInvalid("Record when the interview was offered first",
                                field="offered_at")
        interview.response = response
        saved.append("response")
    if completed_at is not None:
        _check_time(completed_at, now=now, not_before=found_at, field="completed_at",
                    before_words=before)
        if interview.response != ReturnHomeInterview.Response.ACCEPTED:
            raise ReturnInvalid("Record that the child accepted the interview before completing "
                                "it" if not interview.response
                                else "An interview the child declined cannot be completed",
                                field="completed_at")
        if interview.offered_at is not None and completed_at < interview.offered_at:
            raise ReturnInvalid("The interview cannot be completed before it was offered",
                                field="completed_at")
        interview.completed_at = completed_at
        saved.append("completed_at")
    if interviewer_name:
        interview.interviewer_name = interviewer_name
        saved.append("interviewer_name")
    for field, value in changed_findings.items():
        setattr(interview, field, value)
        saved.append(field)
    if new_indicators:
        interview.indicators = [*interview.indicators, *new_indicators]
        saved.append("indicators")
    if share:
        if interview.completed_at is None:
            raise ReturnInvalid("Complete the interview before sharing its findings")
        interview.shared_at = now
        saved.append("shared_at")
    interview.version += 1
    interview.stamp(actor=actor, now=now)
    interview.save(update_fields=[*saved, "version", "modified_at", "modified_by"])
    if interview.completed_at or interview.response == ReturnHomeInterview.Response.DECLINED:
        deadlines_close(episode=interview.episode, kinds=[Kind.RETURN_HOME_INTERVIEW], now=now,
                        actor=actor)
    status = ("completed" + (" within 72 hours" if interview.within_72_hours else
                             " after 72 hours") if interview.completed_at
              else interview.get_response_display().lower() if interview.response
              else "offered" if interview.offered_at else "updated")
    timeline_record(episode=interview.episode, at=now, actor=actor,
                    code=TimelineEvent.Code.RHI_UPDATED,
                    summary=f"Return-home interview {status}"
                            + ("; findings shared with police" if share else ""),
                    data={"rhi": str(interview.pk), "changed": saved})
    _propose_marker(actor=actor, now=now, episode=interview.episode, indicators=new_indicators,
                    source="return_home_interview")
    return interview


@transaction.atomic
def interview_addendum_add(*, actor, now: dt.datetime, interview: ReturnHomeInterview,
                           reason: str, text: str,
                           expected_version: int | None = None) -> InterviewAddendum:
    """A correction or note to a completed return-home interview: the findings stay as they
    were recorded, the addendum says what is corrected and why, by whom and when (ADR 20).
    The provider's workers add to their interview; police add their own notes, never edit the
    provider's findings."""
    partner = _check_interview_actor(actor)
    interview = _lock_interview(actor=actor, interview=interview, partner=partner,
                                expected_version=expected_version)
    if interview.completed_at is None:
        raise ReturnInvalid("An addendum corrects a completed interview: until it is completed, "
                            "record the findings on the interview itself")
    if not reason.strip():
        raise ReturnInvalid("Say why the addendum is needed", field="reason")
    if not text.strip():
        raise ReturnInvalid("Write the addendum", field="text")
    addendum = InterviewAddendum.objects.create(
        interview=interview, author=actor, at=now, reason=reason.strip(), text=text.strip(),
        organisation_id=actor.organisation_id if partner else None)
    interview.version += 1
    interview.stamp(actor=actor, now=now)
    interview.save(update_fields=["version", "modified_at", "modified_by"])
    who = interview.provider.name if partner else actor.display_with_rank
    timeline_record(episode=interview.episode, at=now, actor=actor,
                    code=TimelineEvent.Code.RHI_UPDATED,
                    summary=f"Addendum to the return-home interview by {who}: "
                            f"{addendum.reason}",
                    data={"rhi": str(interview.pk), "addendum": addendum.pk})
    return addendum


@dataclass(frozen=True)
class ClosingDetails:
    """The closing summary (issue 10): every part is required."""
    what_happened: str = ""
    why_went: str = ""
    risks_found: str = ""
    what_next: str = ""


CLOSING_PARTS = {"what_happened": "what happened", "why_went": "why the child went",
                 "risks_found": "the risks found", "what_next": "what happens next"}


def closing_summary_missing(summary: ClosingDetails) -> list[str]:
    """The parts of the closing summary left empty, by field name."""
    return [name for name in CLOSING_PARTS if not getattr(summary, name).strip()]


def closing_save(*, actor, now: dt.datetime, episode: Episode, summary: ClosingDetails,
                 expected_version: int | None = None) -> Episode:
    """Close the episode with its summary. Only the record: the closure workflow
    (`mispers.casework.close.episode_close`) locks the episode and refuses while anything is
    outstanding; this is called after, in its transaction."""
    episode_touch(episode=episode, actor=actor, now=now, expected_version=expected_version,
                  transition="close")
    record = ClosingSummary(episode=episode,
                            **{name: getattr(summary, name).strip() for name in CLOSING_PARTS})
    record.stamp(actor=actor, now=now)
    record.save()
    handovers_cancel(episode=episode, actor=actor, now=now, note="Episode closed")
    # The return-home interview is the local authority's duty and outlives the police case.
    deadlines_close_all(episode=episode, now=now, actor=actor, note="Episode closed",
                        keep_kinds=[Kind.RETURN_HOME_INTERVIEW])
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.CLOSED,
                    summary=f"Closed by {actor.display_with_rank}. What happened: "
                            f"{record.what_happened} What next: {record.what_next}",
                    data={"closing_summary": str(record.pk)})
    return episode


@transaction.atomic
def withdrawal_save(*, actor, now: dt.datetime, episode: Episode, reason: str,
                    expected_version: int | None = None) -> Episode:
    """A report made in error is withdrawn: every clock stops and it leaves the repeat counts.
    A supervisor; an inspector while the child is still missing or if it was ever graded
    medium or high (ADR 22)."""
    if not actor.has_role(*RATIFY_ROLES):
        raise PermissionDenied("Only a supervisor may withdraw a report")
    if not reason.strip():
        raise ReturnInvalid("Say why the report was made in error", field="reason")
    episode = episode_lock(episode=episode, expected_version=expected_version)  # ADR 20
    # A found, closed or withdrawn episode cannot be withdrawn: episode_touch answers that (409).
    if episode.state in {Episode.State.REPORTED, Episode.State.OPEN} and not can_withdraw(
            actor, episode):
        raise PermissionDenied("Withdrawing a report needs an inspector or above while the child "
                               "is still missing or if it was ever graded medium or high",
                               field="reason")
    episode_touch(episode=episode, actor=actor, now=now, transition="withdraw")
    handovers_cancel(episode=episode, actor=actor, now=now, note="Report withdrawn")
    deadlines_close_all(episode=episode, now=now, actor=actor, note="Report withdrawn")
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.WITHDRAWN,
                    summary=f"Withdrawn by {actor.display_with_rank}: {reason.strip()}")
    return episode
