"""Every service that changes a case writes its timeline event (issue 10; house rule 4).

`changes_the_case_and_says_so` runs one service call and fails if it changed the case (the
episode's row, or any row hanging from it) without writing the expected timeline event in the same
call. `SERVICES` lists the services that change a case, each with the event it must write and the
steps that bring a case to where the service applies; a new service that changes a case gets a
row here."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from mispers.casework.allocate import episode_allocate
from mispers.casework.close import episode_close
from mispers.casework.found import return_record
from mispers.casework.grade import assessment_decline, assessment_ratify, assessment_record
from mispers.casework.interviews import prevention_interview_workflow, return_interview_workflow
from mispers.casework.review import review_complete
from mispers.casework.tests.closing import SUMMARY, settle
from mispers.casework.withdraw import episode_withdraw
from mispers.episodes.models import Action, EnquiryEntry, Episode, TimelineEvent
from mispers.returns.models import (
    FoundRecord,
    MarkerProposal,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from mispers.returns.services import (
    marker_proposal_decide,
    prevention_waiver_approve,
    prevention_waiver_request,
)
from mispers.returns.tests.test_return_services import all_no
from mispers.reviews.models import Deadline, Handover, Notification, Review
from mispers.reviews.services import (
    action_assign,
    action_cancel,
    action_complete,
    action_create,
    enquiry_record,
    handover_accept,
    handover_decline,
    handover_request,
)
from mispers.risk.models import Assessment

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
Code = TimelineEvent.Code
HANGING = (Assessment, Review, Deadline, Action, Handover, EnquiryEntry, FoundRecord,
           PreventionInterview, PreventionWaiver, MarkerProposal, ReturnHomeInterview,
           Notification)


def case_state(episode) -> tuple:
    """Everything a service can change about a case: the episode's row and the rows on it."""
    row = Episode.objects.filter(pk=episode.pk).values().get()
    row.pop("modified_at", None)
    hanging = tuple(tuple(sorted(map(str, model.objects.filter(episode=episode).values_list())))
                    for model in HANGING)
    return row, hanging


def timeline_codes(episode) -> list[str]:
    return list(TimelineEvent.objects.filter(episode=episode).order_by("id")
                .values_list("code", flat=True))


def changes_the_case_and_says_so(episode, call: Callable[[], object], code: str) -> None:
    before, written_before = case_state(episode), timeline_codes(episode)
    call()
    after, written = case_state(episode), timeline_codes(episode)
    assert after != before, "the service changed nothing: the row in SERVICES is wrong"
    new = written[len(written_before):]
    assert code in new, (f"the case changed but no {getattr(code, 'value', code)!r} event was "
                         f"written (wrote {new})")


# --- the cases, brought to where each service applies ---------------------------------------


@dataclass
class World:
    episode: Episode
    people: dict
    now: dt.datetime

    def graded(self, grade="medium", **answers):
        assessment_record(actor=self.people["officer"], now=self.now, episode=self.episode,
                          answers=all_no(**answers), chosen_grade=grade)
        return self

    def downgraded(self):
        # Looked after and missing from care with a mental-health concern: medium recommended;
        # "low" waits for a ratification.
        return assessment_record(actor=self.people["officer"], now=self.now,
                                 episode=self.episode,
                                 answers=all_no(mental_health="yes", exploitation="yes"),
                                 chosen_grade="low", rationale="Known to return by morning")

    def found(self):
        self.graded()
        return_record(actor=self.people["officer"], now=self.now + H, episode=self.episode,
                      found_at=self.now + H, found_where="Home", found_by="own_accord",
                      condition="safe_and_well")
        return self

    def interviewed(self, **extra):
        self.found()
        prevention_interview_workflow(
            actor=self.people["officer"], now=self.now + 2 * H, episode=self.episode,
            held_at=self.now + 2 * H, where_child_was="A park", why_left="A row",
            child_account="I went for a walk.", **extra)
        return self

    def action(self):
        self.graded()
        return action_create(actor=self.people["sergeant"], now=self.now, episode=self.episode,
                             code="manual", title="Check the bus station CCTV")

    def handover(self):
        self.graded()
        return handover_request(actor=self.people["call_handler"], now=self.now,
                                episode=self.episode, to_user=self.people["officer"])


def _later(w):
    return w.now + 3 * H


SERVICES = {
    "assessment_record": (Code.ASSESSED, lambda w: lambda: w.graded()),
    "assessment_ratify": (Code.RATIFIED, lambda w: (lambda a: lambda: assessment_ratify(
        actor=w.people["inspector"], now=w.now, assessment=a, note="Agreed"))(w.downgraded())),
    "assessment_decline": (Code.RATIFICATION_DECLINED, lambda w: (
        lambda a: lambda: assessment_decline(actor=w.people["inspector"], now=w.now,
                                             assessment=a, note="No"))(w.downgraded())),
    "review_complete": (Code.REVIEWED, lambda w: (w.graded(), lambda: review_complete(
        actor=w.people["sergeant"], now=w.now, episode=w.episode, notes="Seen"))[1]),
    "episode_allocate": (Code.ALLOCATED, lambda w: (w.graded(), lambda: episode_allocate(
        actor=w.people["sergeant"], now=w.now, episode=w.episode,
        officer=w.people["officer"]))[1]),
    "handover_request": (Code.HANDOVER_REQUESTED, lambda w: (w.graded(), lambda: (
        handover_request(actor=w.people["call_handler"], now=w.now, episode=w.episode,
                         to_user=w.people["officer"])))[1]),
    "handover_accept": (Code.HANDOVER_ACCEPTED, lambda w: (lambda h: lambda: handover_accept(
        actor=w.people["officer"], now=w.now, handover=h))(w.handover())),
    "handover_decline": (Code.HANDOVER_DECLINED, lambda w: (lambda h: lambda: handover_decline(
        actor=w.people["officer"], now=w.now, handover=h, note="On leave"))(w.handover())),
    "action_create": (Code.ACTION_CREATED, lambda w: (w.graded(), lambda: action_create(
        actor=w.people["sergeant"], now=w.now, episode=w.episode, code="manual",
        title="Ring the school"))[1]),
    "action_assign": (Code.ACTION_ASSIGNED, lambda w: (lambda a: lambda: action_assign(
        actor=w.people["sergeant"], now=w.now, action=a,
        assigned_to=w.people["officer"]))(w.action())),
    "action_complete": (Code.ACTION_DONE, lambda w: (lambda a: lambda: action_complete(
        actor=w.people["officer"], now=w.now, action=a, result="Nothing seen"))(w.action())),
    "action_cancel": (Code.ACTION_CANCELLED, lambda w: (lambda a: lambda: action_cancel(
        actor=w.people["sergeant"], now=w.now, action=a, reason="Overtaken"))(w.action())),
    "enquiry_record": (Code.ENQUIRY, lambda w: (w.graded(), lambda: enquiry_record(
        actor=w.people["officer"], now=w.now, episode=w.episode, text="Called the aunt",
        occurred_at=w.now))[1]),
    "return_record": (Code.FOUND, lambda w: (w.graded(), lambda: return_record(
        actor=w.people["officer"], now=w.now + H, episode=w.episode, found_at=w.now + H,
        found_where="Home", found_by="own_accord", condition="harmed",
        harms=["physical"]))[1]),
    "prevention_interview": (Code.PREVENTION_INTERVIEW, lambda w: (
        w.found(), lambda: prevention_interview_workflow(
            actor=w.people["officer"], now=w.now + 2 * H, episode=w.episode,
            held_at=w.now + 2 * H, where_child_was="Park", why_left="Row",
            child_account="Fine", harm_disclosed="Hit by an older boy"))[1]),
    "prevention_waiver_request": (Code.PREVENTION_WAIVER_REQUESTED, lambda w: (
        w.found(), lambda: prevention_waiver_request(
            actor=w.people["officer"], now=w.now + 2 * H, episode=w.episode,
            reason="In hospital"))[1]),
    "prevention_waiver_approve": (Code.PREVENTION_WAIVER_APPROVED, lambda w: (
        w.found(), (lambda v: lambda: prevention_waiver_approve(
            actor=w.people["sergeant"], now=w.now + 2 * H, waiver=v))(
            prevention_waiver_request(actor=w.people["officer"], now=w.now + 2 * H,
                                      episode=w.episode, reason="In hospital")))[1]),
    "marker_proposal_decide": (Code.MARKER_DECIDED, lambda w: (
        w.interviewed(indicators=["trafficking"]), lambda: marker_proposal_decide(
            actor=w.people["sergeant"], now=w.now + 2 * H,
            proposal=MarkerProposal.objects.get(episode=w.episode), confirm=True))[1]),
    "return_interview": (Code.RHI_UPDATED, lambda w: (w.found(), lambda: return_interview_workflow(
        actor=w.people["sergeant"], now=w.now + 2 * H,
        interview=ReturnHomeInterview.objects.get(episode=w.episode),
        offered_at=w.now + 2 * H, response="accepted"))[1]),
    "episode_close": (Code.CLOSED, lambda w: (
        w.interviewed(), settle(w.episode, actor=w.people["sergeant"], now=_later(w)),
        lambda: episode_close(actor=w.people["sergeant"], now=_later(w), episode=w.episode,
                              summary=SUMMARY))[2]),
    "episode_withdraw": (Code.WITHDRAWN, lambda w: (w.graded(), lambda: episode_withdraw(
        actor=w.people["inspector"], now=w.now, episode=w.episode,
        reason="Made in error"))[1]),
}


@pytest.fixture
def world(episode, call_handler, officer, sergeant, inspector, now):
    return World(episode=episode, now=now, people={
        "call_handler": call_handler, "officer": officer, "sergeant": sergeant,
        "inspector": inspector})


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_that_changes_a_case_writes_its_timeline_event(world, name):
    code, prepare = SERVICES[name]
    call = prepare(world)
    changes_the_case_and_says_so(world.episode, call, code)


def test_the_harness_fails_a_change_without_its_event(world):
    world.graded()

    def silent_change():
        Episode.objects.filter(pk=world.episode.pk).update(circumstances="Changed quietly")

    with pytest.raises(AssertionError, match="no 'enquiry' event was written"):
        changes_the_case_and_says_so(world.episode, silent_change, Code.ENQUIRY)
