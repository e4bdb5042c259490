"""One test for every rule of the national grading policy (DOMAIN.md section 4), with its
boundaries, plus the public vocabulary, the loader and the engine's input checks."""

import time

import pytest

from mispers.risk.policy import (
    ANSWERS,
    FACTORS,
    GRADES,
    MISSING_FROM,
    RANKS,
    BelowPolicyMinimumError,
    ChoiceError,
    ChoiceOutcome,
    Context,
    NoApparentRiskForbiddenError,
    PolicyInputError,
    PolicyMismatchError,
    RationaleRequiredError,
    UnknownGradeError,
    UnknownPolicyError,
    UnknownRankError,
    can_ratify,
    evaluate_choice,
    grade_rank,
    known_force_codes,
    load_policy,
    rank_at_least,
    recommend,
)

HIGH = [code for code, factor in FACTORS.items() if factor.floor == "high"]
MEDIUM = [code for code, factor in FACTORS.items() if factor.floor == "medium"]
LOW = [code for code, factor in FACTORS.items() if factor.floor == "low"]


@pytest.fixture(scope="module")
def national():
    return load_policy("national")


def context(**overrides):
    values = dict(age=15, looked_after=False, missing_from="home", earlier_episodes_90d=0,
                  exploitation_marker=False)
    values.update(overrides)
    return Context(**values)


def all_no(**answers):
    return {code: "no" for code in FACTORS} | answers


def grade(national, answers=None, **context_overrides):
    answers = all_no() if answers is None else answers
    return recommend(answers, context(**context_overrides), national)


def rules_fired(recommendation):
    return [reason.rule for reason in recommendation.reasons]


# --- vocabulary ---------------------------------------------------------------------------


def test_public_vocabulary():
    assert GRADES == ("no_apparent_risk", "low", "medium", "high")
    assert ANSWERS == ("yes", "no", "unknown")
    assert MISSING_FROM == ("home", "care", "school", "hospital", "other")
    assert RANKS == ("call_handler", "officer", "sergeant", "inspector", "superintendent")
    assert [grade_rank(g) for g in GRADES] == [0, 1, 2, 3]
    with pytest.raises(UnknownGradeError, match="'absent'"):
        grade_rank("absent")


def test_rank_order():
    assert rank_at_least("inspector", "sergeant")
    assert rank_at_least("sergeant", "sergeant")
    assert not rank_at_least("officer", "sergeant")
    assert rank_at_least("superintendent", "inspector")
    with pytest.raises(UnknownRankError, match="'chief'"):
        rank_at_least("chief", "sergeant")


def test_factor_table_is_domain_section_4_in_order():
    assert list(FACTORS) == [
        "suicide_self_harm", "crime_suspected", "exploitation", "medication",
        "forced_marriage_hba", "with_person_of_concern", "mental_health", "substance_misuse",
        "child_protection_plan", "domestic_abuse", "family_conflict", "out_of_character",
        "vulnerable_interaction", "physical_illness_disability", "previous_harm_when_missing",
        "risk_to_others", "weather_environment", "identity_or_hate_issue", "violent_incident",
        "school_problems", "preparation", "failed_intention", "other",
    ]
    assert (len(HIGH), len(MEDIUM), len(LOW)) == (6, 10, 7)
    assert FACTORS["other"].floor == "low"
    assert FACTORS["suicide_self_harm"].question == "risk of suicide or self-harm indicated"


# --- no apparent risk ---------------------------------------------------------------------


def test_nothing_applies_is_no_apparent_risk_with_a_reason(national):
    result = grade(national)
    assert result.grade == "no_apparent_risk"
    assert result.reason_texts == ["No risk indicators present: no rule raises the grade"]
    assert (result.policy, result.policy_version) == ("national", national.version)


# --- high ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "expected"), [(0, "high"), (11, "high"), (12, "high"),
                                               (13, "medium"), (14, "no_apparent_risk"),
                                               (17, "no_apparent_risk")])
def test_age_boundaries(national, age, expected):
    assert grade(national, age=age).grade == expected


def test_age_reason_names_the_age(national):
    assert grade(national, age=11).reason_texts == [
        "Age 11: children aged 12 or under are graded high"
    ]
    assert grade(national, age=13).reason_texts == [
        "Age 13: children aged 13 are graded at least medium"
    ]


@pytest.mark.parametrize("code", HIGH)
def test_each_high_floor_factor_yes_is_high(national, code):
    result = grade(national, all_no(**{code: "yes"}))
    assert result.grade == "high"
    assert rules_fired(result) == ["high_factor_yes"]
    assert FACTORS[code].question in result.reason_texts[0]


def test_one_reason_per_high_factor_yes(national):
    result = grade(national, all_no(suicide_self_harm="yes", medication="yes"))
    assert result.reason_texts == [
        "Answered yes to a high-risk question: risk of suicide or self-harm indicated",
        "Answered yes to a high-risk question: needs essential medication or treatment that is "
        "not available",
    ]


def test_exploitation_marker_is_high(national):
    result = grade(national, exploitation_marker=True)
    assert result.grade == "high"
    assert rules_fired(result) == ["exploitation_marker"]


def test_three_medium_factors_yes_is_accumulated_vulnerability(national):
    answers = all_no(mental_health="yes", family_conflict="yes", out_of_character="yes")
    result = grade(national, answers)
    assert result.grade == "high"
    assert rules_fired(result)[0] == "accumulated_vulnerability"
    assert result.reason_texts[0].startswith("Accumulated vulnerability: 3 medium-risk questions")
    assert "mental health condition" in result.reason_texts[0]


def test_two_medium_factors_yes_is_medium_not_high(national):
    result = grade(national, all_no(mental_health="yes", family_conflict="yes"))
    assert result.grade == "medium"
    assert rules_fired(result) == ["medium_factor_yes", "medium_factor_yes"]


# --- medium -------------------------------------------------------------------------------


def test_looked_after_missing_from_placement_is_medium(national):
    result = grade(national, looked_after=True, missing_from="care")
    assert result.grade == "medium"
    assert rules_fired(result) == ["missing_from_placement"]


@pytest.mark.parametrize("missing_from", ["home", "school", "hospital", "other"])
def test_looked_after_but_missing_from_elsewhere_is_not_the_placement_rule(national,
                                                                          missing_from):
    assert grade(national, looked_after=True, missing_from=missing_from).grade == (
        "no_apparent_risk"
    )


def test_missing_from_care_but_not_looked_after_is_not_the_placement_rule(national):
    assert grade(national, looked_after=False, missing_from="care").grade == "no_apparent_risk"


@pytest.mark.parametrize(("episodes", "expected"), [(0, "no_apparent_risk"),
                                                    (1, "no_apparent_risk"), (2, "medium"),
                                                    (7, "medium")])
def test_earlier_episodes_boundary(national, episodes, expected):
    assert grade(national, earlier_episodes_90d=episodes).grade == expected


def test_earlier_episodes_reason_names_the_count(national):
    text = grade(national, earlier_episodes_90d=4).reason_texts[0]
    assert text.startswith("4 earlier missing episodes in the 90 days before this report")


@pytest.mark.parametrize("code", MEDIUM)
def test_each_medium_floor_factor_yes_is_medium(national, code):
    result = grade(national, all_no(**{code: "yes"}))
    assert result.grade == "medium"
    assert result.reason_texts == [
        f"Answered yes to a medium-risk question: {FACTORS[code].question}"
    ]


@pytest.mark.parametrize("code", HIGH)
def test_each_high_floor_factor_unknown_is_medium(national, code):
    result = grade(national, all_no(**{code: "unknown"}))
    assert result.grade == "medium"
    assert rules_fired(result) == ["high_factor_unknown"]
    assert FACTORS[code].question in result.reason_texts[0]


# --- low ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LOW)
def test_each_low_floor_factor_yes_is_low(national, code):
    result = grade(national, all_no(**{code: "yes"}))
    assert result.grade == "low"
    assert rules_fired(result) == ["low_factor_yes"]


def test_other_answered_yes_is_low(national):
    assert grade(national, all_no(other="yes")).grade == "low"


@pytest.mark.parametrize("code", MEDIUM)
def test_each_medium_floor_factor_unknown_is_low(national, code):
    result = grade(national, all_no(**{code: "unknown"}))
    assert result.grade == "low"
    assert rules_fired(result) == ["medium_factor_unknown"]


@pytest.mark.parametrize("code", LOW)
def test_low_floor_factor_unknown_raises_nothing(national, code):
    assert grade(national, all_no(**{code: "unknown"})).grade == "no_apparent_risk"


# --- unanswered, several rules, input checks ----------------------------------------------


def test_missing_answers_count_as_unknown(national):
    result = recommend({}, context(), national)
    assert result.grade == "medium"
    assert rules_fired(result) == ["high_factor_unknown", "medium_factor_unknown"]
    assert result == recommend({code: "unknown" for code in FACTORS}, context(), national)


def test_every_fired_rule_is_listed_highest_first(national):
    answers = all_no(exploitation="yes", mental_health="yes", preparation="yes",
                     substance_misuse="unknown")
    result = grade(national, answers, age=13, looked_after=True, missing_from="care")
    assert result.grade == "high"
    assert rules_fired(result) == ["high_factor_yes", "age_13", "missing_from_placement",
                                   "medium_factor_yes", "low_factor_yes",
                                   "medium_factor_unknown"]
    assert [grade_rank(r.grade) for r in result.reasons] == sorted(
        (grade_rank(r.grade) for r in result.reasons), reverse=True)


def test_unknown_factor_is_refused(national):
    with pytest.raises(PolicyInputError, match="unknown factor 'suicide'"):
        recommend({"suicide": "yes"}, context(), national)


@pytest.mark.parametrize("value", ["Yes", "maybe", "", None, True])
def test_unknown_answer_is_refused(national, value):
    with pytest.raises(PolicyInputError, match="unknown answer .* for mental_health"):
        recommend({"mental_health": value}, context(), national)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"age": 18}, "this system is for children"),
    ({"age": 30}, "this system is for children"),
    ({"age": -1}, "must not be negative"),
    ({"age": "15"}, "whole number"),
    ({"age": True}, "whole number"),
    ({"age": 15.0}, "whole number"),
    ({"missing_from": "foster"}, "missing_from must be one of"),
    ({"earlier_episodes_90d": -1}, "earlier_episodes_90d"),
    ({"earlier_episodes_90d": 1.5}, "earlier_episodes_90d"),
    ({"looked_after": "yes"}, "looked_after must be true or false"),
    ({"exploitation_marker": 1}, "exploitation_marker must be true or false"),
])
def test_context_is_validated(overrides, message):
    with pytest.raises(PolicyInputError, match=message):
        context(**overrides)


# --- loading ------------------------------------------------------------------------------


def test_known_force_codes():
    codes = known_force_codes()
    assert len(codes) == 43
    assert {"avon-and-somerset", "dorset", "south-wales", "metropolitan"} <= codes


def test_force_without_overlay_grades_as_national(national):
    assert load_policy("avon-and-somerset") is national
    assert load_policy("dorset") is load_policy("dorset")  # cached
    result = recommend({}, context(), load_policy("kent"))
    assert result.policy == "national"


@pytest.mark.parametrize("name", ["Dorset", "kent-police", "", "scotland"])
def test_unknown_policy(name):
    with pytest.raises(UnknownPolicyError, match="unknown policy"):
        load_policy(name)


def test_every_force_loads():
    for code in known_force_codes():
        assert load_policy(code).name in {"national", code}


def test_clocks_deadlines_thresholds_and_actions_follow_domain_section_5(national):
    high, medium = national.clock("high"), national.clock("medium")
    low, nar = national.clock("low"), national.clock("no_apparent_risk")
    assert (high.first_review_hours, high.review_every_hours, high.reviewer_rank) == (
        1, 4, "inspector")
    assert high.superintendent_informed_after_hours == 12
    assert (medium.first_review_hours, medium.review_every_hours, medium.reviewer_rank) == (
        2, 8, "sergeant")
    assert medium.inspector_review_after_hours == 24
    assert (low.first_review_hours, low.review_every_hours, low.reviewer_rank) == (
        4, 12, "sergeant")
    assert (nar.first_review_hours, nar.review_every_hours, nar.regrade_by_hours) == (2, 6, 24)
    deadlines = national.deadlines
    assert deadlines.national_unit_notify_after_hours == 72
    assert deadlines.prevention_interview_due_hours == 24
    assert deadlines.return_home_interview_due_hours == 72
    assert (national.thresholds.repeat_episodes, national.thresholds.repeat_window_days) == (3, 90)
    assert (national.ratification.default_rank, national.ratification.high_rank) == (
        "sergeant", "inspector")

    def codes(grade, looked_after):
        return {a.code for a in national.actions_for(grade, looked_after=looked_after)}

    assert {"pnc_circulation", "inspector_informed", "consider_child_rescue_alert",
            "search_home_or_placement"} <= codes("high", False)
    assert "pnc_circulation" in codes("medium", False)
    assert "pnc_circulation" not in codes("low", False)
    assert "inform_childrens_services" not in codes("medium", False)
    assert all("inform_childrens_services" in codes(g, True) for g in GRADES)
    assert national.label("no_apparent_risk") == "No apparent risk"


def test_recommend_is_fast(national):
    """The brief asks for 20,000 assessments a second on one core; this only guards against a
    gross regression (a tenth of that), so a slow CI machine does not fail it."""
    cases = [(all_no(mental_health="yes"), context()), ({}, context(age=12)),
             (all_no(exploitation="unknown"), context(looked_after=True, missing_from="care"))]
    start = time.perf_counter()
    for _ in range(1000):
        for answers, ctx in cases:
            recommend(answers, ctx, national)
    rate = 3000 / (time.perf_counter() - start)
    assert rate > 2000


# --- choosing a grade ---------------------------------------------------------------------


def choose(policy, recommendation, chosen, rationale=""):
    return evaluate_choice(recommendation=recommendation, chosen=chosen, rationale=rationale,
                           policy=policy)


@pytest.mark.parametrize("chosen", ["medium", "high"])
def test_choice_at_or_above_the_recommendation_is_accepted(national, chosen):
    medium = grade(national, all_no(mental_health="yes"))
    assert choose(national, medium, chosen) == ChoiceOutcome("accepted", None)


def test_choice_below_medium_needs_a_sergeant(national):
    medium = grade(national, all_no(mental_health="yes"))
    outcome = choose(national, medium, "low", "Seen by her mother at 14:10, safe")
    assert outcome == ChoiceOutcome("pending_ratification", "sergeant")


def test_no_apparent_risk_below_medium_is_allowed_with_rationale(national):
    medium = grade(national, earlier_episodes_90d=2)
    outcome = choose(national, medium, "no_apparent_risk", "Whereabouts confirmed by school")
    assert outcome.status == "pending_ratification"


def test_choice_below_high_needs_an_inspector(national):
    high = grade(national, age=12)
    assert choose(national, high, "medium", "Known to be with grandparent") == ChoiceOutcome(
        "pending_ratification", "inspector")


@pytest.mark.parametrize("rationale", ["", "   \n\t", None])
def test_choice_below_the_recommendation_needs_a_rationale(national, rationale):
    medium = grade(national, all_no(mental_health="yes"))
    with pytest.raises(RationaleRequiredError, match="below the recommended medium"):
        choose(national, medium, "low", rationale)


def test_no_apparent_risk_is_refused_while_a_high_rule_applies(national):
    high = grade(national, all_no(with_person_of_concern="yes"))
    with pytest.raises(NoApparentRiskForbiddenError, match="person who poses a risk"):
        choose(national, high, "no_apparent_risk", "A very good reason")


def test_no_apparent_risk_is_refused_where_the_force_never_uses_it():
    dorset = load_policy("dorset")
    low = recommend(all_no(), context(), dorset)
    assert low.grade == "low"
    with pytest.raises(NoApparentRiskForbiddenError, match="never grades a child below low"):
        choose(dorset, low, "no_apparent_risk", "A very good reason")
    assert choose(dorset, low, "low") == ChoiceOutcome("accepted", None)


def test_unknown_chosen_grade(national):
    with pytest.raises(UnknownGradeError, match="'absent'"):
        choose(national, grade(national), "absent", "reason")


def test_recommendation_from_another_policy_is_refused(national):
    dorset_recommendation = recommend(all_no(), context(), load_policy("dorset"))
    with pytest.raises(PolicyMismatchError, match="made under dorset"):
        choose(national, dorset_recommendation, "low")


def test_choice_errors_are_value_errors():
    for error in (RationaleRequiredError, NoApparentRiskForbiddenError, UnknownGradeError,
                  BelowPolicyMinimumError, PolicyInputError):
        assert issubclass(error, ValueError)
    assert issubclass(RationaleRequiredError, ChoiceError)


@pytest.mark.parametrize(("rank", "required", "expected"), [
    ("sergeant", "sergeant", True), ("officer", "sergeant", False),
    ("inspector", "sergeant", True), ("sergeant", "inspector", False),
    ("inspector", "inspector", True), ("superintendent", "inspector", True),
    ("call_handler", "sergeant", False), ("inspector", None, False),
])
def test_can_ratify(rank, required, expected):
    assert can_ratify(rank=rank, outcome_required_rank=required) is expected


def test_can_ratify_unknown_rank():
    with pytest.raises(UnknownRankError):
        can_ratify(rank="constable", outcome_required_rank="sergeant")
