"""Properties of the grading policy that must hold for every input (hypothesis)."""

from hypothesis import given
from hypothesis import strategies as st

from mispers.risk.policy import (
    ANSWERS,
    FACTORS,
    GRADES,
    MISSING_FROM,
    Context,
    grade_rank,
    load_policy,
    recommend,
    shipped_overlays,
)

NATIONAL = load_policy("national")
POLICIES = [NATIONAL, *(load_policy(name) for name in shipped_overlays())]

answers_strategy = st.dictionaries(st.sampled_from(list(FACTORS)), st.sampled_from(ANSWERS))
contexts = st.builds(
    Context,
    age=st.integers(min_value=0, max_value=17),
    looked_after=st.booleans(),
    missing_from=st.sampled_from(MISSING_FROM),
    earlier_episodes_90d=st.integers(min_value=0, max_value=12),
    exploitation_marker=st.booleans(),
    linked_to_exploitation_hub=st.booleans(),
)
policies = st.sampled_from(POLICIES)
factor_codes = st.sampled_from(list(FACTORS))


def rank(answers, context, policy):
    return grade_rank(recommend(answers, context, policy).grade)


@given(answers_strategy, contexts, policies, factor_codes)
def test_answering_yes_never_lowers_the_grade(answers, context, policy, code):
    assert rank({**answers, code: "yes"}, context, policy) >= rank(answers, context, policy)


@given(answers_strategy, contexts, policies, st.lists(factor_codes, min_size=1))
def test_more_yes_answers_never_lower_the_grade(answers, context, policy, codes):
    more = {**answers, **{code: "yes" for code in codes}}
    assert rank(more, context, policy) >= rank(answers, context, policy)


@given(answers_strategy, contexts, policies, factor_codes)
def test_unknown_never_grades_lower_than_no(answers, context, policy, code):
    assert rank({**answers, code: "unknown"}, context, policy) >= rank(
        {**answers, code: "no"}, context, policy)


@given(answers_strategy, contexts, policies, factor_codes)
def test_leaving_a_question_out_is_the_same_as_unknown(answers, context, policy, code):
    answers.pop(code, None)
    assert recommend(answers, context, policy) == recommend(
        {**answers, code: "unknown"}, context, policy)


@given(answers_strategy, contexts, policies)
def test_younger_children_never_grade_lower(answers, context, policy):
    if context.age == 0:
        return
    younger = Context(context.age - 1, context.looked_after, context.missing_from,
                      context.earlier_episodes_90d, context.exploitation_marker)
    assert rank(answers, younger, policy) >= rank(answers, context, policy)


@given(answers_strategy, contexts, policies)
def test_more_history_or_a_marker_never_lowers_the_grade(answers, context, policy):
    worse = Context(context.age, context.looked_after, context.missing_from,
                    context.earlier_episodes_90d + 1, True)
    assert rank(answers, worse, policy) >= rank(answers, context, policy)


@given(answers_strategy, contexts)
def test_every_overlay_is_at_least_as_strict_as_national(answers, context):
    national = rank(answers, context, NATIONAL)
    for policy in POLICIES:
        assert rank(answers, context, policy) >= national


@given(answers_strategy, contexts, policies)
def test_recommend_is_deterministic(answers, context, policy):
    first = recommend(answers, context, policy)
    assert recommend(dict(reversed(answers.items())), context, policy) == first
    assert recommend(answers, context, policy) == first


@given(answers_strategy, contexts, policies)
def test_reasons_explain_the_grade(answers, context, policy):
    result = recommend(answers, context, policy)
    assert result.reasons
    assert all(reason.text.strip() and "{" not in reason.text for reason in result.reasons)
    ranks = [grade_rank(reason.grade) for reason in result.reasons]
    assert result.grade == GRADES[max(ranks)]
    assert ranks == sorted(ranks, reverse=True)
    assert (result.policy, result.policy_version) == (policy.name, policy.version)


@given(answers_strategy, contexts, policies)
def test_every_yes_to_a_high_floor_question_is_named(answers, context, policy):
    texts = " ".join(recommend(answers, context, policy).reason_texts)
    for code, answer in answers.items():
        if answer == "yes" and policy.factor_index[code].floor == "high":
            assert policy.factor_index[code].question in texts


@given(answers_strategy, contexts, policies)
def test_no_apparent_risk_only_when_nothing_applies(answers, context, policy):
    result = recommend(answers, context, policy)
    if result.grade == "no_apparent_risk":
        assert [reason.rule for reason in result.reasons] == ["no_rule_applies"]
        assert context.age >= 14 and not context.exploitation_marker
        assert all(answers.get(code) == "no" for code, factor in FACTORS.items()
                   if factor.floor != "low")
