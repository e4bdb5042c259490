"""The force picture page (issue 12): the figures for a period beside the period before and a
year earlier, each table as CSV, a bad period answered on the page, aggregates only, and for the
analysts and managers only."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
URL = "insights:force_picture"
MARCH = {"first_day": "1", "first_month": "3", "first_year": "2026",
         "last_day": "31", "last_month": "3", "last_year": "2026"}


@pytest.fixture
def analyst(force, make_user):
    return make_user(force=force, roles=["analyst"], username="analyst")


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 4, 5, 12)), tick=False):
        yield


def test_the_period_beside_the_period_before_and_a_year_earlier(client, analyst, force_data,
                                                                frozen):
    client.force_login(analyst)
    page = client.get(reverse(URL), MARCH)
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 Mar 2026 to 31 Mar 2026" in html and "29 Jan 2026 to 28 Feb 2026" in html
    row = html[html.index('data-figure="incidents"'):]
    row = row[:row.index("</tr>")]
    assert ">6<" in row and ">1<" in row  # March 6, February 1 (Cal), a year earlier 0
    assert force_data["amy"].full_name not in html  # no child named


def test_every_table_downloads_as_csv(client, analyst, force_data, frozen):
    client.force_login(analyst)
    download = client.get(reverse(URL), {**MARCH, "download": "headline"})
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:2] == ["figure", "code"]
    incidents = next(r for r in rows if r[1] == "incidents")
    assert incidents[2:] == ["6", "1", "0"]
    bands = list(csv.reader(io.StringIO(client.get(reverse(URL), {
        **MARCH, "download": "time_missing"}).content.decode())))
    assert ["Still missing", "still_missing", "2"] in bands


def test_a_bad_period_is_answered_on_the_page(client, analyst, frozen):
    client.force_login(analyst)
    backwards = client.get(reverse(URL), {**MARCH, "last_day": "1", "first_day": "31"})
    assert backwards.status_code == 400
    assert "The period must end on or after the day it starts" in backwards.content.decode()
    future = client.get(reverse(URL), {**MARCH, "last_month": "12"})
    assert "cannot end in the future" in future.content.decode()
    unreal = client.get(reverse(URL), {**MARCH, "first_day": "31", "first_month": "2"})
    assert "The first day must be a real date" in unreal.content.decode()


def test_the_default_is_the_last_twelve_whole_months(client, analyst, frozen):
    client.force_login(analyst)
    html = client.get(reverse(URL)).content.decode()
    assert "1 Apr 2025 to 31 Mar 2026" in html


def test_only_analysts_and_managers_see_it(client, call_handler, analyst, outsider, force_data,
                                           frozen):
    client.force_login(call_handler)
    assert client.get(reverse(URL)).status_code == 403
    client.force_login(outsider)  # another force's sergeant: not a manager role
    assert client.get(reverse(URL)).status_code == 403


def test_the_api_gives_the_same_numbers(client, analyst, force_data, frozen):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(analyst)
    body = api.get("/api/v1/insights/figures", {"first": "2026-03-01",
                                                "last": "2026-03-31"}).json()
    assert body["figures"]["incidents"] == [6, 1, 0]
    assert body["breakdowns"]["time_missing"]["still_missing"] == 2
    refused = api.get("/api/v1/insights/figures", {"first": "2026-03-31", "last": "2026-03-01"})
    assert refused.status_code == 400
    assert "must end on or after" in refused.json()["field_errors"]["last"][0]
    bad = api.get("/api/v1/insights/figures", {"first": "March", "last": "2026-03-01"})
    assert bad.json()["field_errors"]["first"] == ["Enter a date as YYYY-MM-DD"]


def test_filters_and_the_trend_and_day_hour_tables(client, analyst, force_data, force, frozen):
    from mispers.accounts.models import Area, Team
    from mispers.episodes.models import Episode

    north = Area.objects.create(force=force, name="North")
    team = Team.objects.create(force=force, name="Response A", area=north)
    Episode.objects.filter(pk=force_data["episodes"][0].pk).update(team=team, area=north)
    client.force_login(analyst)
    page = client.get(reverse(URL), {**MARCH, "team": team.pk}).content.decode()
    row = page[page.index('data-figure="incidents"'):]
    assert ">1<" in row[:row.index("</tr>")]
    assert 'data-table="by_month"' in page and "2026-03" in page
    grid = list(csv.reader(io.StringIO(client.get(reverse(URL), {
        **MARCH, "download": "hour_by_day"}).content.decode())))
    assert grid[0][:3] == ["day", "00:00", "01:00"]
    monday = next(r for r in grid if r[0] == "Monday")
    assert monday[1 + 12] == "1"  # Amy, Monday 2 March at noon
    unknown = client.get(reverse(URL), {**MARCH, "team": "99999"})
    assert unknown.status_code == 400
    assert "Choose one of your force&#x27;s teams" in unknown.content.decode()


def test_charts_are_drawn_on_the_server_beside_their_tables(client, analyst, force_data,
                                                            frozen):
    client.force_login(analyst)
    page = client.get(reverse(URL), MARCH).content.decode()
    assert page.count('<figure class="app-chart') == 4
    assert page.count("<svg") >= 3 and "cdn" not in page.lower()
    parts = page.split('<figure class="app-chart')[1:]
    figures = [part[:part.index("</figure>")] for part in parts]
    month = next(f for f in figures if "Month of report" in f)
    assert "2026-03" in month  # the axis and its value, drawn as text in the SVG
    assert any("Still missing" in f for f in figures)
