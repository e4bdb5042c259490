"""The interviews after a return, as workflows (issue 10): the interview is recorded by its
service, then anything it newly disclosed (harm in words, or indicators of exploitation) goes to
`harm.after_disclosure` in the same transaction, so the officer in the case and their supervisors
are told at once and the tasks are set. Pages and the API call these, not the services."""

import datetime as dt

from django.db import transaction

from mispers.episodes.services import episode_lock
from mispers.intelligence.suggest import prevention_interview_read, return_home_interview_read
from mispers.partners.services.interviews import partner_interview_record
from mispers.returns.models import PreventionInterview, ReturnHomeInterview
from mispers.returns.services import prevention_interview_record, return_interview_update

from .harm import after_disclosure, disclosure_of


@transaction.atomic
def prevention_interview_workflow(*, actor, now: dt.datetime, episode,
                                  **fields) -> PreventionInterview:
    interview = prevention_interview_record(actor=actor, now=now, episode=episode, **fields)
    indicators, harm = disclosure_of(indicators_after=interview.indicators,
                                     harm_after=interview.harm_disclosed)
    after_disclosure(actor=actor, now=now, episode=interview.episode,
                     source="prevention_interview", indicators=indicators, summary=harm)
    # Issue 14: names, numbers and plates in the child's account, for an officer to confirm.
    prevention_interview_read(actor=actor, now=now, interview=interview)
    return interview


def _before(interview: ReturnHomeInterview) -> tuple[list[str], str]:
    """The interview's indicators and harm as stored, read under the episode's lock (ADR 20)."""
    episode_lock(episode=interview.episode)
    stored = ReturnHomeInterview.objects.filter(pk=interview.pk).values_list(
        "indicators", "harm").first()
    return (list(stored[0] or []), stored[1] or "") if stored else ([], "")


def _after(*, actor, now, interview: ReturnHomeInterview, before) -> None:
    indicators, harm = disclosure_of(indicators_before=before[0],
                                     indicators_after=interview.indicators,
                                     harm_before=before[1], harm_after=interview.harm)
    after_disclosure(actor=actor, now=now, episode=interview.episode,
                     source="return_home_interview", indicators=indicators, summary=harm)
    # Issue 14: suggestions for the police to confirm. The provider's worker reads none of
    # them: when they recorded it, the suggestions are made by no one (`actor=None`).
    police = actor if not getattr(actor, "organisation_id", None) else None
    return_home_interview_read(actor=police, now=now, interview=interview)


@transaction.atomic
def return_interview_workflow(*, actor, now: dt.datetime, interview: ReturnHomeInterview,
                              **fields) -> ReturnHomeInterview:
    """Police record the return-home interview (`return_interview_update`)."""
    before = _before(interview)
    interview = return_interview_update(actor=actor, now=now, interview=interview, **fields)
    _after(actor=actor, now=now, interview=interview, before=before)
    return interview


@transaction.atomic
def partner_interview_workflow(*, actor, now: dt.datetime, interview: ReturnHomeInterview,
                               **fields) -> ReturnHomeInterview:
    """The provider records the return-home interview (`partner_interview_record`); the
    notification goes to police users only."""
    before = _before(interview)
    interview = partner_interview_record(actor=actor, now=now, interview=interview, **fields)
    _after(actor=actor, now=now, interview=interview, before=before)
    return interview
