"""Data quality (issue 12, ADR 39) on a small force whose every answer is known by hand: each
rule counts exactly the records it should (and not the withdrawn report, February's, or another
force's), the score and the split by team and month, the fix list's links for those who may
open the records and for no one else, the CSV files, bad input, and the API's same numbers."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mispers.accounts.models import AccessLog, Team
from mispers.casework.children import child_create
from mispers.casework.close import episode_close
from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.interviews import prevention_interview_workflow
from mispers.casework.report import episode_report
from mispers.casework.review import review_complete
from mispers.casework.tests.closing import SUMMARY, settle
from mispers.casework.withdraw import episode_withdraw
from mispers.core.testing import page_text
from mispers.episodes.models import Episode
from mispers.insights.period import Period
from mispers.insights.quality import RULES, force_quality
from mispers.matching.models import DuplicateSuggestion
from mispers.places.details import PlaceDetails
from mispers.places.services import place_create
from mispers.returns.models import ReturnHomeInterview
from mispers.returns.services import return_interview_update
from mispers.risk.policy import FACTORS
from mispers.risk.services import AnswerInput

pytestmark = pytest.mark.django_db

URL = "insights:quality"
API = "/api/v1/insights/quality"
MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
MARCH_QUERY = {"first_day": "1", "first_month": "3", "first_year": "2026",
               "last_day": "31", "last_month": "3", "last_year": "2026"}
H = dt.timedelta(hours=1)


def at(day: int, hour: int = 12, month: int = 3, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hour, minute))


NOW = at(15, month=7)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.fixture
def analyst(force, make_user):
    return make_user(force=force, roles=["analyst"], username="analyst")


@pytest.fixture
def client_for():
    from rest_framework.test import APIClient

    def make(user):
        api = APIClient()
        api.force_login(user)
        return api

    return make


@pytest.fixture
def scene(force, other_force, call_handler, officer, inspector, coordinator, make_user,
          child_details, report_details):
    """Eight counted episodes in March 2026, each rule failing for exactly one record."""
    north = Team.objects.create(force=force, name="Response North")
    south = Team.objects.create(force=force, name="Response South")
    oakfield = place_create(actor=call_handler, now=at(1), details=PlaceDetails(
        kind="childrens_home", name="Oakfield House", postcode="PL4 8AA"))
    station = place_create(actor=call_handler, now=at(1), details=PlaceDetails(
        kind="transport_hub", name="Plymouth bus station"))  # no postcode
    no_birth_date = {"date_of_birth": None, "estimated_age": 14}

    def report(name, when, *, actor=call_handler, **more):
        kid = more.pop("kid", {})
        details = report_details(reported_at=when, last_seen_at=when - H, **more)
        return episode_report(actor=actor, now=when, details=details, new_child=child_details(
            given_name=name, family_name="Quality", **kid))

    def grade(episode, when=None, grader=officer):
        assessment_record(actor=grader, now=when or episode.reported_at + H, episode=episode,
                          chosen_grade="medium", rationale="",
                          answers={code: AnswerInput(answer="no") for code in FACTORS})

    def found(episode, when, found_at=None, place=None):
        return_record(actor=officer, now=when, episode=episode, found_at=found_at or when,
                      found_where="A friend's flat", found_by="police",
                      condition="safe_and_well", found_place=place)

    def decline(episode, when):
        return_interview_update(actor=coordinator, now=when, offered_at=when,
                                response="declined",
                                interview=ReturnHomeInterview.objects.get(episode=episode))

    # Amy: found at a recorded place; her return-home interview is unresolved.
    amy = report("Amy", at(2), missing_from_place=oakfield)
    grade(amy)
    found(amy, at(2, 22), place=oakfield)
    # Ben: no date of birth (an estimate); found with no recorded place.
    ben = report("Ben", at(5), kid=no_birth_date)
    grade(ben)
    found(ben, at(6, 10))
    decline(ben, at(6, 11))
    # Cal: ethnicity not stated; still missing from a place with no postcode, never reviewed.
    cal = report("Cal", at(8), kid={"ethnicity": "not_stated"}, missing_from_place=station)
    grade(cal)
    # Dee: still missing, reviewed two days ago.
    dee = report("Dee", at(10))
    grade(dee)
    review_complete(actor=inspector, now=NOW - 48 * H, episode=dee,
                    notes="Still believed to be with associates; search continues")
    # Eve: found half an hour before she was reported (after she was last seen).
    eve = report("Eve", at(12))
    grade(eve, at(12, 12, minute=5))
    found(eve, at(12, 12, minute=10), found_at=at(12, 11, minute=30), place=oakfield)
    decline(eve, at(12, 13))
    # Fay: found 99 days after the report.
    fay = report("Fay", at(3))
    grade(fay)
    found(fay, at(10, month=6), place=oakfield)
    decline(fay, at(10, 13, month=6))
    # Gus: closed properly; Hal: closed with no closing summary (as before issue 10).
    gus = report("Gus", at(15))
    grade(gus)
    found(gus, at(15, 20), place=oakfield)
    prevention_interview_workflow(actor=officer, now=at(16, 9), episode=gus, held_at=at(16, 9),
                                  where_child_was="A friend's", why_left="A row",
                                  child_account="I was fine.")
    settle(gus, actor=inspector, now=at(16, 10))
    episode_close(actor=inspector, now=at(16, 13), episode=gus, summary=SUMMARY)
    hal = report("Hal", at(16))
    grade(hal)
    found(hal, at(16, 20), place=oakfield)
    settle(hal, actor=inspector, now=at(17, 10))
    Episode.objects.filter(pk=hal.pk).update(state=Episode.State.CLOSED)
    # Not counted: a withdrawn report, February's report, another force's.
    ivy = report("Ivy", at(20), kid=no_birth_date)
    episode_withdraw(actor=inspector, now=at(20, 13), episode=ivy, reason="Made in error")
    jon = report("Jon", at(20, month=2), kid=no_birth_date)
    grade(jon)
    elsewhere = make_user(force=other_force, roles=["call_handler"], rank="call_handler",
                          username="elsewhere")
    kit = report("Kit", at(4), actor=elsewhere, kid={**no_birth_date,
                                                     "ethnicity": "not_stated"})
    # Duplicates: Amy and Amie wait for a decision; Ben and Benn were found not the same.
    amie = child_create(actor=coordinator, now=at(1), force=force,
                        details=child_details(given_name="Amie", family_name="Quality"))
    benn = child_create(actor=coordinator, now=at(1), force=force,
                        details=child_details(given_name="Benn", family_name="Quality"))
    for one, two, status in ((amy.child, amie, "pending"), (ben.child, benn, "rejected")):
        a, b = sorted([one, two], key=lambda c: str(c.pk))
        DuplicateSuggestion.objects.create(force=force, child_a=a, child_b=b, match_weight=12.0,
                                           match_probability=0.99, found_at=at(1),
                                           status=status)
    Episode.objects.filter(pk__in=[amy.pk, cal.pk]).update(team=north)
    Episode.objects.filter(pk__in=[ben.pk, eve.pk]).update(team=south)
    return {"amy": amy, "ben": ben, "cal": cal, "dee": dee, "eve": eve, "fay": fay, "gus": gus,
            "hal": hal, "ivy": ivy, "jon": jon, "kit": kit, "north": north, "south": south,
            "station": station, "oakfield": oakfield, "amie": amie}


def rule_numbers(quality):
    return {code: (t.checked, t.failing) for code, t in quality.totals.items()}


def test_each_rule_counts_exactly_its_records(scene, force):
    quality = force_quality(force_id=force.pk, period=MARCH, now=NOW)
    assert rule_numbers(quality) == {
        "date_of_birth_missing": (8, 1),  # Ben (Ivy withdrawn, Jon February, Kit elsewhere)
        "ethnicity_not_stated": (8, 1),  # Cal
        "found_without_place": (6, 1),  # Ben, of the six found
        "closed_without_outcome": (2, 1),  # Hal, of Gus and Hal
        "rhi_without_outcome": (6, 1),  # Amy's interview, neither completed nor declined
        "impossible_times": (8, 1),  # Eve, found before the report
        "implausible_duration": (6, 1),  # Fay, 99 days
        "duplicate_pending": (8, 1),  # Amy (Ben's pair was rejected)
        "open_without_review": (2, 1),  # Cal (Dee was reviewed two days ago)
        "place_without_postcode": (2, 1),  # the bus station
    }
    s = scene
    assert quality.results["found_without_place"].failing == [s["ben"].pk]
    assert quality.results["closed_without_outcome"].failing == [s["hal"].pk]
    assert quality.results["rhi_without_outcome"].failing == [s["amy"].pk]
    assert quality.results["impossible_times"].failing == [s["eve"].pk]
    assert quality.results["implausible_duration"].failing == [s["fay"].pk]
    assert quality.results["open_without_review"].failing == [s["cal"].pk]
    assert quality.results["date_of_birth_missing"].failing == [s["ben"].child_id]
    assert quality.results["ethnicity_not_stated"].failing == [s["cal"].child_id]
    assert quality.results["duplicate_pending"].failing == [s["amy"].child_id]
    assert quality.results["place_without_postcode"].failing == [s["station"].pk]
    # The overall score: every check of every rule, each counted once.
    assert (quality.overall.checked, quality.overall.failing) == (56, 10)
    assert quality.overall.score == pytest.approx(46 / 56)
    assert quality.totals["open_without_review"].score == 0.5


def test_the_split_by_team_and_the_team_filter(scene, force):
    quality = force_quality(force_id=force.pk, period=MARCH, now=NOW)
    by_team = {team: {code: (t.checked, t.failing) for code, t in tallies.items() if t.checked}
               for team, tallies in quality.by_team.items()}
    assert by_team[scene["north"].pk] == {  # Amy and Cal
        "found_without_place": (1, 0), "rhi_without_outcome": (1, 1),
        "impossible_times": (2, 0), "implausible_duration": (1, 0),
        "open_without_review": (1, 1)}
    assert by_team[scene["south"].pk] == {  # Ben and Eve
        "found_without_place": (2, 1), "rhi_without_outcome": (2, 0),
        "impossible_times": (2, 1), "implausible_duration": (2, 0)}
    assert sum(t.checked for t in quality.by_team[None].values()) == 16  # Dee, Fay, Gus, Hal
    assert set(by_team) == {scene["north"].pk, scene["south"].pk, None}
    north = force_quality(force_id=force.pk, period=MARCH, now=NOW, team_id=scene["north"].pk)
    assert rule_numbers(north)["ethnicity_not_stated"] == (2, 1)  # Amy and Cal: Cal
    assert rule_numbers(north)["date_of_birth_missing"] == (2, 0)
    assert rule_numbers(north)["place_without_postcode"] == (2, 1)
    assert (north.overall.checked, north.overall.failing) == (14, 5)


def test_the_trend_by_month_and_records_judged_as_they_stand(scene, force):
    quality = force_quality(force_id=force.pk, period=Period(dt.date(2026, 2, 1),
                                                              dt.date(2026, 3, 31)), now=NOW)
    february = quality.by_month["2026-02"]  # Jon: no date of birth, missing and not reviewed
    assert {code: (t.checked, t.failing) for code, t in february.items() if t.checked} == {
        "date_of_birth_missing": (1, 1), "ethnicity_not_stated": (1, 0),
        "duplicate_pending": (1, 0), "impossible_times": (1, 0),
        "open_without_review": (1, 1)}
    march = quality.by_month["2026-03"]
    assert sum(t.checked for t in march.values()) == 56
    assert list(quality.by_month) == ["2026-02", "2026-03"]
    # The return-home interview is judged only once 72 hours have passed since the return.
    early = force_quality(force_id=force.pk, period=MARCH, now=at(5, 21))
    assert rule_numbers(early)["rhi_without_outcome"] == (0, 0)  # Amy found 2 March 22:00
    late = force_quality(force_id=force.pk, period=MARCH, now=at(5, 23))
    assert rule_numbers(late)["rhi_without_outcome"] == (1, 1)
    # Last seen after the report (an old or imported record: the report form refuses it).
    dee = scene["dee"]
    Episode.objects.filter(pk=dee.pk).update(last_seen_at=dee.reported_at + H)
    again = force_quality(force_id=force.pk, period=MARCH, now=NOW)
    assert again.results["impossible_times"].failing == [scene["eve"].pk, dee.pk]  # newest first


def test_a_fixed_number_of_queries(scene, force, django_assert_max_num_queries):
    # Episodes, found records, closing summaries, interviews, reviews, children, suggestions,
    # places: one query each, however many records (the reference computation, ADR 39).
    with django_assert_max_num_queries(8):
        force_quality(force_id=force.pk, period=MARCH, now=NOW)


# --- the page ---------------------------------------------------------------------------------

def test_the_page_shows_each_rule_and_the_overall_score(client, coordinator, scene, frozen):
    client.force_login(coordinator)
    html = page_text(client.get(reverse(URL), MARCH_QUERY))
    assert "Overall: 82.1% of checks passed" in html  # 46 of 56
    row = html[html.index('data-rule="open_without_review"'):]
    row = row[:row.index("</tr>")]
    assert ">2<" in row and ">1<" in row and "50.0%" in row and "The duty inspector" in row
    assert 'data-team="Response North"' in html and 'data-team="No team recorded"' in html
    assert '<figure class="app-chart' in html and "<svg" in html
    assert 'data-month="2026-03"' in html
    assert "Ben Quality" not in html  # no fix list asked for: no child named


def test_the_fix_list_links_each_record_and_logs_each_child(client, coordinator, scene,
                                                            frozen):
    client.force_login(coordinator)
    links = {
        "found_without_place": reverse("episodes:detail", args=[scene["ben"].pk]),
        "date_of_birth_missing": reverse("people:detail", args=[scene["ben"].child_id]),
        "duplicate_pending": reverse("matching:suggestion", args=[
            DuplicateSuggestion.objects.get(status="pending").pk]),
        "place_without_postcode": reverse("places:detail", args=[scene["station"].pk]),
        "closed_without_outcome": reverse("episodes:detail", args=[scene["hal"].pk]),
    }
    for code, link in links.items():
        html = page_text(client.get(reverse(URL), {**MARCH_QUERY, "rule": code}))
        fix = html[html.index('id="fix-list"'):]
        fix = fix[:fix.index("</table>")]
        assert f'href="{link}"' in fix, code
        assert fix.count("govuk-link") == 1, code  # that record only
        assert client.get(link).status_code == 200, code  # the coordinator can open it
    dob = page_text(client.get(reverse(URL), {**MARCH_QUERY, "rule": "date_of_birth_missing"}))
    assert "Ben Quality" in dob and "Estimated age 14, no date of birth" in dob
    for absent in ("Kit Quality", "Ivy Quality", "Jon Quality"):
        assert absent not in dob  # another force's, withdrawn, February's
    logged = set(AccessLog.objects.filter(user=coordinator, outcome="shown")
                 .values_list("object_type", "child_id"))
    assert ("child", scene["ben"].child_id) in logged
    assert ("episode", scene["ben"].child_id) in logged  # the found-without-place episode


def test_the_fix_list_is_paged(client, coordinator, scene, frozen, monkeypatch):
    from mispers.insights import quality_views

    monkeypatch.setattr(quality_views, "FIX_PAGE_SIZE", 1)
    client.force_login(coordinator)
    both = {**MARCH_QUERY, "first_month": "2", "rule": "date_of_birth_missing"}
    first = page_text(client.get(reverse(URL), both))
    assert "Ben Quality" in first and "Jon Quality" not in first and "Page 1 of 2" in first
    second = page_text(client.get(reverse(URL), {**both, "page": "2"}))
    assert "Jon Quality" in second and "Ben Quality" not in second


def test_another_forces_user_gets_nothing_of_this_force(client, other_force, make_user, scene,
                                                        frozen):
    theirs = make_user(force=other_force, roles=["coordinator"], rank="sergeant",
                       username="their-coord")
    client.force_login(theirs)
    html = page_text(client.get(reverse(URL), {**MARCH_QUERY,
                                               "rule": "date_of_birth_missing"}))
    assert "Kit Quality" in html  # their own child
    for name in ("Amy", "Ben", "Cal", "Eve", "Response North"):
        assert name not in html
    row = html[html.index('data-rule="date_of_birth_missing"'):]
    assert ">1<" in row[:row.index("</tr>")]  # Kit only, of one child
    refused = client.get(reverse(URL), {**MARCH_QUERY, "team": scene["north"].pk})
    assert refused.status_code == 400  # this force's team is not one of theirs


def test_the_analyst_sees_the_counts_but_not_the_fix_list(client, analyst, scene, frozen):
    client.force_login(analyst)
    html = page_text(client.get(reverse(URL), {**MARCH_QUERY,
                                               "rule": "date_of_birth_missing"}))
    assert "Overall: 82.1% of checks passed" in html
    assert "shown only to those who may open the records" in html
    assert "Ben Quality" not in html
    assert client.get(reverse(URL), {**MARCH_QUERY, "rule": "date_of_birth_missing",
                                     "download": "fix_list"}).status_code == 403
    assert not AccessLog.objects.filter(user=analyst).exists()


def test_only_the_insight_roles_are_let_in(client, call_handler, officer, outsider, force,
                                           coordinator, frozen):
    from mispers.partners.models import PartnerOrganisation
    from mispers.partners.services import organisation_create
    from mispers.partners.tests.together import partner_user

    la = organisation_create(actor=coordinator, now=NOW, name="Plymouth Children's Services",
                             kind=PartnerOrganisation.Kind.CHILDRENS_SERVICES, forces=[force],
                             email="la@partners.example")
    social_worker = partner_user(la, "social-worker", "social_worker")
    for user in (call_handler, officer, outsider, social_worker):
        client.force_login(user)
        assert client.get(reverse(URL)).status_code == 403, user.username
        assert client.get(API).status_code == 403, user.username


def test_bad_input_is_answered_on_the_page(client, coordinator, scene, frozen):
    client.force_login(coordinator)
    cases = [
        ({**MARCH_QUERY, "first_day": "31", "last_day": "1"},
         "The period must end on or after the day it starts"),
        ({**MARCH_QUERY, "last_month": "12"}, "cannot end in the future"),
        ({**MARCH_QUERY, "first_year": "2027", "last_year": "2027"},
         "cannot start in the future"),
        ({**MARCH_QUERY, "team": "99999"}, "Choose one of your force's teams"),
        ({**MARCH_QUERY, "rule": "spelling"}, "Choose one of the data quality rules listed"),
    ]
    for query, message in cases:
        response = client.get(reverse(URL), query)
        assert response.status_code == 400, message
        assert message in page_text(response, 400), message


def test_every_table_downloads_as_csv(client, coordinator, scene, frozen):
    client.force_login(coordinator)

    def rows(**more):
        response = client.get(reverse(URL), {**MARCH_QUERY, **more})
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.reader(io.StringIO(response.content.decode())))

    rules = rows(download="rules")
    assert rules[0][:5] == ["rule", "code", "records checked", "to fix", "score"]
    assert [r[1] for r in rules[1:]] == [rule.code for rule in RULES] + ["overall"]
    assert rules[-1][2:5] == ["56", "10", "0.8214"]
    teams = rows(download="teams")
    assert ["Response North", "Return-home interview without an outcome after 72 hours",
            "rhi_without_outcome", "1", "1", "0.0"] in teams
    months = rows(download="by_month")
    assert ["2026-03", "All these rules", "overall", "56", "10", "0.8214"] in months
    fix = rows(download="fix_list", rule="found_without_place")
    assert fix[0] == ["rule", "record", "what is wrong", "team", "link"]
    assert len(fix) == 2
    ben = scene["ben"]
    assert fix[1][:2] == ["Found without a found place", f"{ben.reference} · Ben Quality"]
    assert fix[1][3] == "Response South"
    assert fix[1][4].endswith(reverse("episodes:detail", args=[ben.pk]))
    assert AccessLog.objects.filter(user=coordinator, object_type="episode",
                                    child_id=ben.child_id).exists()


def test_the_api_gives_the_same_numbers(client_for, coordinator, analyst, scene, frozen):
    api = client_for(analyst)
    body = api.get(API, {"first": "2026-03-01", "last": "2026-03-31"}).json()
    assert body["overall"] == {"checked": 56, "to_fix": 10, "score": 0.8214}
    rules = {rule["code"]: rule for rule in body["rules"]}
    assert (rules["open_without_review"]["checked"], rules["open_without_review"]["to_fix"]) \
        == (2, 1)
    assert rules["place_without_postcode"]["unit"] == "place"
    north = next(t for t in body["teams"] if t["name"] == "Response North")
    assert north["rules"]["rhi_without_outcome"] == {"checked": 1, "to_fix": 1, "score": 0.0}
    assert [m["month"] for m in body["by_month"]] == ["2026-03"]
    assert "Quality" not in str(body)  # counts only: no child named
    only_north = api.get(API, {"first": "2026-03-01", "last": "2026-03-31",
                               "team": scene["north"].pk}).json()
    assert only_north["overall"] == {"checked": 14, "to_fix": 5, "score": 0.6429}


@pytest.mark.parametrize("query, field, message", [
    ({"first": "2026-03-31", "last": "2026-03-01"}, "last", "must end on or after"),
    ({"first": "2026-03-01", "last": "2026-12-31"}, "last", "cannot end in the future"),
    ({"first": "March", "last": "2026-03-31"}, "first", "Enter a date as YYYY-MM-DD"),
    ({"team": "99999"}, "team", "Choose one of your force's teams"),
    ({"team": "north"}, "team", "Choose one of your force's teams"),
])
def test_the_api_refuses_bad_input_naming_the_field(client_for, analyst, frozen, query, field,
                                                    message):
    refused = client_for(analyst).get(API, query)
    assert refused.status_code == 400
    assert message in refused.json()["field_errors"][field][0]
