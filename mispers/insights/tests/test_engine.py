"""The force picture's engine (ADR 43) gives exactly the reference's figures: on random
synthetic forces, for random periods and filters, cold and warm; and it never serves a
snapshot the data have moved past (a return recorded, a report withdrawn, a child's record
corrected, a review falling overdue as time passes)."""

import dataclasses
import datetime as dt
import random

import pytest
import time_machine
from django.utils import timezone

from mispers.accounts.models import Area, Team
from mispers.casework.found import return_record
from mispers.casework.withdraw import episode_withdraw
from mispers.insights import engine
from mispers.insights.exploitation import exploitation_figures
from mispers.insights.forms import GRADE_CHOICES
from mispers.insights.measures import AGE_BANDS, ETHNIC_GROUPS, Filters, force_figures
from mispers.insights.models import FigureSnapshot
from mispers.insights.period import Period
from mispers.people.services import marker_add
from mispers.reviews.models import Deadline
from mispers.synth.bulk import ETHNICITIES, bulk_force

from .conftest import at

pytestmark = pytest.mark.django_db
UNTIL = timezone.make_aware(dt.datetime(2026, 6, 1, 12))


def random_filters(rng, force) -> Filters:
    teams = list(Team.objects.filter(force=force).values_list("pk", flat=True))
    areas = list(Area.objects.filter(force=force).values_list("pk", flat=True))
    options = {
        "team_id": lambda: rng.choice(teams), "area_id": lambda: rng.choice(areas),
        "age_band": lambda: rng.choice(AGE_BANDS)[0],
        "sex": lambda: rng.choice(["female", "male", "not_known"]),
        "looked_after": lambda: rng.random() < 0.5,
        "missing_from": lambda: rng.choice(["home", "care", "school", "other"]),
        "ethnicity": lambda: rng.choice([c for c, _ in ETHNIC_GROUPS]
                                        + [c for c, _ in ETHNICITIES]),
        "grade": lambda: rng.choice(GRADE_CHOICES)[0],
    }
    chosen = rng.sample(sorted(options), rng.randint(0, 2))
    return Filters(**{name: options[name]() for name in chosen})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_figure_is_the_references_on_random_forces(force, seed):
    rng = random.Random(seed)
    bulk_force(force=force, episodes=500, until=UNTIL, seed=seed, years=2, officers=12,
               planted=1)
    now = UNTIL + dt.timedelta(hours=rng.randint(1, 200))
    for _ in range(6):
        first = (UNTIL - dt.timedelta(days=rng.randint(20, 700))).date()
        period = Period(first, min(first + dt.timedelta(days=rng.randint(0, 300)),
                                   UNTIL.date()))
        periods = [period, period.previous(), period.year_before()]
        filters = random_filters(rng, force)
        expected = [force_figures(force_id=force.pk, period=p, now=now, filters=filters)
                    for p in periods]
        cold = engine.figures(force_id=force.pk, periods=periods, now=now, filters=filters)
        warm = engine.figures(force_id=force.pk, periods=periods, now=now, filters=filters)
        for ref, made, kept in zip(expected, cold, warm, strict=True):
            for name in [f.name for f in dataclasses.fields(ref)]:
                assert getattr(made, name) == getattr(ref, name), (filters, name)
                assert getattr(kept, name) == getattr(ref, name), (filters, name)
        assert expected[0].incidents or filters != Filters()
        assert engine.exploitation(force_id=force.pk, period=period, now=now,
                                   filters=filters) == exploitation_figures(
            force_id=force.pk, period=period, filters=filters)
    assert FigureSnapshot.objects.filter(force=force).exists()


def test_a_change_through_the_services_is_never_hidden_by_a_snapshot(force, force_data,
                                                                     officer, inspector):
    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    now = at(5, 12, month=4)

    def both():
        made = engine.figures(force_id=force.pk, periods=[march], now=now)[0]
        assert made == force_figures(force_id=force.pk, period=march, now=now)
        return made

    before = both()
    ben = force_data["episodes"][3]
    return_record(actor=officer, now=at(6), episode=ben, found_at=at(6), found_where="Home",
                  found_by="police", condition="safe_and_well")
    after = both()
    assert after.time_missing["still_missing"] == before.time_missing["still_missing"] - 1
    episode_withdraw(actor=inspector, now=at(9), episode=force_data["c1"],
                     reason="Made in error")
    assert both().incidents == before.incidents - 1
    # A correction of a child's record stamps it, as the services do (people.services).
    amy = force_data["amy"]
    amy.sex = "male"
    amy.stamp(actor=officer, now=at(10))
    amy.save()
    by_sex = Filters(sex="male")
    assert engine.figures(force_id=force.pk, periods=[march], now=now, filters=by_sex)[0] \
        == force_figures(force_id=force.pk, period=march, now=now, filters=by_sex)
    # A marker added (stamped, no timeline event) shows at once in the exploitation figures.
    seen = engine.exploitation(force_id=force.pk, period=march, now=now)
    marker_add(actor=inspector, now=at(11), child=amy, kind="exploitation", subtype="criminal",
               source="police", active_from=dt.date(2026, 1, 1))
    made = engine.exploitation(force_id=force.pk, period=march, now=now)
    assert made == exploitation_figures(force_id=force.pk, period=march)
    assert made.marker_incidents.get("any", 0) == seen.marker_incidents.get("any", 0) + 3


def test_a_review_falling_overdue_is_counted_late_without_any_write(force, force_data):
    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    pending = Deadline.objects.filter(episode__in=[e.pk for e in force_data["episodes"]],
                                      kind__in=["review", "inspector_review"],
                                      status="pending").order_by("due_at").last()
    assert pending is not None
    early, late = pending.due_at - dt.timedelta(minutes=1), pending.due_at + dt.timedelta(
        minutes=1)
    first = engine.figures(force_id=force.pk, periods=[march], now=early)[0]
    second = engine.figures(force_id=force.pk, periods=[march], now=late)[0]
    assert second.reviews_on_time == force_figures(force_id=force.pk, period=march, now=late)\
        .reviews_on_time
    assert second.reviews_on_time.of == first.reviews_on_time.of + 1


def test_the_refresh_job_warms_the_default_view_and_prunes(force, force_data):
    now = at(5, 12, month=4)
    with time_machine.travel(now, tick=False):
        assert engine.refresh_all(now=now) == {force.code: 3}
        keys = set(FigureSnapshot.objects.filter(force=force).values_list("key", flat=True))
        assert any(k.startswith("charts:") for k in keys) and len(keys) >= 3
        FigureSnapshot.objects.filter(force=force).update(
            made_at=now - dt.timedelta(days=engine.KEPT_DAYS + 1), stamp="old")
        FigureSnapshot.objects.create(force=force, key="figures:old", stamp="x",
                                      made_at=now - dt.timedelta(days=30), payload=b"")
        engine.refresh(force_id=force.pk, now=now)
        assert not FigureSnapshot.objects.filter(key="figures:old").exists()
        assert FigureSnapshot.objects.filter(force=force, stamp="old").count() == 0
