"""Issue 10, "no child falls through": a harmful return, a disclosure at interview or a death
tells the people who act on it at once and sets the tasks that follow (ADR 26)."""

import datetime as dt

import pytest
from django.core import mail

from mispers.accounts.models import Team
from mispers.casework.found import return_record
from mispers.casework.harm import DEATH_TASKS, HARM_TASKS, after_found
from mispers.casework.interviews import (
    partner_interview_workflow,
    prevention_interview_workflow,
    return_interview_workflow,
)
from mispers.episodes.models import Action, TimelineEvent
from mispers.partners.services.interviews import interview_of_episode
from mispers.partners.tests.together import graded_episode, world
from mispers.returns.models import MarkerProposal, ReturnHomeInterview
from mispers.reviews.models import Deadline, Notification
from mispers.risk.selectors import policy_for_force

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


@pytest.fixture
def w(force, now, child_details):
    return world(force=force, now=now, child_details=child_details)


@pytest.fixture
def people(force, make_user):
    """The officer in the case and a sergeant on one team; a sergeant on another team; a
    superintendent."""
    team = Team.objects.create(force=force, name="Response A")
    other = Team.objects.create(force=force, name="Response B")
    officer = make_user(force=force, roles=["officer"], rank="officer", username="oic")
    own_sergeant = make_user(force=force, roles=["supervisor"], rank="sergeant",
                             username="own-sergeant")
    other_sergeant = make_user(force=force, roles=["supervisor"], rank="sergeant",
                               username="other-sergeant")
    superintendent = make_user(force=force, roles=["superintendent"], rank="superintendent",
                               username="superintendent")
    type(officer).objects.filter(pk__in=[officer.pk, own_sergeant.pk]).update(team=team)
    type(officer).objects.filter(pk=other_sergeant.pk).update(team=other)
    type(officer).objects.filter(pk=officer.pk).update(email="oic@police.example")
    officer.refresh_from_db()
    return officer, own_sergeant, other_sergeant, superintendent


def found(*, people, w, now, condition, harms=()):
    officer = people[0]
    episode = graded_episode(actor=officer, now=now - 2 * H, child=w.child, grader=officer)
    record = return_record(actor=officer, now=now, episode=episode, found_at=now - H,
                           found_where="Plymouth bus station", found_by="police",
                           condition=condition, harms=list(harms))
    return episode, record


KINDS = ["harm_found", "disclosure", "deceased"]


def told(episode):
    """Who was told of the harm (partner alerts about the return itself are other rows)."""
    return {n.recipient.username
            for n in Notification.objects.filter(episode=episode, kind__in=KINDS)}


def tasks(episode):
    return {a.code: a for a in Action.objects.filter(episode=episode, source="harm")}


def test_a_child_found_a_victim_of_a_sexual_offence_tells_officer_and_team_sergeant_at_once(
        people, w, now):
    officer, own_sergeant, other_sergeant, superintendent = people
    # Recording the return is what tells them: the found workflow calls harm.after_found.
    episode, record = found(people=people, w=w, now=now, condition="sexual_offence_victim",
                            harms=["sexual"])
    assert told(episode) == {"oic", "own-sergeant"}
    notification = Notification.objects.get(episode=episode, recipient=officer)
    assert "victim of a sexual offence" in notification.subject
    assert notification.created_at == now and notification.acknowledged_at is None
    assert TimelineEvent.objects.filter(episode=episode,
                                        code=TimelineEvent.Code.HARM_NOTIFIED).count() == 1


def test_the_tasks_that_follow_are_actions_with_the_policys_deadlines(people, w, now):
    officer = people[0]
    episode, record = found(people=people, w=w, now=now, condition="crime_victim",
                            harms=["physical"])
    created = tasks(episode)
    assert set(created) == set(HARM_TASKS)
    clocks = policy_for_force(episode.force).harm
    assert created["harm_crime_record"].due_at == now + dt.timedelta(
        hours=clocks.crime_record_due_hours)
    assert created["harm_safeguarding_referral"].due_at == now + dt.timedelta(
        hours=clocks.safeguarding_referral_due_hours)
    assert created["harm_crime_record"].assigned_to == officer
    assert created["harm_strategy_meeting"].assigned_to == people[1]
    # Each is a pending deadline the sweeper escalates, and on the timeline.
    assert Deadline.objects.filter(episode=episode, kind=Deadline.Kind.ACTION,
                                   status=Deadline.Status.PENDING,
                                   action__code__in=HARM_TASKS).count() == 4
    assert TimelineEvent.objects.filter(episode=episode,
                                        code=TimelineEvent.Code.ACTION_CREATED,
                                        data__code="harm_crime_record").exists()


def test_an_officer_without_a_team_sergeant_falls_back_to_the_forces_supervisors(
        people, w, now):
    officer = people[0]
    type(officer).objects.filter(pk=officer.pk).update(team=None)
    officer.refresh_from_db()
    episode, record = found(people=people, w=w, now=now, condition="harmed", harms=["physical"])
    assert told(episode) == {"oic", "own-sergeant", "other-sergeant"}


def test_the_officer_is_emailed_when_the_record_is_saved(people, w, now,
                                                         django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        found(people=people, w=w, now=now, condition="harmed", harms=["physical"])
    assert ["oic@police.example"] in [m.to for m in mail.outbox]


def test_safe_and_well_sets_nothing(people, w, now):
    episode, record = found(people=people, w=w, now=now, condition="safe_and_well")
    assert told(episode) == set() and tasks(episode) == {}
    # ... but the partners responsible are told the child is back, with the interview's time
    # (what a child found deceased must not get).
    assert Notification.objects.filter(episode=episode, kind="partner_found").exists()
    # Calling it again (as a retry would) changes nothing either.
    after_found(actor=people[0], now=now, episode=episode, record=record)
    assert told(episode) == set() and tasks(episode) == {}


def test_a_child_found_deceased_follows_its_own_route(people, w, now):
    officer, own_sergeant, other_sergeant, superintendent = people
    episode, record = found(people=people, w=w, now=now, condition="deceased")
    assert told(episode) == {"oic", "own-sergeant", "superintendent"}
    assert set(tasks(episode)) == set(DEATH_TASKS)
    assert tasks(episode)["death_critical_incident"].assigned_to == superintendent
    assert TimelineEvent.objects.filter(episode=episode,
                                        code=TimelineEvent.Code.DEATH_NOTIFIED).exists()
    # No prevention or return-home interview for a child who has died, and no partner alert
    # that an interview "must be offered within 72 hours".
    assert not Deadline.objects.filter(
        episode=episode,
        kind__in=[Deadline.Kind.PREVENTION_INTERVIEW, Deadline.Kind.RETURN_HOME_INTERVIEW]
    ).exists()
    assert not ReturnHomeInterview.objects.filter(episode=episode).exists()
    assert not Notification.objects.filter(episode=episode, kind="partner_found").exists()
    assert not TimelineEvent.objects.filter(episode=episode,
                                            code=TimelineEvent.Code.RHI_REFERRED).exists()


def test_a_disclosure_at_the_prevention_interview_tells_the_officer_not_just_a_marker(
        people, w, now):
    officer = people[0]
    episode, _ = found(people=people, w=w, now=now - H, condition="safe_and_well")
    prevention_interview_workflow(
        actor=officer, now=now, episode=episode, held_at=now - H / 2,
        where_child_was="A flat", why_left="Argument", child_account="He touched me.",
        harm_disclosed="Possible sexual assault by an older man",
        indicators=["sexual_exploitation"])
    assert told(episode) == {"oic", "own-sergeant"}
    body = Notification.objects.get(episode=episode, recipient=officer).body
    assert "Possible sexual assault by an older man" in body
    assert set(tasks(episode)) == set(HARM_TASKS)
    assert MarkerProposal.objects.filter(episode=episode).exists()  # the marker still proposed


def test_a_prevention_interview_with_nothing_disclosed_tells_nobody(people, w, now):
    officer = people[0]
    episode, _ = found(people=people, w=w, now=now - H, condition="safe_and_well")
    prevention_interview_workflow(actor=officer, now=now, episode=episode, held_at=now - H / 2,
                                  where_child_was="Friend's", why_left="Curfew",
                                  child_account="I stayed at Jo's.")
    assert told(episode) == set() and tasks(episode) == {}


def test_a_providers_disclosure_reaches_police_only_and_sets_tasks_once(people, w, now):
    episode, _ = found(people=people, w=w, now=now - 2 * H, condition="safe_and_well")
    interview = interview_of_episode(episode=episode)
    partner_interview_workflow(actor=w.users.rhi_worker, now=now - H, interview=interview,
                               offered_at=now - H, response="accepted",
                               harm="Says an older man assaulted her")
    assert told(episode) == {"oic", "own-sergeant"}
    assert not Notification.objects.filter(kind__in=KINDS,
                                           recipient__organisation__isnull=False).exists()
    assert set(tasks(episode)) == set(HARM_TASKS)
    # Completing the interview with the same words tells nobody again and duplicates no task.
    interview = ReturnHomeInterview.objects.get(pk=interview.pk)
    partner_interview_workflow(actor=w.users.rhi_worker, now=now, interview=interview,
                               completed_at=now, harm="Says an older man assaulted her")
    assert Notification.objects.filter(episode=episode, kind__in=KINDS).count() == 2
    assert Action.objects.filter(episode=episode, source="harm").count() == 4


def test_police_recording_indicators_at_the_return_home_interview_tell_the_officer(
        people, w, now, sergeant):
    episode, _ = found(people=people, w=w, now=now - 2 * H, condition="safe_and_well")
    interview = interview_of_episode(episode=episode)
    ReturnHomeInterview.objects.filter(pk=interview.pk).update(provider=None)
    interview = ReturnHomeInterview.objects.get(pk=interview.pk)
    return_interview_workflow(actor=w.coordinator, now=now, interview=interview,
                              offered_at=now - H, indicators=["criminal_exploitation"])
    assert "oic" in told(episode)
    assert set(tasks(episode)) == set(HARM_TASKS)
