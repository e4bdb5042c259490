"""Property tests: the repeat counts equal a direct count over the episodes, and the
concentration figure equals a brute-force computation."""

import datetime as dt
import math

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mispers.episodes.models import Episode
from mispers.repeats.counting import concentration, top_children
from mispers.repeats.selectors import (
    child_pattern,
    earlier_episodes_count,
    force_concentration,
    repeat_children,
)
from mispers.risk.selectors import assessment_context_for

pytestmark = pytest.mark.django_db
SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

# Days before `now` of each report, and whether a supervisor then withdrew it.
episode_days = st.lists(st.tuples(st.integers(min_value=0, max_value=500), st.booleans()),
                        min_size=0, max_size=6)


def _make(child, plan, *, now, report_at, inspector=None):
    from mispers.casework.withdraw import episode_withdraw

    made = []
    for index, (days, withdrawn) in enumerate(sorted(plan, reverse=True)):
        at = now - dt.timedelta(days=days, minutes=10 + index)  # distinct times
        episode = report_at(child, at)
        if withdrawn:
            episode_withdraw(actor=inspector, now=at + dt.timedelta(minutes=6), episode=episode,
                             reason="Made in error")
        made.append(episode)
    return made


def _direct(child, *, end, days):
    """Count by hand: every episode of the child, in Python."""
    return sum(1 for e in Episode.objects.filter(child=child)
               if e.state != "withdrawn" and end - dt.timedelta(days=days) <= e.reported_at <= end)


@SETTINGS
@given(plan=episode_days)
def test_pattern_counts_equal_a_direct_count(plan, make_child, report_at, sergeant, inspector,
                                              now):
    with transaction.atomic():
        child = make_child()
        made = _make(child, plan, now=now, report_at=report_at, inspector=inspector)
        pattern = child_pattern(child=child, now=now)
        for days in (30, 90, 365):
            assert pattern.windows[days] == _direct(child, end=now, days=days)
        for episode in made:
            episode.refresh_from_db()
        assert pattern.total == sum(1 for e in made if e.state != "withdrawn")
        listed = {c.pk: c for c in repeat_children(user=sergeant, now=now)}
        if pattern.total >= 2:
            row = listed[child.pk]
            assert (row.episodes_30, row.episodes_90, row.episodes_365, row.episodes_total) == (
                pattern.last_30, pattern.last_90, pattern.last_365, pattern.total)
        else:
            assert child.pk not in listed
        # The policy's context counts the same way: earlier episodes in the 90 days before.
        for episode in made:
            direct = _direct(child, end=episode.reported_at, days=90) - (
                0 if episode.state == "withdrawn" else 1)
            assert earlier_episodes_count(episode=episode, days=90) == direct
            assert assessment_context_for(episode=episode, now=now).earlier_episodes_90d == direct
        transaction.set_rollback(True)


def _brute_force(counts):
    counts = [n for n in counts if n > 0]
    if not counts:
        return None
    k = max(1, math.ceil(len(counts) * 5 / 100))
    best = max(sum(sorted(counts)[-k:]), 0)  # the k largest
    return best / sum(counts)


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=300))
def test_concentration_equals_brute_force(counts):
    children, episodes, top_episodes, share = concentration(counts)
    assert children == sum(1 for n in counts if n > 0)
    assert episodes == sum(counts)
    assert share == _brute_force(counts)
    assert top_children(children) == (max(1, math.ceil(children / 20)) if children else 0)


@SETTINGS
@given(plans=st.lists(st.lists(st.integers(min_value=0, max_value=400), max_size=4),
                      min_size=1, max_size=5))
def test_force_concentration_equals_brute_force(plans, make_child, report_at, sergeant, now):
    with transaction.atomic():
        children = [make_child() for _ in plans]
        for child, days in zip(children, plans, strict=True):
            _make(child, [(d, False) for d in days], now=now, report_at=report_at)
        figure = force_concentration(user=sergeant, now=now, days=365)
        counts = [_direct(child, end=now, days=365) for child in children]
        assert figure.share == _brute_force(counts)
        assert figure.episodes == sum(counts)
        transaction.set_rollback(True)


def test_concentration_of_another_force_is_not_seen(make_child, report_at, outsider, now):
    child = make_child()
    report_at(child, now - dt.timedelta(days=3))
    assert force_concentration(user=outsider, now=now).episodes == 0
    assert child.pk not in {c.pk for c in repeat_children(user=outsider, now=now)}
