"""The police and crime commissioner's office (issue 12, ADR 41): the force picture and the
outcomes with counts of 1 to 4 shown as "fewer than 5" (and a second count hidden where a total
would reveal one), no chart, no named place; never a record, a name or a reference."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mispers.insights import suppression

pytestmark = pytest.mark.django_db
MARCH = {"first_day": "1", "first_month": "3", "first_year": "2026",
         "last_day": "31", "last_month": "3", "last_year": "2026"}
FEWER = suppression.FEWER


def test_small_counts_and_the_cell_a_total_would_reveal_are_suppressed():
    assert suppression.counts([10, 3, 7, 0]) == [10, FEWER, FEWER, 0]   # 3, then 7 as well
    assert suppression.counts([10, 3, 2, 0]) == [10, FEWER, FEWER, 0]   # two: none added
    assert suppression.counts([10, 12, 0]) == [10, 12, 0]               # nothing small
    assert suppression.counts([3]) == [FEWER]                           # nothing else to hide
    assert suppression.share(3, 20, 0.15) == FEWER
    assert suppression.share(15, 20, 0.75) == 0.75
    assert suppression.share(18, 20, 0.9) == FEWER      # 2 did not: the complement is small
    assert suppression.share(0, 0, None) is None


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 4, 5, 12)), tick=False):
        yield


@pytest.fixture
def commissioner(force, make_user):
    return make_user(force=force, roles=["commissioner"], username="pcc")


def test_the_commissioner_sees_the_force_picture_with_small_numbers_suppressed(
        client, commissioner, force_data, frozen):
    client.force_login(commissioner)
    page = client.get(reverse("insights:force_picture"), MARCH)
    html = page.content.decode()
    assert page.status_code == 200
    incidents = html[html.index('data-figure="incidents"'):]
    incidents = incidents[:incidents.index("</tr>")]
    # March has 6 incidents (shown); February 1 and a year earlier 0.
    assert ">6<" in incidents and FEWER in incidents and ">0<" in incidents
    assert "<svg" not in html and "app-places-table" not in html
    assert force_data["amy"].full_name not in html
    rows = list(csv.reader(io.StringIO(client.get(
        reverse("insights:force_picture"), MARCH | {"download": "initial_grade"}
    ).content.decode())))
    assert all(row[2] in (FEWER, "0") or int(row[2]) >= 5 for row in rows[1:])
    assert any(row[2] == FEWER for row in rows[1:])
    outcomes = client.get(reverse("insights:outcomes"), MARCH).content.decode()
    assert FEWER in outcomes and "100.0%" not in outcomes


def test_the_commissioner_never_reaches_a_record_or_a_name(client, commissioner, force_data,
                                                           frozen):
    client.force_login(commissioner)
    episode = force_data["episodes"][0]
    for url in [reverse("people:detail", args=[force_data["amy"].pk]),
                reverse("episodes:detail", args=[episode.pk]),
                reverse("insights:consistency"), reverse("insights:miscategorised"),
                "/api/v1/insights/consistency", "/api/v1/insights/quality",
                "/api/v1/analysis/episodes/", f"/api/v1/episodes/{episode.pk}/"]:
        assert client.get(url).status_code == 403, url


def test_the_commissioner_reads_the_figures_from_the_api_suppressed(client, commissioner,
                                                                    force_data, frozen):
    client.force_login(commissioner)
    march = {"first": "2026-03-01", "last": "2026-03-31"}
    body = client.get("/api/v1/insights/figures", march).json()
    assert body["suppressed"] is True
    assert body["figures"]["incidents"] == [6, FEWER, 0]   # February had 1
    assert body["figures"]["individuals"][0] == FEWER       # Amy, Ben, Cal, Eve
    assert all(value in (FEWER, 0) or value >= 5
               for table in body["breakdowns"].values() for value in table.values())
    outcomes = client.get("/api/v1/insights/outcomes", march).json()
    assert outcomes["suppressed"] is True
    rows = [row for table in outcomes["tables"] for row in table["by_grade"]]
    assert all(row["found"] in (FEWER, 0) for row in rows)
    assert all(row["rate"] in (FEWER, None) for row in rows)
    assert client.get("/api/v1/insights/figures",
                      {"first": "2026-03-31", "last": "2026-03-01"}).status_code == 400
