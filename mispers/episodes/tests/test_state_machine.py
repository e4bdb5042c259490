"""Property test of the episode lifecycle: random sequences of commands, through the real
services, on one episode. Whatever the order, the episode is only ever in one of the five states,
every state change is a legal transition, a refused command changes nothing, an open episode
always has exactly one pending review, and a closed or withdrawn one has no pending deadline but
the local authority's return-home interview."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from mispers.casework.close import episode_close
from mispers.casework.found import return_record
from mispers.casework.grade import assessment_ratify, assessment_record
from mispers.casework.report import episode_report
from mispers.casework.review import review_complete
from mispers.casework.tests.closing import SUMMARY, settle
from mispers.casework.withdraw import episode_withdraw
from mispers.core.errors import DomainError
from mispers.episodes.models import Episode
from mispers.episodes.services import ReportDetails
from mispers.people.services import ChildDetails
from mispers.returns.models import PreventionWaiver
from mispers.returns.services import (
    prevention_interview_record,
    prevention_waiver_approve,
    prevention_waiver_request,
)
from mispers.reviews.escalation import sweep
from mispers.reviews.models import Deadline, Handover
from mispers.reviews.services import enquiry_record, handover_accept, handover_request
from mispers.risk import policy as risk_policy
from mispers.risk.models import Assessment
from mispers.risk.services import AnswerInput

State = Episode.State
START = dt.datetime(2026, 3, 14, 15, 0, tzinfo=dt.UTC)
LEGAL = {
    "assess": {(State.REPORTED, State.OPEN), (State.OPEN, State.OPEN)},
    "found": {(State.OPEN, State.FOUND)},
    "close": {(State.FOUND, State.CLOSED)},
    "withdraw": {(State.REPORTED, State.WITHDRAWN), (State.OPEN, State.WITHDRAWN)},
}
ANSWERS = st.dictionaries(st.sampled_from(list(risk_policy.FACTORS)),
                          st.sampled_from(risk_policy.ANSWERS), max_size=8)
MINUTES = st.integers(min_value=0, max_value=36 * 60)


def snapshot(episode_id):
    """What a refused command must leave exactly as it was."""
    state, version = Episode.objects.values_list("state", "version").get(pk=episode_id)
    return (state, version, Deadline.objects.filter(episode_id=episode_id).count(),
            Deadline.objects.filter(episode_id=episode_id,
                                    status=Deadline.Status.PENDING).count(),
            Assessment.objects.filter(episode_id=episode_id).count(),
            Handover.objects.filter(episode_id=episode_id).count())


def machine_for(people):
    class EpisodeLifecycle(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            # Each example runs in a savepoint rolled back in teardown: a fresh episode each time.
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            self.now = START
            self.episode_id = None
            self.steps: list[str] = []

        def teardown(self):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        # --- set-up ---------------------------------------------------------------------------

        @initialize(age=st.integers(min_value=10, max_value=17), looked_after=st.booleans(),
                    missing_from=st.sampled_from(risk_policy.MISSING_FROM))
        def report(self, age, looked_after, missing_from):
            details = ChildDetails(
                given_name="Sam", family_name="Property", sex="female", ethnicity="white_british",
                date_of_birth=dt.date(START.year - age, 1, 1), looked_after=looked_after,
                local_authority="Devon County Council" if looked_after else "")
            report = ReportDetails(
                reported_at=START - dt.timedelta(minutes=30), reported_by_name="A Parent",
                last_seen_at=START - dt.timedelta(hours=3), last_seen_where="Home",
                missing_from=missing_from)
            episode = episode_report(actor=people["handler"], now=self.now, details=report,
                                     new_child=details)
            self.episode_id = episode.pk

        # --- helpers --------------------------------------------------------------------------

        @property
        def episode(self) -> Episode:
            return Episode.objects.select_related("force", "child").get(pk=self.episode_id)

        def attempt(self, name, command):
            """Run a command; a refusal must change nothing, a success must be legal."""
            before = snapshot(self.episode_id)
            try:
                command()  # no savepoint of our own: the service must be atomic by itself
            except DomainError:
                after = snapshot(self.episode_id)
                assert after == before, f"{name} was refused but changed {before} -> {after}"
                self.steps.append(f"{name}: refused")
                return False
            after_state = Episode.objects.values_list("state", flat=True).get(
                pk=self.episode_id)
            change = (before[0], after_state)
            if name in LEGAL:
                assert change in LEGAL[name], f"{name} took {change}"
            else:
                assert change[0] == change[1], f"{name} changed the state: {change}"
            self.steps.append(f"{name}: {change[0]} -> {change[1]}")
            return True

        # --- commands -------------------------------------------------------------------------

        @rule(minutes=st.integers(min_value=1, max_value=12 * 60))
        def wait(self, minutes):
            self.now += dt.timedelta(minutes=minutes)

        @rule(answers=ANSWERS, grade=st.sampled_from(risk_policy.GRADES),
              who=st.sampled_from(["officer", "sergeant"]),
              rationale=st.sampled_from(["", "Known to return by midnight"]))
        def assess(self, answers, grade, who, rationale):
            given = {code: AnswerInput(answer=answer, source="Parent",
                                       note="Other worry" if code == "other" else "")
                     for code, answer in answers.items()}
            self.attempt("assess", lambda: assessment_record(
                actor=people[who], now=self.now, episode=self.episode, answers=given,
                chosen_grade=grade, rationale=rationale))

        @rule(who=st.sampled_from(["sergeant", "inspector"]))
        def ratify(self, who):
            pending = Assessment.objects.filter(episode_id=self.episode_id,
                                                status=Assessment.Status.PENDING).last()
            if pending is not None:
                self.attempt("ratify", lambda: assessment_ratify(
                    actor=people[who], now=self.now, assessment=pending, note="Agreed"))

        @rule(who=st.sampled_from(["officer", "sergeant", "inspector"]),
              notes=st.sampled_from(["", "Reviewed the plan"]))
        def review(self, who, notes):
            self.attempt("review", lambda: review_complete(
                actor=people[who], now=self.now, episode=self.episode, notes=notes))

        @rule(minutes_ago=MINUTES)
        def found(self, minutes_ago):
            self.attempt("found", lambda: return_record(
                actor=people["officer"], now=self.now, episode=self.episode,
                found_at=self.now - dt.timedelta(minutes=minutes_ago), found_where="Town",
                found_by="police", condition="safe_and_well"))

        @rule()
        def prevention_interview(self):
            self.attempt("prevention_interview", lambda: prevention_interview_record(
                actor=people["officer"], now=self.now, episode=self.episode, held_at=self.now,
                where_child_was="With friends", why_left="Argument",
                child_account="I just went out."))

        @rule(approver=st.sampled_from(["sergeant", "inspector"]))
        def waiver(self, approver):
            self.attempt("waiver_request", lambda: prevention_waiver_request(
                actor=people["sergeant"], now=self.now, episode=self.episode,
                reason="Refused to speak to police"))
            waiver = PreventionWaiver.objects.filter(episode_id=self.episode_id).first()
            if waiver is not None:
                self.attempt("waiver_approve", lambda: prevention_waiver_approve(
                    actor=people[approver], now=self.now, waiver=waiver))

        @rule()
        def settle_what_closure_waits_for(self):
            # Issue 10: closure waits for every action, proposal and the return-home interview.
            if Episode.objects.get(pk=self.episode_id).state == Episode.State.FOUND:
                self.attempt("settle", lambda: settle(self.episode, actor=people["sergeant"],
                                                      now=self.now))

        @rule(who=st.sampled_from(["officer", "sergeant", "inspector"]))
        def close(self, who):
            self.attempt("close", lambda: episode_close(actor=people[who], now=self.now,
                                                        episode=self.episode, summary=SUMMARY))

        @rule(who=st.sampled_from(["officer", "sergeant", "inspector"]),
              reason=st.sampled_from(["", "Made in error"]))
        def withdraw(self, who, reason):
            self.attempt("withdraw", lambda: episode_withdraw(
                actor=people[who], now=self.now, episode=self.episode, reason=reason))

        @rule(kind=st.sampled_from(["update", "sighting", "call", "partner"]),
              location=st.sampled_from(["", "Bus station"]),
              minutes_ago=st.integers(min_value=-30, max_value=120),
              prompts=st.booleans())
        def enquiry(self, kind, location, minutes_ago, prompts):
            self.attempt("enquiry", lambda: enquiry_record(
                actor=people["officer"], now=self.now, episode=self.episode, text="News",
                occurred_at=self.now - dt.timedelta(minutes=minutes_ago), kind=kind,
                location=location, prompts_reassessment=prompts))

        @rule(to=st.sampled_from(["officer", "officer2", "sergeant"]),
              by=st.sampled_from(["handler", "sergeant", "officer2"]), accept=st.booleans())
        def handover(self, to, by, accept):
            self.attempt("handover", lambda: handover_request(
                actor=people[by], now=self.now, episode=self.episode, to_user=people[to]))
            pending = Handover.objects.filter(episode_id=self.episode_id,
                                              status=Handover.Status.PENDING).first()
            if accept and pending is not None:
                self.attempt("handover_accept", lambda: handover_accept(
                    actor=pending.to_user, now=self.now, handover=pending))

        @rule(minutes=st.integers(min_value=0, max_value=80 * 60))
        def sweep_later(self, minutes):
            self.now += dt.timedelta(minutes=minutes)
            self.attempt("sweep", lambda: sweep(now=self.now))
            assert sweep(now=self.now) == {"escalations": 0, "notifications": 0, "tasks": 0}

        # --- invariants -----------------------------------------------------------------------

        @invariant()
        def one_of_the_five_states(self):
            if self.episode_id is not None:
                assert self.episode.state in State.values

        @invariant()
        def open_means_exactly_one_pending_review(self):
            if self.episode_id is None:
                return
            episode = self.episode
            reviews = Deadline.objects.filter(episode=episode, kind=Deadline.Kind.REVIEW,
                                              status=Deadline.Status.PENDING).count()
            if episode.is_open:
                assert reviews == 1, (episode.state, reviews, self.steps)
            else:
                assert reviews == 0, (episode.state, reviews, self.steps)

        @invariant()
        def finished_means_nothing_pending_but_the_return_home_interview(self):
            if self.episode_id is None:
                return
            episode = self.episode
            if episode.state in (State.CLOSED, State.WITHDRAWN):
                kinds = set(Deadline.objects.filter(episode=episode,
                                                    status=Deadline.Status.PENDING)
                            .values_list("kind", flat=True))
                allowed = ({Deadline.Kind.RETURN_HOME_INTERVIEW}
                           if episode.state == State.CLOSED else set())
                assert kinds <= allowed, (episode.state, kinds, self.steps)
                assert not Handover.objects.filter(episode=episode,
                                                   status=Handover.Status.PENDING).exists()

        @precondition(lambda self: self.episode_id is not None)
        @invariant()
        def graded_episodes_have_a_grade(self):
            episode = self.episode
            if episode.state != State.REPORTED and episode.state != State.WITHDRAWN:
                assert episode.current_grade in risk_policy.GRADES

    return EpisodeLifecycle


@pytest.fixture
def people(force, make_user):
    return {
        "handler": make_user(force=force, roles=["call_handler"], rank="call_handler",
                             username="handler"),
        "officer": make_user(force=force, roles=["officer"], rank="officer", username="officer"),
        "officer2": make_user(force=force, roles=["officer"], rank="officer",
                              username="officer2"),
        "sergeant": make_user(force=force, roles=["supervisor"], rank="sergeant",
                              username="sergeant"),
        "inspector": make_user(force=force, roles=["inspector"], rank="inspector",
                               username="inspector"),
        "superintendent": make_user(force=force, roles=["superintendent"],
                                    rank="superintendent", username="superintendent"),
    }


def test_random_commands_keep_the_episode_legal_and_on_the_clock(people):
    run_state_machine_as_test(
        machine_for(people),
        settings=settings(max_examples=25, stateful_step_count=12, deadline=None))
