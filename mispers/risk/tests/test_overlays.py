"""Force overlays: the shipped ones behave as their forces do, and a bad overlay is refused at
load with the file and the rule or setting named."""

import textwrap

import pytest

from mispers.risk.policy import (
    FACTORS,
    BelowPolicyMinimumError,
    ChoiceOutcome,
    Context,
    OverlayError,
    PolicyFileError,
    evaluate_choice,
    load_policy,
    load_policy_file,
    recommend,
    shipped_overlays,
)

HEADER = 'extends = "national"\nname = "kent"\nversion = "1"\ntitle = "Kent test overlay"\n'


def context(**overrides):
    values = dict(age=15, looked_after=False, missing_from="home", earlier_episodes_90d=0,
                  exploitation_marker=False)
    values.update(overrides)
    return Context(**values)


def all_no(**answers):
    return {code: "no" for code in FACTORS} | answers


def overlay(tmp_path, body, header=HEADER):
    path = tmp_path / "kent.toml"
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    return path


def refused(tmp_path, body, *fragments, header=HEADER):
    with pytest.raises(OverlayError) as caught:
        load_policy_file(overlay(tmp_path, body, header))
    message = str(caught.value)
    assert message.startswith("kent.toml: ")
    for fragment in fragments:
        assert fragment in message
    return message


# --- the shipped overlays -----------------------------------------------------------------


def test_shipped_overlays_load():
    assert shipped_overlays() == ("dorset", "gloucestershire", "merseyside")
    national = load_policy("national")
    for name in shipped_overlays():
        policy = load_policy(name)
        assert policy.name == name and policy.extends == "national"
        assert policy.version == f"{policy.file_version}+national.{national.version}"


@pytest.mark.parametrize("force", ["dorset", "gloucestershire"])
def test_dorset_and_gloucestershire_never_grade_a_child_no_apparent_risk(force):
    policy = load_policy(force)
    result = recommend(all_no(), context(age=17), policy)
    assert result.grade == "low"
    assert [reason.rule for reason in result.reasons] == [f"{force}_every_child_missing"]
    assert "never absent" in result.reason_texts[0]
    assert policy.minimum_grade == "low"
    assert policy.label("low") == "Missing – low risk"
    assert recommend(all_no(), context(age=12), policy).grade == "high"


def test_merseyside_13_and_under_never_below_medium_and_labels_absent():
    merseyside = load_policy("merseyside")
    result = recommend(all_no(), context(age=13), merseyside)
    assert result.grade == "medium"
    assert "merseyside_13_and_under" in [reason.rule for reason in result.reasons]
    assert recommend(all_no(), context(age=14), merseyside).grade == "no_apparent_risk"
    assert merseyside.label("no_apparent_risk") == "Absent"
    assert merseyside.label("high") == "High"


def test_merseyside_exploitation_marker_is_high_unless_an_inspector_lowers_it():
    merseyside = load_policy("merseyside")
    result = recommend(all_no(), context(exploitation_marker=True), merseyside)
    assert result.grade == "high"
    assert "unless an inspector lowers it" in result.reason_texts[0]
    outcome = evaluate_choice(recommendation=result, chosen="medium", policy=merseyside,
                              rationale="Marker relates to an associate since convicted")
    assert outcome == ChoiceOutcome("pending_ratification", "inspector")


# --- a good overlay -----------------------------------------------------------------------


def test_an_overlay_may_tighten_raise_and_add(tmp_path):
    policy = load_policy_file(overlay(tmp_path, """
        [labels]
        no_apparent_risk = "Absent"

        [floors]
        out_of_character = "high"
        school_problems = "medium"

        [[rules]]
        id = "kent_repeat"
        grade = "high"
        condition = "earlier_episodes_90d_at_least"
        value = 5
        text = "{episodes} earlier episodes: Kent grades {value} or more high"

        [[rules]]
        id = "age_12_or_under"
        grade = "high"
        condition = "age_at_most"
        value = 13
        text = "Age {age}: Kent grades children aged {value} or under high"

        [[rules]]
        id = "kent_named"
        grade = "medium"
        condition = "factor_yes"
        factors = ["preparation", "failed_intention"]
        text = "Kent: {question}"

        [clocks.medium]
        first_review_hours = 1
        reviewer_rank = "inspector"

        [deadlines]
        prevention_interview_due_hours = 12

        [thresholds]
        repeat_window_days = 30

        [ratification]
        default_rank = "inspector"

        [[actions.medium]]
        code = "pnc_circulation"
        due_hours = 1

        [[actions.low]]
        code = "inform_school"
        title = "Tell the child's school"
        due_hours = 8
        when = "always"
    """))
    assert policy.name == "kent" and policy.version == "1+national.2026.4"
    assert policy.factor_index["out_of_character"].floor == "high"
    assert policy.clock("medium").first_review_hours == 1
    assert policy.clock("medium").reviewer_rank == "inspector"
    assert policy.clock("medium").review_every_hours == 8
    assert policy.deadlines.prevention_interview_due_hours == 12
    assert policy.thresholds.repeat_window_days == 30
    assert policy.thresholds.repeat_episodes == 3
    assert policy.ratification.default_rank == "inspector"
    assert [a.due_hours for a in policy.actions["medium"] if a.code == "pnc_circulation"] == [1]
    assert "inform_school" in {a.code for a in policy.actions_for("low", looked_after=False)}

    assert recommend(all_no(out_of_character="yes"), context(), policy).grade == "high"
    assert recommend(all_no(school_problems="yes"), context(), policy).grade == "medium"
    assert recommend(all_no(school_problems="unknown"), context(), policy).grade == "low"
    assert recommend(all_no(), context(earlier_episodes_90d=5), policy).grade == "high"
    assert recommend(all_no(preparation="yes"), context(), policy).reason_texts == [
        "Kent: signs of preparation for going missing",
        "Answered yes to a low-risk question: signs of preparation for going missing"]
    result = recommend(all_no(), context(age=13), policy)
    assert result.grade == "high"
    assert result.reason_texts[0] == "Age 13: Kent grades children aged 13 or under high"
    assert [rule.id for rule in policy.rules].count("age_12_or_under") == 1


def test_a_grade_below_an_overlay_minimum_is_refused(tmp_path):
    policy = load_policy_file(overlay(tmp_path, """
        [[rules]]
        id = "kent_every_child_medium"
        grade = "medium"
        condition = "always"
        text = "Kent grades every child at least medium"
    """))
    result = recommend(all_no(), context(), policy)
    assert result.grade == "medium"
    with pytest.raises(BelowPolicyMinimumError, match="never grades a child below medium"):
        evaluate_choice(recommendation=result, chosen="low", rationale="why", policy=policy)


# --- bad overlays -------------------------------------------------------------------------


RULE = """
    [[rules]]
    id = "{id}"
    grade = "{grade}"
    condition = "{condition}"
    {extra}
    text = "{text}"
"""


def rule(id="kent_rule", grade="medium", condition="age_at_most", extra="value = 13",
         text="Age {age}"):
    return RULE.format(id=id, grade=grade, condition=condition, extra=extra, text=text)


def test_redefining_a_national_rule_with_a_lower_grade_is_refused(tmp_path):
    refused(tmp_path, rule(id="age_12_or_under", grade="medium", extra="value = 12"),
            "rule 'age_12_or_under'", "lowers the grade from high to medium")


def test_redefining_a_national_rule_with_a_weaker_condition_is_refused(tmp_path):
    refused(tmp_path, rule(id="age_12_or_under", grade="high", extra="value = 10"),
            "rule 'age_12_or_under'", "covers fewer children")
    refused(tmp_path, rule(id="accumulated_vulnerability", grade="high",
                           condition="factor_yes_count_with_floor",
                           extra='floor = "medium"\nvalue = 4', text="{count}"),
            "rule 'accumulated_vulnerability'", "needs 4 questions answered yes instead of 3")
    refused(tmp_path, rule(id="repeat_missing_90d", condition="earlier_episodes_90d_at_least",
                           extra="value = 3", text="x"),
            "rule 'repeat_missing_90d'", "needs 3 earlier episodes instead of 2")
    refused(tmp_path, rule(id="high_factor_unknown", condition="factor_unknown_with_floor",
                           extra='floor = "medium"', text="x"),
            "rule 'high_factor_unknown'", "medium-floor questions instead of high-floor")
    refused(tmp_path, rule(id="age_13", condition="age_equals", extra="value = 14", text="x"),
            "rule 'age_13'", "applies at age 14 instead of age 13")


def test_redefining_a_national_rule_with_another_condition_is_refused(tmp_path):
    refused(tmp_path, rule(id="exploitation_marker", grade="high", condition="age_at_most",
                           extra="value = 5"),
            "rule 'exploitation_marker'", "changes the condition")


def test_lowering_a_floor_is_refused(tmp_path):
    refused(tmp_path, '[floors]\nsuicide_self_harm = "medium"\n',
            "floors.suicide_self_harm", "lowers the floor from high to medium")


@pytest.mark.parametrize(("body", "fragments"), [
    ("[clocks.high]\nfirst_review_hours = 2\n",
     ["clocks.high.first_review_hours", "would loosen the national 1 h"]),
    ("[clocks.no_apparent_risk]\nregrade_by_hours = 48\n",
     ["clocks.no_apparent_risk.regrade_by_hours"]),
    ('[clocks.high]\nreviewer_rank = "sergeant"\n',
     ["clocks.high.reviewer_rank", "below the national inspector"]),
    ("[deadlines]\nnational_unit_notify_after_hours = 96\n",
     ["deadlines.national_unit_notify_after_hours"]),
    ('[ratification]\nhigh_rank = "sergeant"\n', ["ratification.high_rank"]),
    ('[[actions.high]]\ncode = "pnc_circulation"\ndue_hours = 3\n',
     ["actions.high[0].due_hours", "pnc_circulation"]),
    ('[[actions.low]]\ncode = "search_home_or_placement"\nwhen = "looked_after"\n',
     ["actions.low[0].when", "always required nationally"]),
    ("[thresholds]\nhub_children = 4\n", ["thresholds.hub_children", "only lower"]),
    ("[thresholds]\nhub_window_days = 180\n", ["thresholds.hub_window_days", "only lengthen"]),
])
def test_loosening_a_clock_or_rank_is_refused(tmp_path, body, fragments):
    refused(tmp_path, body, *fragments)


@pytest.mark.parametrize(("body", "fragments"), [
    (rule(condition="age_below"), ["rule 'kent_rule'", "unknown condition kind 'age_below'"]),
    (rule(grade="severe"), ["rule 'kent_rule'", "unknown grade 'severe'"]),
    (rule(grade="no_apparent_risk"), ["rule 'kent_rule'.grade", "use low, medium or high"]),
    ('[floors]\nsuicide = "high"\n', ["floors.suicide", "unknown setting"]),
    (rule(condition="factor_yes", extra='factors = ["runaway"]', text="x"),
     ["rule 'kent_rule'", "unknown factor 'runaway'"]),
    (rule(condition="factor_yes_with_floor", extra='floor = "severe"', text="x"),
     ["unknown floor 'severe'"]),
    (rule(extra=""), ["condition age_at_most needs 'value'"]),
    (rule(condition="always", extra="value = 3", text="x"), ["condition always takes no"]),
    (rule(extra="value = 18"), ["rule 'kent_rule'.value", "from 0 to 17"]),
    (rule(text="Age {years}"), ["unknown placeholder {years}"]),
    (rule(text="Age {age"), ["rule 'kent_rule'.text"]),
    (rule() + rule(), ["rule 'kent_rule'", "used twice"]),
    (rule(id="Kent Rule"), ["rules[0].id"]),
    ('[labels]\nabsent = "Absent"\n', ["labels.absent", "unknown setting"]),
    ('[labels]\nlow = ""\n', ["labels.low", "non-empty text"]),
    ('[factors]\nnew_question = "low"\n', ["factors", "unknown setting"]),
    ("[thresholds]\nrepeat_episodes = 0\n", ["thresholds.repeat_episodes"]),
    ("[clocks.high]\nfirst_review_hours = 0\n", ["clocks.high.first_review_hours"]),
    ("[clocks.urgent]\nfirst_review_hours = 1\n", ["clocks.urgent", "unknown setting"]),
    ('[[actions.high]]\ncode = "new_action"\n', ["actions.high[0]", "missing required"]),
])
def test_invalid_overlay_is_refused_naming_the_setting(tmp_path, body, fragments):
    refused(tmp_path, body, *fragments)


@pytest.mark.parametrize(("header", "fragment"), [
    ('extends = "dorset"\nname = "kent"\nversion = "1"\ntitle = "t"\n', "extends"),
    ('extends = "national"\nname = "kent-county"\nversion = "1"\ntitle = "t"\n',
     "not a force code"),
    ('extends = "national"\nname = "kent"\ntitle = "t"\n', "missing required setting 'version'"),
    ('extends = "national"\nname = "kent"\nversion = "2026 spring edition"\ntitle = "t"\n',
     "version: '2026 spring edition' must be 1 to 10"),
])
def test_invalid_overlay_header_is_refused(tmp_path, header, fragment):
    refused(tmp_path, "", fragment, header=header)


def test_invalid_toml_and_missing_file(tmp_path):
    with pytest.raises(PolicyFileError, match="kent.toml: not valid TOML"):
        load_policy_file(overlay(tmp_path, "[rules\n"))
    with pytest.raises(PolicyFileError, match="cannot read"):
        load_policy_file(tmp_path / "absent.toml")


def test_a_base_policy_must_be_complete(tmp_path):
    path = tmp_path / "other.toml"
    path.write_text('name = "national"\nversion = "1"\ntitle = "t"\n', encoding="utf-8")
    with pytest.raises(PolicyFileError, match="missing required setting 'labels'"):
        load_policy_file(path)
    path.write_text('name = "other"\n', encoding="utf-8")
    with pytest.raises(PolicyFileError, match="must be the national policy"):
        load_policy_file(path)


def test_an_overlay_may_see_more_hubs(tmp_path):
    policy = load_policy_file(overlay(tmp_path, "[thresholds]\nhub_children = 2\n"
                                                "hub_window_days = 730\n"))
    assert (policy.thresholds.hub_children, policy.thresholds.hub_window_days) == (2, 730)
    national = load_policy("national").thresholds
    assert (national.hub_children, national.hub_window_days) == (3, 365)


def test_merseyside_grades_a_child_linked_to_an_exploitation_hub_at_least_medium():
    """ADR 51: nationally a hub proposes a marker; Merseyside's overlay raises the floor."""
    merseyside = load_policy("merseyside")
    linked = recommend(all_no(), context(age=15, linked_to_exploitation_hub=True), merseyside)
    assert linked.grade == "medium"
    assert "merseyside_exploitation_hub" in [reason.rule for reason in linked.reasons]
    assert recommend(all_no(), context(age=15), merseyside).grade == "no_apparent_risk"
    national = load_policy("national")
    assert recommend(all_no(), context(age=15, linked_to_exploitation_hub=True),
                     national).grade == recommend(all_no(), context(age=15), national).grade
