"""POST /api/v1/risk/recommend: one case, graded as the `mispers grade` command grades it."""

import pytest

from mispers.accounts.models import AccessLog
from mispers.risk.policy import grade_case, parse_case

from .helpers import case_rows, refused

URL = "/api/v1/risk/recommend"

CASE = {"policy": "national", "age": 15, "looked_after": True, "missing_from": "care",
        "earlier_episodes_90d": 2, "exploitation_marker": False,
        "answers": {"exploitation": "no", "mental_health": "yes"}}


@pytest.fixture
def client(client_for, officer):
    return client_for(officer)


def test_the_example_case(client):
    response = client.post(URL, CASE, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"grade", "reasons", "policy", "policy_version"}
    assert body["grade"] == "medium"
    assert body["policy"] == "national"
    assert body["policy_version"]
    assert any("mental health" in reason for reason in body["reasons"])
    assert any("placement" in reason for reason in body["reasons"])
    # Exactly what the command prints for the same case.
    assert body == grade_case(parse_case(CASE))


@pytest.mark.parametrize(("change", "grade"), [
    ({"age": 12}, "high"),
    ({"answers": {"exploitation": "yes"}}, "high"),
    ({"exploitation_marker": True}, "high"),
    ({"answers": {"mental_health": "yes", "family_conflict": "yes", "out_of_character": "yes"}},
     "high"),
    ({"age": 13, "looked_after": False, "earlier_episodes_90d": 0,
      "answers": {code: "no" for code in ("suicide_self_harm", "crime_suspected",
                                          "exploitation", "medication", "forced_marriage_hba",
                                          "with_person_of_concern")}}, "medium"),
])
def test_grades(client, change, grade):
    assert client.post(URL, {**CASE, **change}, format="json").json()["grade"] == grade


def test_no_rule_applies_gives_no_apparent_risk(client):
    from mispers.risk.policy import FACTORS

    case = {"age": 16, "looked_after": False, "missing_from": "home",
            "earlier_episodes_90d": 0, "exploitation_marker": False,
            "answers": {code: "no" for code in FACTORS}}
    body = client.post(URL, case, format="json").json()
    assert body["grade"] == "no_apparent_risk"
    assert body["policy"] == "national"  # the default


def test_a_chosen_grade_is_evaluated_too(client):
    body = client.post(URL, {**CASE, "chosen": "low", "rationale": "Known address"},
                       format="json").json()
    assert body["chosen"] == "low"
    assert body["status"] == "pending_ratification"
    assert body["required_rank"] == "sergeant"


@pytest.mark.parametrize(("change", "words"), [
    ({"answers": {"astrology": "yes"}}, "unknown factor 'astrology'"),
    ({"answers": {"mental_health": "maybe"}}, "unknown answer 'maybe'"),
    ({"answers": ["mental_health"]}, "answers must be an object"),
    ({"chosen": "severe"}, "unknown grade 'severe'"),
    ({"chosen": "low"}, "rationale"),
    ({"policy": "gotham"}, "unknown policy 'gotham'"),
    ({"age": 18}, "age 18 is not a child"),
    ({"age": "fifteen"}, "age must be a whole number"),
    ({"looked_after": "yes"}, "looked_after must be true or false"),
    ({"missing_from": "space"}, "missing_from must be one of"),
    ({"earlier_episodes_90d": -1}, "earlier_episodes_90d must be a whole number"),
    ({"colour": "red"}, "unknown field 'colour'"),
])
def test_errors_name_the_problem(client, change, words):
    body = refused(client.post(URL, {**CASE, **change}, format="json"))
    assert words in body["detail"], body["detail"]


def test_a_missing_field_is_named(client):
    case = dict(CASE)
    del case["missing_from"]
    assert refused(client.post(URL, case, format="json"))["detail"] == (
        "missing field 'missing_from'")


@pytest.mark.parametrize("payload", ["[1, 2]", '"a case"', "{not json"])
def test_a_body_that_is_not_a_json_object_is_refused(client, payload):
    refused(client.post(URL, payload, content_type="application/json"))


def test_form_posts_are_not_accepted(client):
    assert client.post(URL, {"age": "15"}).status_code == 415


def test_nothing_is_saved_or_logged(client):
    before, logs = case_rows(), AccessLog.objects.count()
    client.post(URL, CASE, format="json")
    assert (case_rows(), AccessLog.objects.count()) == (before, logs)


def test_needs_a_signed_in_police_user(anonymous, client_for, make_user, force, analyst):
    assert anonymous.post(URL, CASE, format="json").status_code == 401
    no_roles = make_user(force=force, roles=[])
    assert client_for(no_roles).post(URL, CASE, format="json").status_code == 403
    # Grading a hypothetical case records nothing: any police role may, analysts included.
    assert client_for(analyst).post(URL, CASE, format="json").status_code == 200
