"""The reference figures (measures.py) against a straightforward computation, record by record
through the models, on random synthetic forces (mispers.synth.bulk): the reference reads ids
as text, through subqueries, with memoised rules, so it is checked against the plainest reading
of docs/insight-definitions.md, with and without filters (issue 12)."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.utils import timezone

from mispers.episodes.models import Episode
from mispers.insights.measures import NOT_GRADED, Filters, force_figures
from mispers.insights.period import Period
from mispers.reviews.models import Deadline
from mispers.risk.policy.model import grade_rank
from mispers.synth.bulk import bulk_force

pytestmark = pytest.mark.django_db
UNTIL = timezone.make_aware(dt.datetime(2026, 6, 1, 12))


def plain(force, period: Period, now, filters: Filters) -> dict:
    counted = [e for e in Episode.objects.filter(force=force).select_related("child")
               if period.start <= e.reported_at < period.end and e.state != "withdrawn"]

    def grades(e):
        return [a.effective_grade for a in e.assessments.order_by("sequence")]

    def keep(e):
        initial = (grades(e) or [NOT_GRADED])[0]
        ethnicity = e.child.ethnicity
        return ((not filters.grade or initial == filters.grade)
                and (not filters.ethnicity or ethnicity == filters.ethnicity
                     or ethnicity.startswith(filters.ethnicity + "_"))
                and (not filters.sex or e.child.sex == filters.sex)
                and (not filters.missing_from or e.missing_from == filters.missing_from))

    episodes = [e for e in counted if keep(e)]
    found = {e.pk: e.found for e in episodes if hasattr(e, "found")}
    bands = Counter()
    for e in episodes:
        if e.pk not in found:
            bands["still_missing"] += 1
            continue
        hours = (found[e.pk].found_at - e.reported_at).total_seconds() / 3600
        bands["under_24h" if hours < 24 else "24_48h" if hours < 48
              else "2_7d" if hours < 168 else "over_7d"] += 1
    on_time = late = 0
    for d in Deadline.objects.filter(episode__in=episodes,
                                     kind__in=["review", "inspector_review", "regrade",
                                               "reassessment"]):
        if d.status == "met":
            on_time += d.closed_at is not None and d.closed_at <= d.due_at
            late += not (d.closed_at is not None and d.closed_at <= d.due_at)
        elif d.status == "pending" and d.due_at < now:
            late += 1
    referred = [e.return_home_interview for e in episodes
                if hasattr(e, "return_home_interview")]
    return {
        "incidents": len(episodes),
        "individuals": len({e.child_id for e in episodes}),
        "repeat_incidents": sum(
            Episode.objects.filter(child_id=e.child_id, reported_at__lt=e.reported_at,
                                   reported_at__gte=e.reported_at - dt.timedelta(days=365))
            .exclude(state="withdrawn").exists() for e in episodes),
        "initial_grade": dict(Counter((grades(e) or [NOT_GRADED])[0] for e in episodes)),
        "highest_grade": dict(Counter(max(grades(e), key=grade_rank) if grades(e)
                                      else NOT_GRADED for e in episodes)),
        "final_grade": dict(Counter((grades(e) or [NOT_GRADED])[-1] for e in episodes)),
        "time_missing": {b: bands[b] for b in ("under_24h", "24_48h", "2_7d", "over_7d",
                                               "still_missing")},
        "found_by": dict(Counter(f.found_by for f in found.values())),
        "condition": dict(Counter(f.condition for f in found.values())),
        "missing_from": dict(Counter(e.missing_from for e in episodes)),
        "looked_after": sum(
            (e.assessments.order_by("sequence").first().looked_after
             if e.assessments.exists() else e.child.looked_after) for e in episodes),
        "reviews_on_time": (on_time, on_time + late),
        "rhi_completed": (sum(r.completed_at is not None for r in referred), len(referred)),
        "rhi_offered_in_72h": (sum(r.offered_at is not None and r.episode_id in found
                                   and r.offered_at - found[r.episode_id].found_at
                                   <= dt.timedelta(hours=72) for r in referred),
                               len(referred)),
    }


@pytest.mark.parametrize("seed", [5, 6])
def test_the_reference_agrees_with_a_plain_reading(force, seed):
    rng = random.Random(seed)
    bulk_force(force=force, episodes=300, until=UNTIL, seed=seed, years=1, officers=8,
               planted=1)
    now = UNTIL + dt.timedelta(hours=30)
    first = (UNTIL - dt.timedelta(days=rng.randint(120, 300))).date()
    period = Period(first, first + dt.timedelta(days=rng.randint(60, 110)))
    for filters in [Filters(), Filters(grade="medium"), Filters(ethnicity="white"),
                    Filters(ethnicity="not_stated"), Filters(sex="female", missing_from="care")]:
        figures = force_figures(force_id=force.pk, period=period, now=now, filters=filters)
        expected = plain(force, period, now, filters)
        assert expected["incidents"] > 0 or filters != Filters()
        for name, value in expected.items():
            got = getattr(figures, name)
            if hasattr(got, "count"):
                got = (got.count, got.of)
            assert got == value, (filters, name)
