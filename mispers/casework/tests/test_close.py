"""Issue 10, "no child falls through": the return leaves open work open, and closure is refused,
naming every blocker, until each action is done or cancelled with a reason by a supervisor, each
proposed marker is decided, the interviews are resolved and the closing summary is written."""

import datetime as dt

import pytest
from django.urls import reverse

from mispers.casework.close import ClosureBlocked, closure_blockers, episode_close
from mispers.casework.found import RETURN_CHECKLIST, TRIGGER_PLAN_REVIEW
from mispers.casework.tests.closing import SUMMARY, SUMMARY_BODY, settle
from mispers.core.errors import PermissionDenied
from mispers.episodes.models import Action, Episode, TimelineEvent
from mispers.returns.models import ClosingSummary, MarkerProposal, ReturnHomeInterview
from mispers.returns.services import ClosingDetails, return_interview_update
from mispers.returns.tests.test_return_services import all_no, find, interview
from mispers.reviews.models import Deadline
from mispers.reviews.services import ActionInvalid, action_cancel, action_complete

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


@pytest.fixture
def high(episode, officer, now):
    """A high-risk case (exploitation), found and interviewed, with a disclosure that proposes a
    marker: the kind of case the walk-through closed with eight open actions."""
    from mispers.casework.grade import assessment_record

    assessment_record(actor=officer, now=now, episode=episode,
                      answers=all_no(exploitation="yes"), chosen_grade="high")
    episode.refresh_from_db()
    find(episode, officer, now + H)
    interview(episode, officer, now + 2 * H, indicators=["criminal_exploitation"])
    episode.refresh_from_db()
    return episode


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coordinator")


def snapshot(episode):
    return (Episode.objects.values_list("state", "version").get(pk=episode.pk),
            ClosingSummary.objects.count(), TimelineEvent.objects.filter(episode=episode).count(),
            sorted(Deadline.objects.filter(episode=episode).values_list("kind", "status")))


def test_recording_found_leaves_the_grades_actions_open_and_sets_the_return_checklist(high):
    standard = Action.objects.filter(episode=high, source="standard")
    assert standard.exists() and not standard.filter(done_at__isnull=False).exists()
    assert not Deadline.objects.filter(action__in=standard).exclude(
        status=Deadline.Status.PENDING).exists()
    checklist = set(Action.objects.filter(episode=high, source="return")
                    .values_list("code", flat=True))
    assert checklist == set(RETURN_CHECKLIST)
    assert TimelineEvent.objects.filter(episode=high,
                                        code=TimelineEvent.Code.RETURN_CHECKLIST).exists()


def test_a_child_with_a_trigger_plan_gets_the_plan_reviewed(episode, officer, coordinator, now):
    from mispers.casework.grade import assessment_record
    from mispers.repeats.models import TriggerPlan

    TriggerPlan.objects.create(force=episode.force, child=episode.child, created_at=now,
                               created_by=coordinator, modified_at=now, modified_by=coordinator,
                               review_on=(now + 30 * 24 * H).date())
    assessment_record(actor=officer, now=now, episode=episode, answers=all_no(),
                      chosen_grade="medium")
    find(episode, officer, now + H)
    codes = set(Action.objects.filter(episode=episode, source="return")
                .values_list("code", flat=True))
    assert codes == set(RETURN_CHECKLIST) | set(TRIGGER_PLAN_REVIEW)


def test_closure_is_refused_naming_every_blocker_and_writes_nothing(high, inspector, now):
    open_titles = list(Action.objects.filter(episode=high, done_at__isnull=True)
                       .values_list("title", flat=True))
    assert len(open_titles) >= 5
    before = snapshot(high)
    with pytest.raises(ClosureBlocked) as caught:
        episode_close(actor=inspector, now=now + 3 * H, episode=high,
                      summary=ClosingDetails(what_happened="Found at a flat"))
    texts = [blocker.text for blocker in caught.value.blockers]
    for title in open_titles:
        assert f"Open action: {title}. Record it done, or a supervisor cancels it with a reason" \
            in texts
    assert any("proposed exploitation marker" in text for text in texts)
    assert any("return-home interview is unresolved" in text for text in texts)
    assert {f"Write the closing summary: {part}" for part in
            ("why the child went", "the risks found", "what happens next")} <= set(texts)
    assert "Write the closing summary: what happened" not in texts
    assert snapshot(high) == before
    # The proposal is still waiting, and still in the coordinator's queue (its deadline runs).
    assert MarkerProposal.objects.get(episode=high).status == MarkerProposal.Status.PROPOSED
    assert Deadline.objects.get(episode=high, kind=Deadline.Kind.MARKER_DECISION).status == \
        Deadline.Status.PENDING


def test_the_close_page_lists_the_blockers_before_anyone_tries(client, high, inspector):
    client.force_login(inspector)
    response = client.get(reverse("returns:close", args=[high.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This episode cannot be closed until these are done" in html
    for blocker in closure_blockers(episode=high):
        assert blocker.text.replace("'", "&#x27;") in html


def test_the_close_page_refuses_naming_each_blocker_then_closes(client, high, inspector,
                                                                sergeant, now):
    client.force_login(inspector)
    url = reverse("returns:close", args=[high.pk])
    refused = client.post(url, {"expected_version": high.version})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "This episode cannot be closed yet" in html
    assert "Write the closing summary: what happened" in html
    assert "Open action:" in html
    high.refresh_from_db()
    assert high.state == Episode.State.FOUND
    settle(high, actor=sergeant, now=now + 3 * H)
    done = client.post(url, {"expected_version": high.version, **SUMMARY_BODY})
    assert done.status_code == 302
    high.refresh_from_db()
    assert high.state == Episode.State.CLOSED
    assert high.closing_summary.what_next == SUMMARY.what_next


def test_a_supervisor_cancels_an_action_with_a_reason_then_the_case_closes(
        high, officer, sergeant, inspector, now):
    later = now + 3 * H
    actions = list(Action.objects.filter(episode=high, done_at__isnull=True))
    cancelled, rest = actions[0], actions[1:]
    with pytest.raises(PermissionDenied):
        action_cancel(actor=officer, now=later, action=cancelled, reason="Not needed")
    with pytest.raises(ActionInvalid, match="Say why"):
        action_cancel(actor=sergeant, now=later, action=cancelled, reason="  ")
    cancelled.refresh_from_db()
    assert cancelled.done_at is None
    action_cancel(actor=sergeant, now=later, action=cancelled,
                  reason="Child found before it could be done")
    cancelled.refresh_from_db()
    assert cancelled.cancelled and cancelled.done_by == sergeant
    assert Deadline.objects.get(action=cancelled).status == Deadline.Status.CANCELLED
    assert TimelineEvent.objects.filter(episode=high,
                                        code=TimelineEvent.Code.ACTION_CANCELLED).exists()
    for action in rest:
        action_complete(actor=officer, now=later, action=action, result="Done")
    with pytest.raises(ClosureBlocked) as caught:  # still the proposal and the interview
        episode_close(actor=inspector, now=later, episode=high, summary=SUMMARY)
    assert not any(b.text.startswith("Open action") for b in caught.value.blockers)
    settle(high, actor=sergeant, now=later)
    closed = episode_close(actor=inspector, now=later, episode=high, summary=SUMMARY)
    assert closed.state == Episode.State.CLOSED


def test_the_return_home_interview_is_resolved_when_completed_or_declined(high, sergeant,
                                                                          coordinator, now):
    interview_row = ReturnHomeInterview.objects.get(episode=high)
    assert any("return-home interview" in b.text for b in closure_blockers(episode=high))
    return_interview_update(actor=coordinator, now=now + 3 * H, interview=interview_row,
                            offered_at=now + 3 * H, response="accepted")
    assert any("return-home interview" in b.text for b in closure_blockers(episode=high))
    interview_row.refresh_from_db()
    return_interview_update(actor=coordinator, now=now + 4 * H, interview=interview_row,
                            completed_at=now + 4 * H, interviewer_name="Advocate",
                            why_left="Row at home")
    interview_row.refresh_from_db()
    assert interview_row.completed_at == now + 4 * H
    assert not any(b.text.startswith("The return-home interview") for b in
                   closure_blockers(episode=high)), closure_blockers(episode=high)


def test_the_api_answers_400_with_the_blockers_and_cancels_for_supervisors_only(
        high, officer, sergeant, inspector, now):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(inspector)
    response = client.post(f"/api/v1/episodes/{high.pk}/close", {"version": high.version},
                           format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("This episode cannot be closed yet: ")
    assert "Write the closing summary: what happened" in body["field_errors"]["blockers"]
    assert any(text.startswith("Open action: ") for text in body["field_errors"]["blockers"])
    action = Action.objects.filter(episode=high, done_at__isnull=True).first()
    client.force_authenticate(officer)
    refused = client.post(f"/api/v1/actions/{action.pk}/cancel", {"reason": "No"},
                          format="json")
    assert refused.status_code == 403
    client.force_authenticate(sergeant)
    done = client.post(f"/api/v1/actions/{action.pk}/cancel",
                       {"reason": "Overtaken by the return"}, format="json")
    assert done.status_code == 200 and done.json()["cancelled"] is True
