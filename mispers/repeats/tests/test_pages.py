"""The repeat pages: every police role reads, the coordinator and supervisors write, another
force's records answer 404, and the child's page costs the same queries however long the
history."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mispers.accounts.models import AccessLog
from mispers.repeats.models import StrategyMeeting, StrategyMeetingFlag, TriggerPlan
from mispers.repeats.services import PlanActionInput, trigger_plan_save

from .conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(now):
    with time_machine.travel(now, tick=False):
        yield


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def flagged(make_child, report_at, coordinator, now):
    child = make_child(given_name="Amira")
    for days in (60, 30, 2):
        report_at(child, days_ago(now, days), last_seen_where="Plymouth bus station")
    return child


def test_the_child_page_shows_the_pattern_the_flag_and_the_plan(signed_in, flagged, officer,
                                                                 coordinator, now):
    trigger_plan_save(actor=coordinator, now=days_ago(now, 100), child=flagged,
                      review_on=(now - dt.timedelta(days=1)).date(),
                      actions=[PlanActionInput(kind="call_carer", description="Call the carer")])
    page = signed_in(officer).get(reverse("people:detail", args=[flagged.pk])).content.decode()
    assert "Strategy meeting needed" in page
    assert "2 in the last 30 days" in page and "3 in 90 days" in page and "3 in all" in page
    assert "Plymouth bus station (3)" in page
    assert "Stale: review overdue" in page and "Call a named carer: Call the carer" in page


def test_child_page_queries_do_not_grow_with_history(signed_in, make_child, report_at,
                                                     officer, now):
    child = make_child()
    report_at(child, days_ago(now, 300))
    client = signed_in(officer)
    url = reverse("people:detail", args=[child.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for days in (250, 200, 150, 100, 60, 30, 10):
        report_at(child, days_ago(now, days))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_repeat_list_ranks_children_and_shows_the_concentration(signed_in, make_child,
                                                                report_at, officer, now):
    busy, quiet, once = make_child(given_name="Busy"), make_child(given_name="Quiet"), \
        make_child(given_name="Once")
    for days in (80, 40, 10):
        report_at(busy, days_ago(now, days))
    for days in (300, 200):
        report_at(quiet, days_ago(now, days))
    report_at(once, days_ago(now, 5))
    page = signed_in(officer).get(reverse("repeats:list")).content.decode()
    assert page.index("Busy") < page.index("Quiet")
    assert "Once Testchild" not in page
    # 3 children missing in 12 months: top 5% is 1 child (Busy, 3 of 6 episodes).
    assert "account for <span class=\"app-concentration-share\">50%</span>" in page
    page = signed_in(officer).get(reverse("repeats:list"), {"days": "90"}).content.decode()
    assert "app-concentration-share\">75%" in page  # Busy 3 of 4 in 90 days


def test_the_coordinator_records_a_meeting_with_blank_rows_ignored(signed_in, flagged,
                                                                   coordinator, now):
    client = signed_in(coordinator)
    url = reverse("repeats:meeting_new", args=[flagged.pk])
    assert "Record a strategy meeting" in client.get(url).content.decode()
    form = {"held_on": "2026-03-13", "agencies": ["Police", "Education"],
            "decisions": "Refer to the panel",
            "action-1-description": "Refer to the panel", "action-1-owner_name": "J Smith",
            "action-1-owner_agency": "Children's social care",
            "action-1-due_on": "2026-03-20"}
    response = client.post(url, form)
    meeting = StrategyMeeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("repeats:meeting",
                                                                   args=[meeting.pk])
    assert meeting.actions.count() == 1
    assert StrategyMeetingFlag.objects.get().status == "held"
    page = client.get(response.url).content.decode()
    assert "J Smith, Children&#x27;s social care" in page


def test_an_action_without_an_owner_is_shown_beside_the_row(signed_in, flagged, coordinator):
    client = signed_in(coordinator)
    response = client.post(reverse("repeats:meeting_new", args=[flagged.pk]), {
        "held_on": "2026-03-13", "agencies": ["Police", "Education"],
        "decisions": "Refer", "action-3-description": "Visit weekly",
        "action-3-due_on": "2026-03-20"})
    assert response.status_code == 200
    assert not StrategyMeeting.objects.exists()
    text = response.content.decode()
    assert "every action needs an owner" in text
    assert 'href="#id_action-3-owner_name"' in text  # the row the coordinator filled


@pytest.mark.parametrize("name", ["officer", "call_handler"])
def test_every_case_reader_reads_but_only_planners_write(signed_in, flagged, request, name):
    user = request.getfixturevalue(name)
    client = signed_in(user)
    for url in (reverse("repeats:list"), reverse("repeats:meetings"),
                reverse("repeats:child_meetings", args=[flagged.pk]),
                reverse("repeats:trigger_plan", args=[flagged.pk])):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("repeats:meeting_new", args=[flagged.pk])).status_code == 403
    client.post(reverse("repeats:trigger_plan", args=[flagged.pk]), {
        "review_on": "2026-06-01", "action-1-kind": "other", "action-1-description": "x"})
    assert not TriggerPlan.objects.exists()


def test_the_analyst_reads_no_named_child(signed_in, flagged, analyst):
    client = signed_in(analyst)  # pseudonymised analysis only (ADR 0018)
    for url in (reverse("repeats:list"), reverse("repeats:meetings"),
                reverse("repeats:child_meetings", args=[flagged.pk]),
                reverse("repeats:trigger_plan", args=[flagged.pk]),
                reverse("people:detail", args=[flagged.pk])):
        assert client.get(url).status_code == 403, url


def test_another_forces_child_answers_404(signed_in, flagged, outsider, other_coordinator):
    for user in (outsider, other_coordinator):
        client = signed_in(user)
        for name in ("child_meetings", "trigger_plan"):
            assert client.get(reverse(f"repeats:{name}", args=[flagged.pk])).status_code == 404
    response = client.post(reverse("repeats:trigger_plan", args=[flagged.pk]), {
        "review_on": "2026-06-01", "action-1-kind": "other", "action-1-description": "x"})
    assert response.status_code == 404 and not TriggerPlan.objects.exists()


def test_the_coordinator_writes_a_trigger_plan_and_reading_it_is_logged(signed_in, flagged,
                                                                         coordinator):
    client = signed_in(coordinator)
    url = reverse("repeats:trigger_plan", args=[flagged.pk])
    response = client.post(url, {"review_on": "2026-06-01", "action-1-kind": "check_address",
                                 "action-1-description": "Check the flat",
                                 "action-1-detail": "Flat 2", "action-1-due_within_minutes": "45",
                                 "action-2-kind": "", "action-2-due_within_minutes": "60"})
    assert response.status_code == 302
    plan = TriggerPlan.objects.get()
    assert [(a.kind, a.due_within_minutes) for a in plan.actions.all()] == [("check_address", 45)]
    client.get(url)
    assert AccessLog.objects.filter(user=coordinator, child_id=flagged.pk).exists()
    response = client.post(url, {"review_on": "2026-03-01", "action-1-kind": "other",
                                 "action-1-description": "x"})
    assert "The review date must be after today" in response.content.decode()


def test_the_episode_page_shows_the_flag_and_where_plan_actions_came_from(
        signed_in, make_child, report_at, coordinator, officer, now):
    child = make_child()
    trigger_plan_save(actor=coordinator, now=days_ago(now, 20), child=child,
                      review_on=(now + dt.timedelta(days=30)).date(),
                      actions=[PlanActionInput(kind="search_place", description="The park")])
    for days in (40, 20):
        report_at(child, days_ago(now, days))
    episode = report_at(child, days_ago(now, 1))
    page = signed_in(officer).get(reverse("episodes:detail", args=[episode.pk])).content.decode()
    assert "Strategy meeting needed" in page and "counting this report" in page
    assert "Search a place: The park" in page
    assert "From trigger plan (reviewed 22 Feb 2026)" in page


def test_the_coordinators_queue_lists_meetings_to_arrange(signed_in, flagged, coordinator):
    page = signed_in(coordinator).get(reverse("returns:coordinator")).content.decode()
    assert "Strategy meetings to arrange (1)" in page and flagged.full_name in page
