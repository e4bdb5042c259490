"""Outcomes by grade (issue 12, ADR 40): harm by initial grade, from the force's own records,
checked against a straightforward computation and against the hand-built force."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mispers.insights.outcomes import HARMED
from mispers.insights.period import Period
from mispers.returns.models import FoundRecord

pytestmark = pytest.mark.django_db
MARCH = {"first_day": "1", "first_month": "3", "first_year": "2026",
         "last_day": "31", "last_month": "3", "last_year": "2026"}


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 4, 5, 12)), tick=False):
        yield


@pytest.fixture
def analyst(force, make_user):
    return make_user(force=force, roles=["analyst"], username="analyst")


def reference(force):
    """By hand: each found March episode's first effective grade, and whether it was harm."""
    period = Period(first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 31))
    table = {}
    for record in FoundRecord.objects.filter(
            episode__force=force, episode__reported_at__gte=period.start,
            episode__reported_at__lt=period.end).exclude(episode__state="withdrawn"):
        first = record.episode.assessments.filter(sequence=1).first()
        if first is None:
            continue
        cell = table.setdefault(first.effective_grade, [0, 0])
        cell[0] += 1
        cell[1] += record.condition in HARMED or bool(record.harms)
    return table


def test_the_table_matches_the_records(client, analyst, force, force_data, frozen):
    client.force_login(analyst)
    page = client.get(reverse("insights:outcomes"), MARCH)
    assert page.status_code == 200
    download = client.get(reverse("insights:outcomes"), MARCH | {"download": "outcomes"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:5] == ["policy version", "initial grade", "found", "harmed", "harm rate"]
    expected = reference(force)
    labels = {"High": "high", "Medium": "medium", "Low": "low",
              "No apparent risk": "no_apparent_risk"}
    got = {labels[r[1]]: [int(r[2]), int(r[3])] for r in rows[1:] if int(r[2])}
    assert got == expected
    # The hand-built force: four March children found, one harmed (Amy's third episode, graded
    # medium), so every harmed child was graded below high.
    assert sum(n for n, _ in got.values()) == 4 and sum(h for _, h in got.values()) == 1
    html = page.content.decode()
    assert "Harmed but not graded high: <strong>100.0%</strong>" in html
    answer = client.get("/api/v1/insights/outcomes", {"first": "2026-03-01",
                                                      "last": "2026-03-31"}).json()
    [table] = answer["tables"]
    assert {g["grade"]: [g["found"], g["harmed"]] for g in table["by_grade"]
            if g["found"]} == expected
    assert table["harmed_not_high"] == 1.0


def test_a_bad_period_and_the_wrong_roles_are_refused(client, analyst, officer, frozen):
    client.force_login(analyst)
    bad = client.get(reverse("insights:outcomes"), MARCH | {"last_year": "2027"})
    assert bad.status_code == 400 and "cannot end in the future" in bad.content.decode()
    client.force_login(officer)
    assert client.get(reverse("insights:outcomes"), MARCH).status_code == 403
