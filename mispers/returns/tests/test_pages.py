"""Pages for the return and closure, driven as plain form posts: found, the prevention interview
(or an approved reason it could not happen), proposed markers, the return-home interview, the
coordinator's queue, closing and withdrawing. Bad input shows the GOV.UK error summary and saves
nothing; another force's records are 404."""

import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.casework.tests.closing import SUMMARY_BODY, settle
from mispers.core.testing import page_text
from mispers.episodes.models import Episode, TimelineEvent
from mispers.people.models import Marker
from mispers.returns.models import (
    FoundRecord,
    MarkerProposal,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from mispers.returns.services import (
    prevention_interview_record,
    prevention_waiver_request,
    return_interview_update,
)
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def local(when: dt.datetime) -> str:
    """A datetime-local value (the test settings' time zone is Europe/London: GMT in March)."""
    return when.strftime("%Y-%m-%dT%H:%M")


def page(response) -> str:
    return html.unescape(response.content.decode())


def errors(response) -> str:
    text = page(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in text and "<title>Error: " in text, text[:1500]
    return text


def rows():
    return {model.__name__: model.objects.count()
            for model in (FoundRecord, PreventionInterview, PreventionWaiver, MarkerProposal,
                          ReturnHomeInterview, Marker)}


def grade(episode, actor, now, chosen="medium"):
    assessment_record(actor=actor, now=now, episode=episode, chosen_grade=chosen,
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    episode.refresh_from_db()
    return episode


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coordinator")


@pytest.fixture
def graded(episode, officer, now):
    return grade(episode, officer, now)


@pytest.fixture
def found(graded, officer, now):
    return_record(actor=officer, now=now + H, episode=graded, found_at=now + H,
                  found_where="A friend's flat", found_by="police", condition="safe_and_well")
    graded.refresh_from_db()
    return graded


def found_data(episode, **overrides):
    data = {"found_at": "2026-03-14T16:00", "found_where": "Plymouth bus station",
            "found_by": "police", "condition": "safe_and_well",
            "expected_version": episode.version}
    data.update(overrides)
    return data


PI = {"held_at": "2026-03-14T17:00", "where_child_was": "At a friend's flat",
      "why_left": "Argument at the placement", "child_account": "I just needed space."}


# --- found ------------------------------------------------------------------------------------

def test_found_before_last_seen_or_in_the_future_is_refused_and_nothing_saved(
        client, graded, officer, now):
    client.force_login(officer)
    url = reverse("returns:found", args=[graded.pk])
    before = rows()
    with time_machine.travel(now + 2 * H, tick=False):
        early = client.post(url, found_data(graded, found_at=local(graded.last_seen_at - H)))
        assert "Found cannot be before the child was last seen" in errors(early)
        future = client.post(url, found_data(graded, found_at=local(now + 5 * H)))
        assert "cannot be in the future" in errors(future)
        missing = client.post(url, found_data(graded, found_by="", condition=""))
        text = errors(missing)
        assert "Choose who found the child" in text and "Choose the child's condition" in text
        harmed = client.post(url, found_data(graded, condition="harmed"))
        assert "Record the kinds of harm" in errors(harmed)
    assert rows() == before
    graded.refresh_from_db()
    assert graded.state == Episode.State.OPEN


def test_found_is_recorded_and_the_page_shows_the_return(client, graded, officer, now):
    client.force_login(officer)
    with time_machine.travel(now + 2 * H, tick=False):
        response = client.post(reverse("returns:found", args=[graded.pk]), found_data(graded))
        assert response.status_code == 302
        text = page(client.get(response.url))
    assert "Return recorded: missing 4 h 0 min" in text  # last seen at 12:00, found at 16:00
    assert "Plymouth bus station" in text and "Record the prevention interview" in text
    assert "Return-home interview" in text and "Plymouth City Council" in text
    graded.refresh_from_db()
    assert graded.state == Episode.State.FOUND


def test_second_of_two_simultaneous_edits_is_refused(client, graded, officer, sergeant, now):
    """The officer opens the found form; meanwhile the sergeant records a review; the officer's
    save, based on the older version, is refused with a message."""
    from mispers.casework.review import review_complete

    client.force_login(officer)
    opened = client.get(reverse("returns:found", args=[graded.pk]))
    version = opened.context["form"].initial["expected_version"]
    review_complete(actor=sergeant, now=now + H, episode=graded, notes="Checked")
    with time_machine.travel(now + 2 * H, tick=False):
        response = client.post(reverse("returns:found", args=[graded.pk]),
                               found_data(graded, expected_version=version))
    assert "Someone else has changed this episode" in errors(response)
    assert not FoundRecord.objects.exists()


# --- the prevention interview -----------------------------------------------------------------

def test_prevention_interview_before_the_return_is_refused(client, found, officer, now):
    client.force_login(officer)
    url = reverse("returns:prevention_interview", args=[found.pk])
    with time_machine.travel(now + 3 * H, tick=False):
        early = client.post(url, {**PI, "held_at": local(now)})  # found at now + 1 h
        assert "The interview cannot be before the child's return" in errors(early)
        empty = client.post(url, {**PI, "child_account": ""})
        assert "Record the child's own account, in their words" in errors(empty)
        assert not PreventionInterview.objects.exists()
        ok = client.post(url, {**PI, "indicators": ["older_associates"]})
    assert ok.status_code == 302
    interview = PreventionInterview.objects.get()
    assert interview.interviewer == officer and interview.child_account == "I just needed space."
    assert MarkerProposal.objects.filter(status="proposed").count() == 1


def test_call_handler_and_analyst_may_not_record_the_prevention_interview(
        client, found, call_handler, make_user, force):
    for user in (call_handler, make_user(force=force, roles=["analyst"])):
        client.force_login(user)
        assert client.get(reverse("returns:prevention_interview",
                                  args=[found.pk])).status_code == 403


def test_marker_proposal_confirmed_by_the_coordinator(client, found, officer, coordinator,
                                                      now):
    prevention_interview_record(actor=officer, now=now + 2 * H, episode=found,
                                held_at=now + 2 * H, where_child_was="Park", why_left="Row",
                                child_account="Met some older lads",
                                indicators=["older_associates"])
    proposal = MarkerProposal.objects.get()
    client.force_login(officer)
    assert client.get(reverse("returns:proposal", args=[proposal.pk])).status_code == 403
    client.force_login(coordinator)
    assert "Proposed markers to confirm (1)" in page(client.get(reverse("returns:coordinator")))
    detail = page(client.get(reverse("episodes:detail", args=[found.pk])))
    assert "Confirm or reject" in detail
    url = reverse("returns:proposal", args=[proposal.pk])
    refused = client.post(url, {"decision": "reject", "note": ""})
    assert "Say why the marker is not confirmed" in errors(refused)
    assert client.post(url, {"decision": "confirm", "note": ""}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == MarkerProposal.Status.CONFIRMED
    assert Marker.objects.filter(child=found.child, kind="exploitation").exists()


# --- waiver and closing -----------------------------------------------------------------------

def test_closing_without_the_prevention_interview_is_refused(client, found, sergeant):
    client.force_login(sergeant)
    response = client.post(reverse("returns:close", args=[found.pk]),
                           {"expected_version": found.version, **SUMMARY_BODY})
    assert response.status_code == 200
    assert "Record the prevention interview, or a reason it could not happen" in errors(response)
    found.refresh_from_db()
    assert found.state == Episode.State.FOUND


def test_waiver_needs_another_supervisors_approval_then_the_sergeant_closes(
        client, found, officer, sergeant, make_user, force, now):
    client.force_login(officer)
    assert client.post(reverse("returns:waiver_request", args=[found.pk]),
                       {"reason": "Child refused to speak to police"}).status_code == 302
    waiver = PreventionWaiver.objects.get()
    settle(found, actor=sergeant, now=now + 2 * H)
    client.force_login(sergeant)
    refused = client.post(reverse("returns:close", args=[found.pk]),
                          {"expected_version": found.version, **SUMMARY_BODY})
    assert "approved by a supervisor" in errors(refused)
    assert client.post(reverse("returns:waiver_approve", args=[waiver.pk])).status_code == 302
    found.refresh_from_db()
    stale = client.post(reverse("returns:close", args=[found.pk]),
                        {"expected_version": found.version - 1,  # opened before the return
                         **SUMMARY_BODY})
    assert "Someone else has changed this episode" in errors(stale)
    response = client.post(reverse("returns:close", args=[found.pk]),
                           {"expected_version": found.version, **SUMMARY_BODY})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.state == Episode.State.CLOSED
    assert "closed" in page(client.get(response.url))


def test_own_waiver_cannot_be_approved(client, found, sergeant, now):
    waiver = prevention_waiver_request(actor=sergeant, now=now + 2 * H, episode=found,
                                       reason="Child in hospital")
    client.force_login(sergeant)
    response = client.post(reverse("returns:waiver_approve", args=[waiver.pk]))
    assert "another supervisor must approve it" in errors(response)
    waiver.refresh_from_db()
    assert waiver.approved_at is None


def test_ever_high_episode_needs_an_inspector_to_close(client, episode, officer, sergeant,
                                                       inspector, now):
    grade(episode, officer, now, "high")
    grade(episode, officer, now + H / 2, "high")
    return_record(actor=officer, now=now + H, episode=episode, found_at=now + H,
                  found_where="Home", found_by="own_accord", condition="safe_and_well")
    prevention_interview_record(actor=officer, now=now + 2 * H, episode=episode,
                                held_at=now + 2 * H, where_child_was="Park", why_left="Row",
                                child_account="Fine")
    settle(episode, actor=sergeant, now=now + 2 * H)
    episode.refresh_from_db()
    client.force_login(sergeant)
    detail = page(client.get(reverse("episodes:detail", args=[episode.pk])))
    assert "Close the episode" not in detail and "needs an inspector or above" in detail
    refused = client.post(reverse("returns:close", args=[episode.pk]),
                          {"expected_version": episode.version, **SUMMARY_BODY})
    assert "needs an inspector or above: it was graded high" in errors(refused)
    client.force_login(inspector)
    assert client.post(reverse("returns:close", args=[episode.pk]),
                       {"expected_version": episode.version, **SUMMARY_BODY}).status_code == 302
    episode.refresh_from_db()
    assert episode.state == Episode.State.CLOSED


# --- withdrawing ------------------------------------------------------------------------------

def test_withdraw_is_for_an_inspector_with_a_reason(client, graded, officer, sergeant,
                                                    inspector):
    client.force_login(officer)
    assert client.get(reverse("returns:withdraw", args=[graded.pk])).status_code == 403
    assert "Withdraw the report" not in page_text(client.get(
        reverse("episodes:detail", args=[graded.pk])))
    client.force_login(sergeant)
    url = reverse("returns:withdraw", args=[graded.pk])
    assert "an inspector or above must withdraw it" in page(client.get(url))
    refused = client.post(url, {"reason": "", "expected_version": graded.version})
    assert "Say why the report was made in error" in errors(refused)
    # Issue 10: a sergeant alone may not withdraw a case while the child is still missing.
    assert client.post(url, {"reason": "Duplicate of an earlier report",
                             "expected_version": graded.version}).status_code == 403
    graded.refresh_from_db()
    assert graded.state == Episode.State.OPEN
    client.force_login(inspector)
    stale = client.post(url, {"reason": "Duplicate", "expected_version": graded.version - 1})
    assert "Someone else has changed this episode" in errors(stale)
    ok = client.post(url, {"reason": "Duplicate of an earlier report",
                           "expected_version": graded.version})
    assert ok.status_code == 302
    graded.refresh_from_db()
    assert graded.state == Episode.State.WITHDRAWN
    text = page(client.get(ok.url))
    assert "This report was withdrawn" in text and "Duplicate of an earlier report" in text


# --- the return-home interview ----------------------------------------------------------------

def rhi_data(**overrides):
    data = {"offered_at": "", "response": "", "completed_at": "", "interviewer_name": "",
            "where_went": "", "with_whom": "", "why_left": "", "harm": "",
            "what_would_help": "", "child_words": ""}
    data.update(overrides)
    return data


def test_return_home_interview_progress_and_shared_findings(
        client, found, coordinator, officer, call_handler, now, report_details):
    interview = ReturnHomeInterview.objects.get(episode=found)
    url = reverse("returns:rhi", args=[interview.pk])
    client.force_login(coordinator)
    with time_machine.travel(now + 30 * H, tick=False):
        early = client.post(url, rhi_data(offered_at=local(now)))  # found at now + 1 h
        assert "The interview cannot be before the child's return" in errors(early)
        declined_then_done = client.post(url, rhi_data(offered_at=local(now + 2 * H),
                                                       response="declined",
                                                       completed_at=local(now + 3 * H)))
        assert "cannot be completed" in errors(declined_then_done)
        interview.refresh_from_db()
        assert interview.offered_at is None
        done = client.post(url, rhi_data(
            offered_at=local(now + 2 * H), response="accepted",
            completed_at=local(now + 26 * H), interviewer_name="Sam Independent",
            where_went="A flat in Stonehouse", with_whom="Two older men",
            child_words="They give me vapes", indicators=["gifts_or_money"], share="on"))
    assert done.status_code == 302
    interview.refresh_from_db()
    assert interview.shared_at is not None and interview.within_72_hours
    assert MarkerProposal.objects.filter(source="return_home_interview").count() == 1

    # The child's page shows the shared findings (the session of 30 hours ago has ended)...
    client.force_login(coordinator)
    child_page = page(client.get(reverse("people:detail", args=[found.child_id])))
    assert "Return-home interview findings" in child_page
    assert "A flat in Stonehouse" in child_page and "They give me vapes" in child_page

    # ...and so does the assessment page of the child's next episode.
    again = episode_report(actor=call_handler, now=now + 40 * H, child=found.child,
                           details=report_details(reported_at=now + 40 * H,
                                                  last_seen_at=now + 39 * H))
    client.force_login(officer)
    assess = page(client.get(reverse("risk:assess", args=[again.pk])))
    assert "Earlier return-home interview findings" in assess
    assert "Two older men" in assess and "Unexplained gifts, money or phones" in assess


def test_unshared_findings_are_not_shown_on_the_child_page(client, found, coordinator, now):
    interview = ReturnHomeInterview.objects.get(episode=found)
    return_interview_update(actor=coordinator, now=now + 5 * H, interview=interview,
                            offered_at=now + 2 * H, response="accepted",
                            completed_at=now + 4 * H, where_went="Secret place")
    client.force_login(coordinator)
    assert "Secret place" not in page_text(client.get(reverse("people:detail",
                                                         args=[found.child_id])))


def test_officer_may_not_update_the_return_home_interview(client, found, officer):
    interview = ReturnHomeInterview.objects.get(episode=found)
    client.force_login(officer)
    assert client.get(reverse("returns:rhi", args=[interview.pk])).status_code == 403


# --- the coordinator's queue ------------------------------------------------------------------

def test_coordinator_queue_shows_overdue_interviews_first_with_how_long(
        client, found, coordinator, officer, call_handler, now, child_details, report_details):
    later = episode_report(actor=call_handler, now=now + 10 * H, new_child=child_details(
        given_name="Cal", family_name="Secondchild"), details=report_details(
        reported_at=now + 10 * H, last_seen_at=now + 9 * H))
    grade(later, officer, now + 10 * H)
    return_record(actor=officer, now=now + 11 * H, episode=later, found_at=now + 11 * H,
                  found_where="Home", found_by="own_accord", condition="safe_and_well")
    client.force_login(coordinator)
    # First found at now + 1 h: its prevention interview was due at now + 25 h.
    with time_machine.travel(now + 27 * H + dt.timedelta(minutes=15), tick=False):
        text = page(client.get(reverse("returns:coordinator")))
    assert "Prevention interviews (2)" in text and "Return-home interviews (2)" in text
    assert "Overdue by 2 h 15 min" in text  # the first child's prevention interview
    assert "Due in 7 h 45 min" in text  # the second's, found 10 h later
    first = text.index("Prevention interviews")
    section = text[first:text.index("Return-home interviews (2)")]
    assert section.index(found.reference) < section.index(later.reference)


def test_the_returns_queue_runs_by_risk_and_filters_by_grade(
        client, found, coordinator, officer, call_handler, now, child_details, report_details):
    # `found` was graded medium; a high-risk child found later comes first all the same.
    later = episode_report(actor=call_handler, now=now + 10 * H, new_child=child_details(
        given_name="Cal", family_name="Secondchild"), details=report_details(
        reported_at=now + 10 * H, last_seen_at=now + 9 * H))
    grade(later, officer, now + 10 * H, "high")
    return_record(actor=officer, now=now + 11 * H, episode=later, found_at=now + 11 * H,
                  found_where="Home", found_by="own_accord", condition="safe_and_well")
    client.force_login(coordinator)
    url = reverse("returns:coordinator")
    with time_machine.travel(now + 12 * H, tick=False):
        text = page_text(client.get(url))
        only_high = page_text(client.get(url, {"grade": "high"}))
        interviews = page_text(client.get(url, {"kind": "prevention_interview"}))
    section = text[text.index("Prevention interviews"):text.index("Return-home interviews (2)")]
    assert section.index(later.reference) < section.index(found.reference)
    assert later.reference in only_high and found.reference not in only_high
    assert "No return-home interviews are due." in interviews
    assert "Prevention interviews (2)" in interviews


# --- another force, and signing in ------------------------------------------------------------

@pytest.fixture
def return_urls(found, officer, now):
    prevention_waiver_request(actor=officer, now=now + 2 * H, episode=found, reason="Asleep")
    # A second episode for the interview and proposal pages.
    waiver = PreventionWaiver.objects.get()
    rhi = ReturnHomeInterview.objects.get()
    return_interview_update(actor=officer, now=now + 3 * H, interview=rhi,
                            offered_at=now + 2 * H, indicators=["trafficking"])
    proposal = MarkerProposal.objects.get()
    return [
        reverse("returns:found", args=[found.pk]),
        reverse("returns:prevention_interview", args=[found.pk]),
        reverse("returns:waiver_request", args=[found.pk]),
        reverse("returns:close", args=[found.pk]),
        reverse("returns:withdraw", args=[found.pk]),
        reverse("returns:waiver_approve", args=[waiver.pk]),
        reverse("returns:proposal", args=[proposal.pk]),
        reverse("returns:rhi", args=[rhi.pk]),
    ]


def test_every_return_url_answers_404_to_another_force(client, return_urls, found, outsider):
    def snapshot():
        found.refresh_from_db()
        return (found.state, found.version, rows(), TimelineEvent.objects.count(),
                list(MarkerProposal.objects.values_list("status", flat=True)),
                list(PreventionWaiver.objects.values_list("approved_at", flat=True)))

    before = snapshot()
    client.force_login(outsider)
    for url in return_urls:
        assert client.get(url).status_code == 404, url
        response = client.post(url, {**PI, **found_data(found), "reason": "x",
                                     "decision": "confirm", "share": "on",
                                     "expected_version": found.version})
        assert response.status_code == 404, url
    assert snapshot() == before
    assert found.reference not in page_text(client.get(reverse("returns:coordinator")))


def test_every_return_page_renders_for_someone_allowed(client, return_urls, make_user, force):
    everyone = make_user(force=force, roles=["officer", "supervisor", "coordinator"],
                         rank="inspector")
    client.force_login(everyone)
    for url in [*return_urls, reverse("returns:coordinator")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<title>Error" not in page(response), url


def test_anonymous_is_sent_to_sign_in(client, return_urls):
    for url in [*return_urls, reverse("returns:coordinator")]:
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302 and response.url.startswith("/login/"), url
