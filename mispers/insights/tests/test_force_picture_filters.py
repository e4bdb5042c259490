"""The force picture's self-defined ethnicity and initial-grade filters (issue 12): the filtered
figures against a straightforward count of the records, the same on the page, the CSV and the
API, and a value that does not exist answered on the page and with a 400 naming the field."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mispers.episodes.models import Episode
from mispers.insights.forms import GRADE_CHOICES
from mispers.insights.measures import NOT_GRADED
from mispers.people.models import Child

from .conftest import at

pytestmark = pytest.mark.django_db
MARCH = {"first": "2026-03-01", "last": "2026-03-31"}
PAGE_MARCH = {"first_day": "1", "first_month": "3", "first_year": "2026",
              "last_day": "31", "last_month": "3", "last_year": "2026"}


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 4, 5, 12)), tick=False):
        yield


@pytest.fixture
def api(force, make_user):
    client = APIClient()
    client.force_login(make_user(force=force, roles=["analyst"], username="analyst"))
    return client


def march_episodes():
    """The reference: March's counted episodes, read one by one through the models."""
    return [e for e in Episode.objects.filter(reported_at__gte=at(1, 0),
                                              reported_at__lt=at(1, 0, month=4))
            if e.state != Episode.State.WITHDRAWN]


def initial_grade(episode) -> str:
    first = episode.assessments.order_by("sequence").first()
    return first.effective_grade if first else NOT_GRADED


def test_the_initial_grade_filter_counts_what_the_first_assessments_say(api, force_data,
                                                                        frozen):
    expected = {code: 0 for code, _label in GRADE_CHOICES}
    for episode in march_episodes():
        expected[initial_grade(episode)] += 1
    assert sum(expected.values()) == 6 and len([n for n in expected.values() if n]) >= 3
    for code, count in expected.items():
        body = api.get("/api/v1/insights/figures", MARCH | {"grade": code}).json()
        assert body["figures"]["incidents"][0] == count, code
        # Every figure is about the filtered incidents: its initial-grade table has one row.
        assert {k: v for k, v in body["breakdowns"]["initial_grade"].items() if v} == (
            {code: count} if count else {})


def test_the_ethnicity_filter_takes_a_category_or_its_group(api, force_data, frozen):
    amy = force_data["amy"]
    Child.objects.filter(pk=amy.pk).update(ethnicity="black_caribbean")
    episodes = march_episodes()
    for asked, wanted in [("black_caribbean", lambda e: e == "black_caribbean"),
                          ("black", lambda e: e.startswith("black_")),
                          ("asian_pakistani", lambda e: e == "asian_pakistani"),
                          ("asian", lambda e: e.startswith("asian_")),
                          ("white", lambda e: e.startswith("white_")),
                          ("not_stated", lambda e: e == "not_stated")]:
        chosen = [e for e in episodes if wanted(e.child.ethnicity)]
        body = api.get("/api/v1/insights/figures", MARCH | {"ethnicity": asked}).json()
        assert body["figures"]["incidents"][0] == len(chosen), asked
        assert body["figures"]["individuals"][0] == len({e.child_id for e in chosen}), asked
    # Amy's three March episodes, two of them repeats of her first.
    body = api.get("/api/v1/insights/figures", MARCH | {"ethnicity": "black"}).json()
    assert body["figures"]["incidents"][0] == 3 and body["figures"]["repeat_incidents"][0] == 2


def test_filters_combine_on_the_page_and_its_csv(client, force, make_user, force_data, frozen):
    client.force_login(make_user(force=force, roles=["analyst"], username="analyst2"))
    Child.objects.filter(pk=force_data["amy"].pk).update(ethnicity="black_caribbean")
    expected = sum(1 for e in march_episodes()
                   if e.child.ethnicity.startswith("black_") and initial_grade(e) == "medium")
    page = client.get(reverse("insights:force_picture"),
                      PAGE_MARCH | {"ethnicity": "black", "grade": "medium"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="ethnicity"' in html and 'name="grade"' in html
    download = client.get(reverse("insights:force_picture"), PAGE_MARCH | {
        "ethnicity": "black", "grade": "medium", "download": "headline"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert next(r for r in rows if r[1] == "incidents")[2] == str(expected) == "2"


@pytest.mark.parametrize("name, value, message", [
    ("ethnicity", "purple", "Choose one of the ethnicities listed"),
    ("grade", "extreme", "Choose one of the grades listed"),
])
def test_a_value_that_does_not_exist_is_refused_naming_the_field(client, api, force,
                                                                  make_user, frozen, name,
                                                                  value, message):
    refused = api.get("/api/v1/insights/figures", MARCH | {name: value})
    assert refused.status_code == 400
    assert refused.json()["field_errors"][name] == [message]
    client.force_login(make_user(force=force, roles=["analyst"], username="analyst3"))
    page = client.get(reverse("insights:force_picture"), PAGE_MARCH | {name: value})
    assert page.status_code == 400 and message in page.content.decode()


def test_the_api_takes_the_pages_other_filters_too(api, force_data, force, other_force,
                                                   frozen):
    from mispers.accounts.models import Team

    theirs = Team.objects.create(force=other_force, name="Elsewhere")
    refused = api.get("/api/v1/insights/figures", MARCH | {"team": theirs.pk})
    assert refused.status_code == 400 and "team" in refused.json()["field_errors"]
    assert api.get("/api/v1/insights/figures", MARCH | {"sex": "cat"}).status_code == 400
    body = api.get("/api/v1/insights/figures", MARCH | {"missing_from": "care"}).json()
    assert body["figures"]["incidents"][0] == sum(
        1 for e in march_episodes() if e.missing_from == "care")
