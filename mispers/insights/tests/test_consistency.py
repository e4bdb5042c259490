"""Grading consistency (issue 12, ADR 40): rates per officer and team against the policy's
recommendation on a funnel plot; outliers beyond the 99.8% limits found, nobody else beyond
chance; the assessments behind a rate for those who may open records."""

import csv
import datetime as dt
import io
import random

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mispers.core.testing import page_text
from mispers.insights.consistency import MIN_ASSESSMENTS, consistency
from mispers.risk.models import Assessment

from .conftest import at

MARCH = {"first_day": "1", "first_month": "3", "first_year": "2026",
         "last_day": "31", "last_month": "3", "last_year": "2026"}


def planted_rows(seed: int, *, officers=30, per_officer=100, base=0.1, planted=0.3):
    """Synthetic assessment rows: officer 0 downgrades three times as often as the others, and
    officers assess different numbers of reports (a funnel, not a league table)."""
    rng = random.Random(seed)
    rows = []
    for officer in range(officers):
        rate = planted if officer == 0 else base
        n = per_officer if officer == 0 else rng.randint(per_officer // 3, per_officer * 2)
        for _ in range(n):
            below = rng.random() < rate
            rows.append({"officer": str(officer), "team": str(officer % 4),
                         "team_name": f"Team {officer % 4}", "recommended": "high",
                         "chosen": "medium" if below else "high", "below": below,
                         "status": "pending_ratification" if below else "accepted"})
    return rows


@pytest.mark.django_db
def test_the_audit_finds_the_planted_officer_and_flags_nobody_else_beyond_chance():
    found = false = 0
    for seed in range(20):
        result = consistency(planted_rows(seed), measure="below", unit="officer")
        flagged = {u.unit_id for u in result.outliers}
        found += "0" in flagged
        false += len(flagged - {"0"})
        planted = next(u for u in result.units if u.unit_id == "0")
        assert planted.interval[0] < planted.rate < planted.interval[1]
        assert planted.inner[1] <= planted.outer[1]
    # 29 honest officers at 99.8% limits: about 0.06 false flags a run expected.
    assert found >= 18, found
    assert false <= 3, false


@pytest.mark.django_db
def test_small_units_are_shown_but_never_flagged():
    rows = [{"officer": "tiny", "team": "t", "team_name": "T", "recommended": "high",
             "chosen": "low", "below": True, "status": "declined"}] * (MIN_ASSESSMENTS - 1)
    rows += [{"officer": "big", "team": "t", "team_name": "T", "recommended": "high",
              "chosen": "high", "below": False, "status": "accepted"}] * 200
    result = consistency(rows, measure="below", unit="officer")
    tiny = next(u for u in result.units if u.unit_id == "tiny")
    assert tiny.rate == 1.0 and tiny.outlier == "" and not tiny.flagged
    # Declined downgrades count among downgrades only.
    declined = consistency(rows, measure="declined", unit="officer")
    assert (declined.events, declined.n) == (MIN_ASSESSMENTS - 1, MIN_ASSESSMENTS - 1)


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 4, 5, 12)), tick=False):
        yield


@pytest.fixture
def analyst(force, make_user):
    return make_user(force=force, roles=["analyst"], username="analyst")


def test_the_page_shows_each_officer_against_the_force_and_the_csv_matches(
        client, analyst, force_data, frozen, officer):
    client.force_login(analyst)
    page = client.get(reverse("insights:consistency"), MARCH | {"measure": "below"})
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    # The reference: a straightforward count of the March assessments graded below.
    march = Assessment.objects.filter(episode__reported_at__gte=at(1, 0),
                                      episode__reported_at__lt=at(1, 0, month=4))
    below = [a for a in march if a.is_downgrade and a.episode.state != "withdrawn"]
    counted = [a for a in march if a.episode.state != "withdrawn"]
    assert officer.display_with_rank in html
    assert f"{len(below)} of {len(counted)} assessments" in html
    # The analyst sees names and rates, not the assessments behind them (no case records).
    assert reverse("insights:consistency_assessments", args=["officer", officer.pk]) not in html
    download = client.get(reverse("insights:consistency"),
                          MARCH | {"measure": "below", "download": "units"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:3] == ["Officer", "assessments", "events"]
    assert rows[1][:3] == [officer.display_with_rank, str(len(counted)), str(len(below))]


def test_a_supervisor_follows_an_officer_to_the_assessments_behind_the_rate(
        client, inspector, force_data, frozen, officer, analyst):
    client.force_login(inspector)
    url = reverse("insights:consistency_assessments", args=["officer", officer.pk])
    page = client.get(url, MARCH | {"measure": "below"})
    html = page.content.decode()
    assert page.status_code == 200
    downgraded = [e for e in force_data["episodes"]
                  if e.assessments.filter(chosen_grade__in=["low", "no_apparent_risk"]).exists()]
    for episode in downgraded:
        assert episode.reference in html
    # Each episode shown is in the access log.
    from mispers.accounts.models import AccessLog
    logged = set(AccessLog.objects.filter(user=inspector).values_list("object_id",
                                                                          flat=True))
    assert {str(e.pk) for e in downgraded} <= {str(x) for x in logged}
    client.force_login(analyst)
    assert client.get(url, MARCH).status_code == 403


@pytest.mark.parametrize("params, message", [
    ({"measure": "fastest"}, "Choose one of the measures listed"),
    ({"unit": "dog"}, "Compare officers or teams"),
    ({"first_day": "5", "last_day": "1", "last_month": "3"}, "must end on or after"),
])
def test_bad_input_is_answered_on_the_page(client, analyst, frozen, params, message):
    client.force_login(analyst)
    page = client.get(reverse("insights:consistency"), MARCH | params)
    assert page.status_code == 400 and message in page.content.decode()


def test_only_insight_roles_and_only_their_own_force(client, force_data, frozen, officer,
                                                     other_force, make_user):
    client.force_login(officer)
    assert client.get(reverse("insights:consistency"), MARCH).status_code == 403
    elsewhere = make_user(force=other_force, roles=["analyst"], username="elsewhere")
    client.force_login(elsewhere)
    html = client.get(reverse("insights:consistency"), MARCH).content.decode()
    assert officer.display_with_rank not in html and "No assessments in this period" in html


def test_the_api_gives_the_same_numbers(client, analyst, force_data, frozen, officer):
    client.force_login(analyst)
    answer = client.get("/api/v1/insights/consistency",
                        {"first": "2026-03-01", "last": "2026-03-31", "measure": "below"})
    assert answer.status_code == 200
    data = answer.json()
    [unit] = data["units"]
    assert unit["name"] == officer.display_with_rank and unit["n"] == data["n"]
    assert unit["events"] == data["events"] and data["target"] == unit["rate"]
    refused = client.get("/api/v1/insights/consistency", {"measure": "fastest"})
    assert refused.status_code == 400 and "measure" in refused.json()["field_errors"]


def test_same_facts_graded_differently_by_two_officers_are_grouped(
        client, analyst, force, frozen, officer, sergeant, call_handler, child_details,
        report_details):
    """Two children, the same answers and context, one graded medium by the officer and one
    low by the sergeant: shown together. A third graded by the officer the same as the first
    is in the group too; a child with other answers is not."""
    from mispers.casework.grade import assessment_record
    from mispers.casework.report import episode_report
    from mispers.risk.policy import FACTORS
    from mispers.risk.services import AnswerInput

    def graded(name, who, chosen, answers):
        when = at(10)
        episode = episode_report(
            actor=call_handler, now=when,
            details=report_details(reported_at=when, last_seen_at=when - dt.timedelta(hours=1)),
            new_child=child_details(given_name=name, family_name="Samefacts"))
        assessment_record(actor=who, now=when + dt.timedelta(minutes=5), episode=episode,
                          chosen_grade=chosen, rationale="Seen by the carer at noon",
                          answers={code: AnswerInput(answer=answers.get(code, "no"))
                                   for code in FACTORS})

    same = {"mental_health": "yes"}
    graded("Ann", officer, "high", same)
    graded("Bea", sergeant, "low", same)
    graded("Cas", officer, "high", same)
    graded("Dot", sergeant, "low", {"substance_misuse": "yes"})
    client.force_login(analyst)
    html = client.get(reverse("insights:consistency"), MARCH).content.decode()
    section = html[html.index('id="same-facts"'):]
    table = section[:section.index("</table>")]
    assert FACTORS["mental_health"].question in table
    assert FACTORS["substance_misuse"].question not in table
    assert "High: 2" in table and "Low: 1" in table


def test_the_coordinator_reviews_possibly_miscategorised_episodes_and_findings_count(
        client, force_data, frozen, force, make_user, officer, analyst):
    """Ben (low under a medium recommendation) is not listed: nothing came to light. Eve (no
    apparent risk) becomes a candidate once she discloses criminal exploitation; the
    coordinator finds her wrongly graded, and the officer's "found wrong on review" rate
    counts it."""
    from mispers.casework.interviews import prevention_interview_workflow

    eve = force_data["episodes"][-1]
    coordinator = make_user(force=force, roles=["coordinator"], rank="sergeant",
                            username="coord")
    url = reverse("insights:miscategorised")
    client.force_login(coordinator)
    assert eve.reference not in page_text(client.get(url, MARCH))
    prevention_interview_workflow(actor=officer, now=at(2, 9, month=4), episode=eve,
                                  held_at=at(2, 9, month=4), where_child_was="A flat",
                                  why_left="Asked to carry a bag", child_account="I owed them.",
                                  indicators=["criminal_exploitation"])
    html = client.get(url, MARCH).content.decode()
    assert eve.reference in html
    assert "Exploitation indicators disclosed at an interview" in html
    ben = force_data["episodes"][3]
    assert ben.reference not in html

    finding = reverse("insights:record_finding", args=[eve.pk])
    refused = client.post(finding, {"finding": "wrongly_graded", "note": ""})
    assert refused.status_code == 400 and "Say what was wrong" in refused.content.decode()
    assert client.post(finding, {"finding": "wrongly_graded", "note": "Known to be with an "
                                 "adult of concern", "next": url}).status_code == 302
    assert "Wrongly graded" in client.get(url, MARCH).content.decode()

    client.force_login(analyst)
    assert client.get(url, MARCH).status_code == 403
    answer = client.get("/api/v1/insights/consistency",
                        {"first": "2026-03-01", "last": "2026-03-31", "measure": "wrongly"})
    [unit] = answer.json()["units"]
    assert unit["events"] == 1
