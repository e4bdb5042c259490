"""Pages for keeping a case moving: queues (overdue first, with how long), reviews, handovers,
actions, the enquiry log and escalations. Data is set up through services; pages are driven as
plain form posts, as they work without JavaScript."""

import datetime as dt
import html

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.casework.review import review_complete
from mispers.core.testing import page_text
from mispers.episodes.models import Action, EnquiryEntry
from mispers.reviews.escalation import sweep
from mispers.reviews.models import Handover, Notification, Review
from mispers.reviews.services import action_create, enquiry_record, handover_request
from mispers.risk.policy import FACTORS
from mispers.risk.services import AnswerInput

pytestmark = pytest.mark.django_db


def grade(episode, actor, now, chosen, answer="unknown"):
    return assessment_record(actor=actor, now=now, episode=episode, chosen_grade=chosen,
                             answers={code: AnswerInput(answer=answer) for code in FACTORS})


@pytest.fixture
def medium(episode, officer, now):
    grade(episode, officer, now, "medium")
    episode.refresh_from_db()
    return episode


@pytest.fixture
def high(episode, officer, now):
    grade(episode, officer, now, "high")
    episode.refresh_from_db()
    return episode


def page(response) -> str:
    return html.unescape(response.content.decode())


def errors(response) -> str:
    """The error summary's text (the page must have one)."""
    text = page(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in text, text[:2000]
    assert "<title>Error: " in text
    return text


# --- queues -----------------------------------------------------------------------------------

def test_supervision_queue_shows_overdue_reviews_first_with_how_long(
        client, medium, sergeant, officer, call_handler, now, report_details, child_details):
    later = episode_report(actor=call_handler, now=now, new_child=child_details(
        given_name="Bea", family_name="Laterchild", looked_after=False), details=report_details(
        reported_at=now - dt.timedelta(minutes=10), missing_from="home"))
    grade(later, officer, now, "low", answer="no")  # due 4 h after its report: in 5 min
    client.force_login(sergeant)
    with time_machine.travel(now + dt.timedelta(hours=3, minutes=45), tick=False):
        response = client.get(reverse("reviews:supervision"))
    text = page(response)
    # Medium: first review due 2 h after the report (made 30 min before `now`).
    assert "Overdue by 2 h 15 min" in text
    assert text.index(medium.reference) < text.index(later.reference)
    assert "Due in 5 min" in text
    assert 'app-grade--medium' in text and 'app-grade--low' in text


def test_supervision_shows_force_label_beside_the_grade(client, other_force, make_user,
                                                         child_details, report_details, now):
    """Merseyside calls no apparent risk "Absent": the queue shows both."""
    handler = make_user(force=other_force, roles=["call_handler"], rank="call_handler")
    boss = make_user(force=other_force, roles=["supervisor"], rank="sergeant")
    e = episode_report(actor=handler, now=now, details=report_details(missing_from="home"),
                       new_child=child_details(looked_after=False))
    grade(e, boss, now, "no_apparent_risk", answer="no")
    client.force_login(boss)
    text = page(client.get(reverse("reviews:supervision")))
    assert "No apparent risk" in text and "(Absent)" in text


def test_my_work_lists_actions_overdue_first_and_handovers_to_accept(
        client, medium, officer, call_handler, now):
    action_create(actor=call_handler, now=now, episode=medium, code="manual",
                  title="Ring the school", assigned_to=officer,
                  due_at=now + dt.timedelta(hours=1))
    # Set 40 minutes ago, due 20 minutes ago: overdue now.
    action_create(actor=call_handler, now=now - dt.timedelta(minutes=40), episode=medium,
                  code="manual", title="Check the bus station", assigned_to=officer,
                  due_at=now - dt.timedelta(minutes=20))
    handover_request(actor=call_handler, now=now, episode=medium, to_user=officer,
                     note="Please take this on")
    client.force_login(officer)
    with time_machine.travel(now, tick=False):
        text = page(client.get(reverse("reviews:mine")))
    assert text.index("Check the bus station") < text.index("Ring the school")
    assert "Overdue by 20 min" in text and "Due in 1 h 0 min" in text
    assert "not yours until you accept" in text and "Please take this on" in text


def test_coordinator_and_supervision_are_for_the_right_roles(client, officer, sergeant,
                                                             make_user, force):
    client.force_login(officer)
    assert client.get(reverse("reviews:mine")).status_code == 200
    assert client.get(reverse("reviews:supervision")).status_code == 403
    assert client.get(reverse("returns:coordinator")).status_code == 403
    coordinator = make_user(force=force, roles=["coordinator"], rank="sergeant")
    client.force_login(coordinator)
    assert client.get(reverse("returns:coordinator")).status_code == 200
    assert client.get(reverse("reviews:supervision")).status_code == 403


@pytest.mark.parametrize("roles, expected, absent", [
    (["officer"], ["My work", "Open episodes"], ["Supervision", "Returns"]),
    (["supervisor"], ["My work", "Supervision", "Ratifications", "Returns"], []),
    (["coordinator"], ["My work", "Returns"], ["Supervision"]),
    # No identifiable records for the analyst or the administrator (ADR 0018).
    (["analyst"], ["Analysis"], ["My work", "Open episodes", "Children", "Supervision",
                                 "Returns", "New report"]),
    (["force_admin"], ["Partners"], ["My work", "Open episodes", "Children", "Analysis"]),
])
def test_navigation_by_role(client, make_user, force, roles, expected, absent):
    client.force_login(make_user(force=force, roles=roles, rank="sergeant"))
    home = client.get(reverse("home"), follow=True)  # each role's own landing page
    nav = {item["label"] for item in home.context["nav_items"]}
    assert set(expected) <= nav and not set(absent) & nav


# --- reviews ----------------------------------------------------------------------------------

def test_sergeant_records_a_review_with_next_actions(client, medium, sergeant):
    client.force_login(sergeant)
    url = reverse("reviews:review", args=[medium.pk])
    form = client.get(url)
    assert "re-assess the risk" in page(form) and reverse("risk:assess", args=[medium.pk]) in \
        page(form)
    response = client.post(url, {"notes": "Enquiries in hand; grade right",
                                 "next_actions": "Speak to the carer\nCheck CCTV",
                                 "expected_version": medium.version})
    assert response.status_code == 302
    assert response.url.startswith(reverse("episodes:detail", args=[medium.pk]))
    review = Review.objects.get(episode=medium)
    assert review.reviewer == sergeant
    assert set(Action.objects.filter(source="review").values_list("title", flat=True)) == {
        "Speak to the carer", "Check CCTV"}
    assert "Review recorded" in page(client.get(response.url))


def test_review_by_too_low_a_rank_is_refused_and_nothing_saved(client, high, sergeant):
    client.force_login(sergeant)
    response = client.post(reverse("reviews:review", args=[high.pk]),
                           {"notes": "Looked at it", "expected_version": high.version})
    assert "needs an inspector or above" in errors(response)
    assert not Review.objects.exists()


def test_review_without_notes_is_refused(client, medium, sergeant):
    client.force_login(sergeant)
    response = client.post(reverse("reviews:review", args=[medium.pk]),
                           {"notes": "", "expected_version": medium.version})
    assert "Record your review notes" in errors(response)
    assert not Review.objects.exists()


def test_officer_may_not_review(client, medium, officer):
    client.force_login(officer)
    assert client.get(reverse("reviews:review", args=[medium.pk])).status_code == 403


def test_second_of_two_simultaneous_reviews_is_refused(client, medium, sergeant, make_user,
                                                       force):
    other = make_user(force=force, roles=["supervisor"], rank="sergeant")
    version = medium.version  # both opened the page at this version
    client.force_login(other)
    assert client.post(reverse("reviews:review", args=[medium.pk]),
                       {"notes": "First", "expected_version": version}).status_code == 302
    client.force_login(sergeant)
    response = client.post(reverse("reviews:review", args=[medium.pk]),
                           {"notes": "Second", "expected_version": version})
    assert "Someone else has changed this episode" in errors(response)
    assert list(Review.objects.values_list("notes", flat=True)) == ["First"]


# --- ownership --------------------------------------------------------------------------------

def test_handover_is_not_theirs_until_accepted(client, medium, call_handler, officer, sergeant):
    client.force_login(call_handler)  # the call handler took the report and owns it
    response = client.post(reverse("reviews:handover", args=[medium.pk]),
                           {"to_user": str(officer.pk), "note": "Over to you"})
    assert response.status_code == 302
    handover = Handover.objects.get()
    medium.refresh_from_db()
    assert medium.owner == call_handler and handover.status == Handover.Status.PENDING

    client.force_login(sergeant)
    refused = client.post(reverse("reviews:handover_decide", args=[handover.pk]),
                          {"decision": "accept"})
    assert "addressed to someone else" in errors(refused)
    handover.refresh_from_db()
    medium.refresh_from_db()
    assert handover.status == Handover.Status.PENDING and medium.owner == call_handler

    client.force_login(officer)
    detail = page(client.get(reverse("episodes:detail", args=[medium.pk])))
    assert "not theirs until they accept" in detail and "Accept the case" in detail
    assert client.post(reverse("reviews:handover_decide", args=[handover.pk]),
                       {"decision": "accept"}).status_code == 302
    medium.refresh_from_db()
    assert medium.owner == officer


def test_declining_a_handover_needs_a_reason(client, medium, call_handler, officer):
    handover = handover_request(actor=call_handler, now=medium.reported_at, episode=medium,
                                to_user=officer)
    client.force_login(officer)
    url = reverse("reviews:handover_decide", args=[handover.pk])
    assert "Say why you cannot take the case" in errors(
        client.post(url, {"decision": "decline", "note": ""}))
    assert client.post(url, {"decision": "decline", "note": "Off shift"}).status_code == 302
    handover.refresh_from_db()
    assert handover.status == Handover.Status.DECLINED


def test_handover_needs_someone_chosen(client, medium, call_handler):
    client.force_login(call_handler)
    response = client.post(reverse("reviews:handover", args=[medium.pk]), {"to_user": ""})
    assert "Choose who to hand the case to" in errors(response)
    assert not Handover.objects.exists()


# --- actions and the enquiry log --------------------------------------------------------------

def test_add_assign_and_complete_an_action(client, medium, officer, sergeant):
    client.force_login(officer)
    response = client.post(reverse("reviews:action_new", args=[medium.pk]),
                           {"title": "Visit the friend's house", "due_at": "",
                            "assigned_to": ""})
    assert response.status_code == 302
    action = Action.objects.get(title="Visit the friend's house")
    assert client.post(reverse("reviews:action_assign", args=[action.pk]),
                       {"assigned_to": str(sergeant.pk)}).status_code == 302
    refused = client.post(reverse("reviews:action_complete", args=[action.pk]), {"result": ""})
    assert "Record the result of the action" in errors(refused)
    assert client.post(reverse("reviews:action_complete", args=[action.pk]),
                       {"result": "Not there"}).status_code == 302
    action.refresh_from_db()
    assert action.assigned_to == sergeant and action.is_done and action.result == "Not there"


def test_enquiry_log_refuses_the_future_and_a_sighting_without_a_place(client, medium, officer,
                                                                       now):
    client.force_login(officer)
    url = reverse("reviews:enquiry", args=[medium.pk])
    with time_machine.travel(now, tick=False):
        future = client.post(url, {"kind": "update", "occurred_at": "2026-03-14T18:00",
                                    "text": "Call from mum"})
        assert "cannot be in the future" in errors(future)
        nowhere = client.post(url, {"kind": "sighting", "occurred_at": "2026-03-14T14:00",
                                    "text": "Seen by a bus driver"})
        assert "Say where the child was seen" in errors(nowhere)
        assert not EnquiryEntry.objects.exists()
        ok = client.post(url, {"kind": "sighting", "occurred_at": "2026-03-14T14:00",
                               "location": "Drake Circus", "seen_by": "Bus driver",
                               "text": "Seen getting off the 21", "prompts_reassessment": "on"})
    assert ok.status_code == 302
    detail = page(client.get(reverse("episodes:detail", args=[medium.pk])))
    assert "Seen getting off the 21" in detail and "Drake Circus" in detail
    assert "Re-assessment after new information" in detail


# --- escalations ------------------------------------------------------------------------------

def test_overdue_review_escalates_and_is_acknowledged_from_the_queue(
        client, medium, sergeant, inspector, now):
    from mispers.casework.allocate import episode_allocate

    # Allocated, so the review is the one thing overdue on the case.
    episode_allocate(actor=sergeant, now=now, episode=medium, officer=sergeant)
    sweep(now=now + dt.timedelta(hours=3))  # medium review due at +1 h 30 min
    notification = Notification.objects.get(recipient=inspector,
                                            escalation__deadline__kind="review")
    client.force_login(inspector)
    with time_machine.travel(now + dt.timedelta(hours=3), tick=False):
        text = page(client.get(reverse("reviews:supervision")))
    assert "Escalations to acknowledge" in text
    import re
    assert "Supervisory review: overdue by 1 h 30 min" in re.sub(r"<[^>]+>", "", text)
    response = client.post(reverse("reviews:acknowledge", args=[notification.pk]),
                           {"next": reverse("reviews:supervision")})
    assert response.status_code == 302 and response.url == reverse("reviews:supervision")
    notification.refresh_from_db()
    assert notification.acknowledged_at is not None
    assert "Escalation acknowledged" in page(client.get(
        reverse("episodes:detail", args=[medium.pk])))
    again = client.post(reverse("reviews:acknowledge", args=[notification.pk]))
    assert "already acknowledged" in page(again)


def test_someone_elses_notification_is_not_found(client, medium, sergeant, inspector, now):
    sweep(now=now + dt.timedelta(hours=3))
    notification = Notification.objects.get(recipient=inspector)
    client.force_login(sergeant)
    assert client.post(reverse("reviews:acknowledge", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.acknowledged_at is None


def test_off_site_next_is_ignored(client, medium, inspector, sergeant, now):
    sweep(now=now + dt.timedelta(hours=3))
    notification = Notification.objects.get(recipient=inspector)
    client.force_login(inspector)
    response = client.post(reverse("reviews:acknowledge", args=[notification.pk]),
                           {"next": "https://evil.example/"})
    assert response.url == reverse("reviews:mine")


# --- the episode page -------------------------------------------------------------------------

def test_episode_page_shows_clock_owner_actions_and_reviews(client, medium, sergeant, now):
    review_complete(actor=sergeant, now=now, episode=medium, notes="All in hand")
    client.force_login(sergeant)
    with time_machine.travel(now + dt.timedelta(hours=9), tick=False):
        text = page(client.get(reverse("episodes:detail", args=[medium.pk])))
    # Reviewed at `now`; medium reviews every 8 h: overdue by 1 h.
    assert "Next review due" in text and "Overdue by 1 h 0 min" in text
    assert "Owner" in text and "All in hand" in text
    assert "Circulate the child as missing" in text  # a standard action of the grade
    assert "Record a review" in text and "Withdraw the report" in text
    assert "Record that the child is found" in text


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_episode_page_queries_do_not_grow_with_case_work(client, medium, sergeant, officer,
                                                         call_handler, now):
    client.force_login(sergeant)
    url = reverse("episodes:detail", args=[medium.pk])

    def work(n, start):
        for i in range(n):
            at = now + dt.timedelta(minutes=start + i)
            action_create(actor=officer, now=at, episode=medium, code="manual",
                          title=f"Task {start + i}", assigned_to=officer)
            enquiry_record(actor=officer, now=at, episode=medium, text=f"Update {start + i}",
                           occurred_at=at)
            review_complete(actor=sergeant, now=at, episode=medium, notes=f"Review {i}")
            handover_request(actor=sergeant, now=at, episode=medium,
                             to_user=officer if i % 2 else sergeant)

    work(1, 0)
    small = count_queries(client, url)
    work(8, 10)
    assert count_queries(client, url) == small


# --- another force, and signing in ------------------------------------------------------------

def review_urls(episode, action, handover, notification):
    return [
        reverse("reviews:review", args=[episode.pk]),
        reverse("reviews:handover", args=[episode.pk]),
        reverse("reviews:action_new", args=[episode.pk]),
        reverse("reviews:enquiry", args=[episode.pk]),
        reverse("reviews:handover_decide", args=[handover.pk]),
        reverse("reviews:action_assign", args=[action.pk]),
        reverse("reviews:action_complete", args=[action.pk]),
        reverse("reviews:acknowledge", args=[notification.pk]),
    ]


@pytest.fixture
def case_work(medium, call_handler, officer, sergeant, inspector, now):
    action = action_create(actor=call_handler, now=now, episode=medium, code="manual",
                           title="Ring round", assigned_to=officer)
    handover = handover_request(actor=call_handler, now=now, episode=medium, to_user=officer)
    sweep(now=now + dt.timedelta(hours=3))
    notification = Notification.objects.filter(recipient=inspector).first()
    return review_urls(medium, action, handover, notification)


def test_every_review_url_answers_404_to_another_force(client, case_work, medium, outsider):
    before = (medium.version, Review.objects.count(), Handover.objects.count(),
              Action.objects.count(), EnquiryEntry.objects.count(),
              Notification.objects.filter(acknowledged_at__isnull=False).count())
    client.force_login(outsider)
    for url in case_work:
        assert client.get(url).status_code == 404, url
        response = client.post(url, {"notes": "x", "to_user": str(outsider.pk), "title": "x",
                                     "result": "x", "text": "x", "kind": "update",
                                     "occurred_at": "2026-03-14T14:00", "decision": "accept",
                                     "assigned_to": str(outsider.pk), "expected_version": ""})
        assert response.status_code == 404, url
    medium.refresh_from_db()
    assert before == (medium.version, Review.objects.count(), Handover.objects.count(),
                      Action.objects.count(), EnquiryEntry.objects.count(),
                      Notification.objects.filter(acknowledged_at__isnull=False).count())
    for url in [reverse("reviews:mine"), reverse("reviews:supervision")]:
        assert medium.reference not in page_text(client.get(url))


def test_every_review_page_renders_for_someone_allowed(client, case_work, inspector):
    client.force_login(inspector)  # the escalation in case_work is addressed to the inspector
    for url in [*case_work, reverse("reviews:mine"), reverse("reviews:supervision")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<title>Error" not in page(response), url


def test_anonymous_is_sent_to_sign_in(client, case_work):
    for url in [*case_work, reverse("reviews:mine"), reverse("reviews:supervision")]:
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302 and response.url.startswith("/login/"), url
