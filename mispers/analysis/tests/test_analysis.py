"""The analyst's pseudonymised rows and counts (ADR 0018): what an analyst can and cannot learn.

Distinctive names and free text are planted in every identifiable field a report, an
assessment, a return and a marker can carry; none of it may come back from the analysis API or
page, nor the child's id or date of birth."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.test import APIClient

from mispers.analysis.pseudonym import child_pseudonym
from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.episodes.services import ReportDetails
from mispers.people.services import marker_add
from mispers.reviews.services import enquiry_record
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

pytestmark = pytest.mark.django_db

# Planted: each string appears in exactly one identifiable field.
PLANTED = {
    "given_name": "Zebulonia",
    "family_name": "Quixmorth",
    "placement_address": "17 Plantedtext Crescent",
    "local_authority": "Borough of Plantedshire",
    "reported_by_name": "Ophelia Reporterly",
    "reported_by_contact": "07700 900461",
    "last_seen_where": "Lastseen Lighthouse",
    "circumstances": "Circumstance-sentinel-7731",
    "clothing": "Clothing-sentinel-8842",
    "possible_whereabouts": "Whereabouts-sentinel-9953",
    "rationale": "Rationale-sentinel-1064",
    "enquiry": "Enquiry-sentinel-2175",
    "found_where": "Foundwhere-sentinel-3286",
    "found_notes": "Foundnotes-sentinel-4397",
    "marker_note": "Markernote-sentinel-5408",
    "description": "Description-sentinel-6519",
}
DATE_OF_BIRTH = dt.date(2011, 2, 27)
ROW_FIELDS = {"reference", "force", "child", "state", "grade", "missing_from", "reported_via",
              "reported_at", "found_at", "hours_missing", "found_by", "found_condition",
              "age_band", "sex", "ethnicity", "looked_after", "earlier_episodes",
              "reason_codes", "marker_kinds"}


@pytest.fixture(autouse=True)
def frozen_clock(now):
    with time_machine.travel(now, tick=False):
        yield


@pytest.fixture
def analyst(force, make_user):
    return make_user(force=force, roles=["analyst"], username="analyst")


@pytest.fixture
def admin(force, make_user):
    return make_user(force=force, roles=["force_admin"], username="admin")


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def report(*, actor, now, at, child=None, new_child=None, **text):
    details = ReportDetails(
        reported_at=at, reported_by_name=text.get("reported_by_name", "A Carer"),
        reported_by_contact=text.get("reported_by_contact", ""),
        last_seen_at=at - dt.timedelta(hours=2),
        last_seen_where=text.get("last_seen_where", "Home"), missing_from="care",
        circumstances=text.get("circumstances", ""), clothing=text.get("clothing", ""),
        possible_whereabouts=text.get("possible_whereabouts", ""))
    if child is not None:
        return episode_report(actor=actor, now=at, details=details, child=child)
    return episode_report(actor=actor, now=at, details=details, new_child=new_child)


@pytest.fixture
def planted(force, now, officer, sergeant, child_details):
    """A child with two episodes: the first graded, found, with a marker and an enquiry, every
    free-text field planted; the second still missing."""
    first_at = now - dt.timedelta(days=10, minutes=37)
    first = report(actor=officer, now=now, at=first_at, new_child=child_details(
        given_name=PLANTED["given_name"], family_name=PLANTED["family_name"],
        date_of_birth=DATE_OF_BIRTH, placement_address=PLANTED["placement_address"],
        local_authority=PLANTED["local_authority"], description=PLANTED["description"]),
        **PLANTED)
    child = first.child
    marker_add(actor=sergeant, now=first_at, child=child, kind="exploitation", subtype="criminal",
               active_from=first_at.date() - dt.timedelta(days=30),
               note=PLANTED["marker_note"])
    assessment_record(actor=officer, now=first_at + dt.timedelta(minutes=5), episode=first,
                      chosen_grade="high", rationale=PLANTED["rationale"],
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    enquiry_record(actor=officer, now=first_at + dt.timedelta(hours=1), episode=first,
                   text=PLANTED["enquiry"], occurred_at=first_at + dt.timedelta(minutes=50))
    return_record(actor=officer, now=first_at + dt.timedelta(hours=6), episode=first,
                  found_at=first_at + dt.timedelta(hours=5, minutes=12),
                  found_where=PLANTED["found_where"], found_by="police",
                  condition="safe_and_well", notes=PLANTED["found_notes"])
    second = report(actor=officer, now=now, at=now - dt.timedelta(hours=3), child=child)
    return child, first, second


def test_rows_carry_coded_fields_and_nothing_identifiable(planted, analyst, now):
    child, first, second = planted
    response = api(analyst).get("/api/v1/analysis/episodes/")
    assert response.status_code == 200
    body = response.content.decode()
    for field, text in PLANTED.items():
        assert text not in body, f"{field} leaked"
    for secret in (str(child.pk), str(first.pk), str(second.pk), DATE_OF_BIRTH.isoformat(),
                   "Kayla", "A Carer"):
        assert secret not in body
    rows = {row["reference"]: row for row in response.json()["results"]}
    assert set(rows) == {first.reference, second.reference}
    assert all(set(row) == ROW_FIELDS for row in rows.values())
    old = rows[first.reference]
    assert old["grade"] == "high" and old["state"] == "found"
    assert old["age_band"] == "14-15" and old["sex"] == "female"
    assert old["ethnicity"] == "asian_pakistani"
    assert old["marker_kinds"] == ["exploitation"]
    assert old["reason_codes"] and all(" " not in code for code in old["reason_codes"])
    assert old["hours_missing"] == 7  # last seen 2 h before the report, found 5 h 12 min after
    # Times cut to the hour (the report was at :23 past).
    reported = dt.datetime.fromisoformat(old["reported_at"])
    assert (reported.minute, reported.second) == (0, 0)
    assert dt.datetime.fromisoformat(old["found_at"]).minute == 0
    assert old["earlier_episodes"] == 0 and rows[second.reference]["earlier_episodes"] == 1
    assert rows[second.reference]["found_at"] is None


def test_pseudonym_is_stable_per_child_and_differs_between_children(planted, analyst, officer,
                                                                    now, child_details):
    child, first, second = planted
    other = report(actor=officer, now=now, at=now - dt.timedelta(hours=1),
                   new_child=child_details(given_name="Other", family_name="Childe"))
    results = api(analyst).get("/api/v1/analysis/episodes/").json()["results"]
    by_reference = {row["reference"]: row["child"] for row in results}
    assert by_reference[first.reference] == by_reference[second.reference]
    assert by_reference[other.reference] != by_reference[first.reference]
    # The same on a second call: repeat analysis lines up.
    again = api(analyst).get("/api/v1/analysis/episodes/").json()["results"]
    assert {row["reference"]: row["child"] for row in again} == by_reference


def test_pseudonyms_differ_across_keys(planted, analyst):
    child = planted[0]
    with override_settings(MISPERS_PSEUDONYM_KEY="deployment-one-key"):
        one = api(analyst).get("/api/v1/analysis/episodes/").json()["results"][0]["child"]
    with override_settings(MISPERS_PSEUDONYM_KEY="deployment-two-key"):
        two = api(analyst).get("/api/v1/analysis/episodes/").json()["results"][0]["child"]
    assert one != two
    assert one == child_pseudonym(child.pk, key=b"deployment-one-key")
    assert child_pseudonym(child.pk, key=b"k") == child_pseudonym(str(child.pk), key=b"k")
    assert child_pseudonym(child.pk, key=b"k") != child_pseudonym(child.pk, key=b"k2")


def test_only_own_force_and_only_analysis_roles(planted, force, other_force, make_user, admin,
                                                officer, outsider):
    foreign_analyst = make_user(force=other_force, roles=["analyst"], username="far-analyst")
    assert api(foreign_analyst).get("/api/v1/analysis/episodes/").json()["results"] == []
    for refused in (admin, officer, outsider):
        assert api(refused).get("/api/v1/analysis/episodes/").status_code == 403
    assert APIClient().get("/api/v1/analysis/episodes/").status_code == 401
    coordinator = make_user(force=force, roles=["coordinator"], username="coord")
    assert len(api(coordinator).get("/api/v1/analysis/episodes/").json()["results"]) == 2


def test_period_filter_and_bad_dates(planted, analyst, now):
    child, first, second = planted
    today = now.date().isoformat()
    results = api(analyst).get(f"/api/v1/analysis/episodes/?reported_from={today}").json()
    assert [row["reference"] for row in results["results"]] == [second.reference]
    bad = api(analyst).get("/api/v1/analysis/episodes/?reported_from=yesterday")
    assert bad.status_code == 400
    backwards = api(analyst).get(
        f"/api/v1/analysis/episodes/?reported_from={today}&reported_to=2020-01-01")
    assert backwards.status_code == 400


def test_every_row_shown_is_access_logged(planted, analyst):
    from mispers.accounts.models import AccessLog

    child, first, second = planted
    api(analyst).get("/api/v1/analysis/episodes/")
    logged = AccessLog.objects.filter(user=analyst, object_type="analysis_episode")
    assert {row.object_id for row in logged} == {str(first.pk), str(second.pk)}
    assert {row.child_id for row in logged} == {child.pk}


def test_query_count_does_not_grow_with_rows(planted, analyst, officer, now, child_details):
    client = api(analyst)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/analysis/episodes/")
    for n in range(5):
        report(actor=officer, now=now, at=now - dt.timedelta(minutes=50 + n),
               new_child=child_details(given_name=f"Extra{n}", family_name="Child"))
    with CaptureQueriesContext(connection) as more:
        assert len(client.get("/api/v1/analysis/episodes/").json()["results"]) == 7
    assert len(more) == len(few)


def test_analyst_page_counts_and_no_names(planted, analyst, client):
    client.force_login(analyst)
    page = client.get("/analysis/?days=30")
    assert page.status_code == 200
    html = page.content.decode()
    for field, text in PLANTED.items():
        assert text not in html, f"{field} leaked"
    assert str(planted[0].pk) not in html
    assert 'class="app-analysis-episodes">2<' in html
    assert 'class="app-analysis-children">1<' in html
    assert 'class="app-analysis-repeat">1<' in html
    assert child_pseudonym(planted[0].pk) in html
    assert planted[1].reference in html
    # The period filter: in the last 7 days only the second episode.
    assert 'class="app-analysis-episodes">1<' in client.get("/analysis/?days=7").content.decode()


def test_home_sends_each_role_somewhere_it_may_go(analyst, admin, officer, client):
    for user, target in [(analyst, "/analysis/"), (admin, "/partners/organisations/"),
                         (officer, "/episodes/")]:
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 302 and response.url == target
        assert client.get(target).status_code == 200


def test_navigation_offers_no_case_pages_to_analyst_or_admin(analyst, admin, client):
    for user in (analyst, admin):
        client.force_login(user)
        nav = [item["url"] for item in client.get("/", follow=True).context["nav_items"]]
        assert not {"episodes:open", "reviews:mine", "people:search", "repeats:list"} & set(nav)
    client.force_login(analyst)
    assert "analysis:overview" in [item["url"] for item in
                                   client.get("/analysis/").context["nav_items"]]


def test_schema_documents_the_row_without_identifiable_fields(analyst):
    schema = api(analyst).get("/api/schema/?format=json")
    assert schema.status_code == 200
    row = json.loads(schema.content)["components"]["schemas"]["AnalysisEpisode"]
    assert set(row["properties"]) == ROW_FIELDS
