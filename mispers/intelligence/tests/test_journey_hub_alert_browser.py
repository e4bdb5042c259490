"""Browser journey in Chromium (issue 14, ADR 51): an associate known as "Jaydee" is already
linked to two children in the last year. A third child's return-home interview names him. The
coordinator opens the interview, sees the names and numbers read from it, confirms "Jaydee",
and is told at once that the child has joined an exploitation hub: the banner after confirming,
the notification and the proposed exploitation marker on the episode's page, My work, and the
hub on the child's network. Then the force's network shows the hub, and its CSV and GraphML
exports name it and the child."""

import csv
import datetime as dt
import re

import networkx as nx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mispers.casework.children import child_create
from mispers.casework.found import return_record
from mispers.casework.intelligence import link_record
from mispers.casework.interviews import return_interview_workflow
from mispers.intelligence.models import Suggestion
from mispers.intelligence.services import entity_create
from mispers.partners.tests.together import PASSWORD, graded_episode, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITH_WHOM = "She was with Jaydee again; he rang her from 07700 900123 and picked her up."


def scene(*, force, now, child_details, make_user):
    """Jaydee seen with Amy (seven months ago) and Bea (last month); Cara missing, found, and
    her return-home interview, completed by the coordinator, names him."""
    w = world(force=force, now=now - dt.timedelta(days=300), child_details=child_details)
    officer = make_user(force=force, roles=["officer"], rank="officer", username="oic",
                        password=PASSWORD)
    jaydee = entity_create(actor=officer, now=now - dt.timedelta(days=250), kind="person",
                           name="Jaydee", aliases=["JD"], role="suspected_exploiter")
    for name, days_ago in (("Amy", 210), ("Bea", 30)):
        child = child_create(actor=officer, now=now - dt.timedelta(days=250), force=force,
                             details=child_details(given_name=name, family_name="Hubjourney"))
        linked = link_record(actor=officer, now=now - dt.timedelta(days=days_ago), child=child,
                             entity=jaydee, kind="seen_with",
                             occurred_on=(now - dt.timedelta(days=days_ago)).date(),
                             source="enquiry_log", source_evaluation="B",
                             information_assessment="3")
        assert linked.alert is None  # two children: not a hub yet (the national rule is 3)
    cara = child_create(actor=officer, now=now - dt.timedelta(days=2), force=force,
                        details=child_details(given_name="Cara", family_name="Hubjourney"))
    episode = graded_episode(actor=officer, now=now - dt.timedelta(days=2), child=cara,
                             grader=officer, reported_at=now - dt.timedelta(days=2))
    found_at = now - dt.timedelta(days=1)
    return_record(actor=officer, now=found_at, episode=episode, found_at=found_at,
                  found_where="Plymouth bus station", found_by="police",
                  condition="safe_and_well")
    return_interview_workflow(
        actor=w.coordinator, now=now - dt.timedelta(hours=2),
        interview=episode.return_home_interview, offered_at=found_at + dt.timedelta(hours=2),
        response="accepted", completed_at=now - dt.timedelta(hours=3),
        interviewer_name="Sam Independent", with_whom=WITH_WHOM)
    # Read from the interview: his street name and a new phone number, nothing linked yet.
    assert set(Suggestion.objects.filter(child=cara).values_list("written", flat=True)) == {
        "Jaydee", "07700 900123"}
    return w, episode


def banner(page, text: str):
    return page.locator(".govuk-notification-banner").filter(has_text=text)


def test_confirming_an_associate_from_the_interview_shows_the_hub_alert_and_the_network(
        page_for, force, child_details, make_user):
    now = timezone.now()
    w, episode = scene(force=force, now=now, child_details=child_details, make_user=make_user)
    page = page_for(w.coordinator)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The return-home interview, from the episode's page.
    page.goto(f"/episodes/{episode.pk}/")
    expect(banner(page, "exploitation hub")).to_have_count(0)
    page.get_by_role("link", name="Update the return-home interview").click()
    expect(page.get_by_role("heading", name="Return-home interview", level=1)).to_be_visible()
    read = page.locator("#suggestions")
    expect(read).to_contain_text("Names, numbers and plates read from this interview (2)")
    table = page.locator(".app-suggestions")
    expect(table).to_contain_text("Jaydee")
    expect(table).to_contain_text("Return-home interview")

    # Confirm "Jaydee": the form knows it came from an interview.
    page.get_by_role("link", name="Confirm Jaydee").click()
    expect(page.get_by_role("heading", name="Confirm Jaydee")).to_be_visible()
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        f"From the return-home interview of {episode.reference}")
    expect(page.get_by_label("What happened")).to_have_value("named_at_interview")
    page.get_by_role("radio", name="B: untested").check()
    page.get_by_role("radio", name=re.compile("^2: known indirectly")).check()
    page.get_by_role("button", name="Confirm and link").click()

    # Back on the interview, told at once: the child has joined a hub.
    expect(page.get_by_role("heading", name="Return-home interview", level=1)).to_be_visible()
    expect(banner(page, "Cara linked to Jaydee.")).to_be_visible()
    alert = banner(page, "Linked to an exploitation hub: Jaydee, linked to 3 children")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("an exploitation marker was proposed")
    expect(page.locator("#suggestions")).to_contain_text(
        "Names, numbers and plates read from this interview (1)")
    expect(page.get_by_role("link", name="Confirm Jaydee")).to_have_count(0)
    expect(page.get_by_role("link", name="Confirm 07700 900123")).to_be_visible()

    # The episode's page: the notification for the coordinator and the proposed marker.
    page.get_by_role("link", name=f"Back to {episode.reference}").click()
    told = page.locator(".app-escalation")
    expect(told).to_contain_text("For your attention")
    expect(told).to_contain_text(
        f"{episode.reference}: Cara Hubjourney linked to an exploitation hub: Jaydee, "
        "3 children")
    expect(told).not_to_contain_text("overdue")
    expect(page.locator("#markers + ul")).to_contain_text(
        "Exploitation marker from police intelligence (linked to an exploitation hub): Proposed")
    expect(page.get_by_role("link", name="Confirm or reject the proposed marker")).to_be_visible()

    # My work lists it until acknowledged.
    page.get_by_role("link", name="My work", exact=True).first.click()
    expect(page.locator(".app-escalations")).to_contain_text(
        "Cara Hubjourney linked to an exploitation hub: Jaydee, 3 children")

    # The child's network: Jaydee is a hub, through whom Amy and Bea are linked.
    page.goto(f"/children/{episode.child_id}/")
    network = page.locator(".app-child-network")
    expect(network).to_contain_text("Jaydee")
    expect(network).to_contain_text("Hub: 3 children in 365 days")
    expect(network).to_contain_text("Amy Hubjourney")
    expect(network).to_contain_text("Bea Hubjourney")

    # The force's network shows the hub; both exports name it and Cara.
    page.get_by_role("link", name="Network", exact=True).first.click()
    expect(page.get_by_role("heading", name="The network", level=1)).to_be_visible()
    hubs = page.locator("#hubs-table")
    expect(hubs).to_contain_text("Jaydee")
    expect(hubs).to_contain_text("3")
    expect(page.locator("#entities-table")).to_contain_text("Cara Hubjourney")
    with page.expect_download() as csv_download:
        page.locator("#export-csv").click()
    with open(csv_download.value.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.DictReader(exported))
    # Jaydee is an end marked as a hub of 3 children, linked to Cara (the child end).
    to_jaydee = [row for row in rows if row["target_label"] == "Jaydee"]
    assert {row["source_label"] for row in to_jaydee} >= {"Cara Hubjourney", "Amy Hubjourney"}
    assert {(row["target_hub"], row["target_hub_children"]) for row in to_jaydee} == {
        ("yes", "3")}
    with page.expect_download() as graphml_download:
        page.locator("#export-graphml").click()
    graph = nx.read_graphml(graphml_download.value.path())
    labels = {data.get("label"): data for _, data in graph.nodes(data=True)}
    assert "Cara Hubjourney" in labels
    assert labels["Jaydee"]["hub"] is True and labels["Jaydee"]["hub_children"] == 3
    assert errors == []
