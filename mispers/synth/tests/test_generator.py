"""The synthetic data generator: deterministic, calibrated, written through the services."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from mispers.accounts.models import Force
from mispers.accounts.services import forces_load
from mispers.casework.children import child_create
from mispers.episodes.models import Episode, TimelineEvent
from mispers.people.models import Child
from mispers.places.models import Place
from mispers.risk.models import Assessment
from mispers.risk.services import policy_for_force
from mispers.synth.generator import (
    SynthRefused,
    generate_force,
    synthetic_children,
)
from mispers.synth.plan import Planner
from mispers.synth.reset import synth_reset

UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
FORCE = "devon-and-cornwall"


def _plan(force, *, seed, children, episodes, open_recent):
    return Planner(seed=seed, force_code=force.code, force_name=force.name, children=children,
                   episodes=episodes, until=UNTIL, open_recent=open_recent,
                   policy=policy_for_force(force)).plan()


def _fresh_run(*, seed, children, episodes, open_recent=8) -> dict:
    """Generate into an empty database, read back what was made, and roll it all back, so
    each call starts from a fresh database."""
    with transaction.atomic():
        forces_load()
        force = Force.objects.get(code=FORCE)
        result = generate_force(force=force, seed=seed, children=children, episodes=episodes,
                                until=UNTIL, open_recent=open_recent)
        snapshot = {
            "summary": result.summary(),
            "children": sorted(Child.objects.values_list("given_name", "family_name",
                                                         "date_of_birth", "looked_after")),
            "episodes": list(Episode.objects.order_by("reference").values_list(
                "reference", "reported_at", "state", "current_grade")),
        }
        transaction.set_rollback(True)
    return snapshot


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    first = _fresh_run(seed=7, children=30, episodes=90)
    second = _fresh_run(seed=7, children=30, episodes=90)
    other = _fresh_run(seed=8, children=30, episodes=90)
    assert first == second
    assert first["children"] != other["children"]
    assert "30 children, 90 episodes" in first["summary"]


@pytest.fixture(scope="module")
def calibration(django_db_setup, django_db_blocker):
    """One run of 120 children and 400 episodes, measured and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        forces_load()
        force = Force.objects.get(code=FORCE)
        result = generate_force(force=force, seed=3, children=120, episodes=400, until=UNTIL,
                                open_recent=12)
        plan = _plan(force, seed=3, children=120, episodes=400, open_recent=12)
        episodes = Episode.objects.filter(force=force)
        assessments = list(Assessment.objects.filter(episode__force=force)
                           .select_related("episode__child", "assessed_by", "ratified_by"))
        firsts = episodes.order_by("child_id").values_list("child_id", flat=True).distinct()
        measured = {
            "result": result,
            "plan": plan,
            "episodes": episodes.count(),
            "children": synthetic_children(force).count(),
            "distinct_children": len(set(firsts)),
            "unassessed": episodes.filter(assessments__isnull=True).count(),
            "assessments": assessments,
            "open": list(episodes.filter(state=Episode.State.OPEN)
                         .values_list("reported_at", flat=True)),
            "closed": episodes.filter(state=Episode.State.CLOSED).count(),
            # Found in the last days before `until`, the return-home interview not yet
            # resolved then: not closable yet (closure needs it resolved, ADR 25).
            "waiting": episodes.filter(state=Episode.State.FOUND,
                                       found__found_at__gte=UNTIL - dt.timedelta(days=7)).count(),
            "found": episodes.filter(state=Episode.State.FOUND).count(),
            "states": dict(Counter(episodes.values_list("state", flat=True))),
            "closed_events": TimelineEvent.objects.filter(
                episode__force=force, code="closed").count(),
            "latest_event": max(TimelineEvent.objects.filter(episode__force=force)
                                .values_list("at", flat=True)),
            "audit": _audit(force),
        }
        transaction.set_rollback(True)
    return measured


def _audit(force) -> dict:
    """The grading audit (issue 12) over the whole history: who it flags, per measure."""
    from mispers.insights.consistency import assessment_rows, consistency
    from mispers.insights.period import Period

    first = Episode.objects.filter(force=force).order_by("reported_at").first().reported_at
    rows = assessment_rows(force_id=force.pk, period=Period(first.date(), UNTIL.date()))
    flagged = {}
    for measure in ("below", "differs"):
        result = consistency(rows, measure=measure, unit="officer")
        flagged[measure] = {u.name: u.outlier for u in result.outliers}
    names = {str(a.assessed_by.pk): a.assessed_by for a in Assessment.objects.filter(
        episode__force=force).select_related("assessed_by")}
    return {"flagged": flagged, "usernames": {u.display_with_rank: u.username
                                              for u in names.values()}}


def _share(items, test) -> float:
    return sum(1 for item in items if test(item)) / len(items)


def test_every_episode_is_assessed_and_counts_are_as_asked(calibration):
    assert calibration["children"] == 120
    assert calibration["episodes"] == 400
    assert calibration["unassessed"] == 0
    assert len(calibration["assessments"]) == 400


def test_the_plan_predicts_what_the_services_recommended(calibration):
    """The planner's context (age, looked after, 90-day count, marker) is the selector's."""
    made = sorted((a.episode.reported_at, a.recommended_grade)
                  for a in calibration["assessments"])
    planned = sorted((ep.reported_at, ep.recommended) for ep in calibration["plan"].episodes)
    assert made == planned


def test_ages_looked_after_and_repeats_are_calibrated(calibration):
    assessments = calibration["assessments"]
    assert _share(assessments, lambda a: 12 <= a.age_at_report <= 17) > 0.85
    assert 0.45 < _share(assessments, lambda a: a.age_at_report >= 15) < 0.72
    assert 0.25 < _share(assessments, lambda a: a.looked_after) < 0.50
    repeats = 1 - calibration["distinct_children"] / calibration["episodes"]
    assert repeats > 0.55
    marked = [a for a in assessments if a.exploitation_marker]
    assert 0.05 < len(marked) / len(assessments) < 0.13
    girls = _share(marked, lambda a: a.episode.child.sex == "female")
    assert girls > 0.55


def test_grade_mix_is_roughly_the_national_one(calibration):
    mix = Counter(a.recommended_grade for a in calibration["assessments"])
    total = sum(mix.values())
    assert 0.12 < mix["high"] / total < 0.32
    assert 0.50 < mix["medium"] / total < 0.75
    assert 0.05 < mix["low"] / total < 0.20
    assert mix["no_apparent_risk"] > 0


def test_downgrades_are_concentrated_in_the_designated_officers(calibration):
    designated = {s.username for s in calibration["plan"].staff if s.downgrader}
    assert len(designated) == 3
    below = [a for a in calibration["assessments"] if a.status != Assessment.Status.ACCEPTED]
    assert below
    by_designated = _share(below, lambda a: a.assessed_by.username in designated)
    assert by_designated > 0.6
    for assessment in below:
        assert assessment.rationale
        assert assessment.assessed_by.rank in {"officer", "call_handler"}
    reviewed = [a for a in below if a.status != Assessment.Status.PENDING]
    assert _share(reviewed, lambda a: a.status == Assessment.Status.RATIFIED) > 0.6
    for assessment in reviewed:
        assert assessment.ratified_by.rank in {"sergeant", "inspector"}
        if assessment.recommended_grade == "high":
            assert assessment.ratified_by.rank == "inspector"


def test_the_grading_audit_finds_the_designated_downgraders_and_nobody_else(calibration):
    """Issue 12: the generator (and so the demo) plants officers with a known habit, graded
    below the recommendation far more often than their colleagues, through the services; the
    consistency audit's funnel flags them above the outer limit, and nobody else."""
    designated = {s.username for s in calibration["plan"].staff if s.downgrader}
    audit = calibration["audit"]
    for measure in ("below", "differs"):
        flagged = {audit["usernames"][name]: side
                   for name, side in audit["flagged"][measure].items()}
        above = {username for username, side in flagged.items() if side == "above"}
        if measure == "below":  # the habit itself: all three found
            assert above == designated, (measure, flagged)
        # "Differs" also counts the others' occasional upgrades: a habit may hide in it, but
        # nobody else is flagged above; below the lower limit, at most one by chance.
        assert above <= designated, (measure, flagged)
        assert len(set(flagged) - above) <= 1, (measure, flagged)


def test_old_episodes_are_closed_and_recent_ones_open(calibration):
    open_times = calibration["open"]
    assert len(open_times) == 12
    assert all(UNTIL - dt.timedelta(days=3) <= at < UNTIL for at in open_times)
    # Every old episode is closed, except one found so late that its return-home interview is
    # still within its clock at `until`.
    assert calibration["closed"] + calibration["waiting"] == 400 - 12, calibration["states"]
    assert calibration["found"] == calibration["waiting"] <= 3
    assert calibration["closed_events"] == calibration["closed"]
    assert calibration["latest_event"] < UNTIL


@pytest.fixture
def demo_force(db):
    forces_load()
    return Force.objects.get(code=FORCE)


def test_generation_is_idempotent_and_reset_makes_it_again(demo_force):
    first = generate_force(force=demo_force, seed=5, children=15, episodes=40, until=UNTIL,
                           open_recent=4)
    again = generate_force(force=demo_force, seed=5, children=15, episodes=40, until=UNTIL,
                           open_recent=4)
    assert first.created and not again.created
    assert (again.children, again.episodes) == (15, 40)
    assert Child.objects.count() == 15
    places = Place.objects.count()
    assert places > 50  # the force's places and the children's own, each recorded once
    assert synth_reset(force=demo_force) == 15
    assert not Child.objects.exists() and not Episode.objects.exists()
    assert not Place.objects.exists()
    remade = generate_force(force=demo_force, seed=5, children=15, episodes=40, until=UNTIL,
                            open_recent=4)
    assert remade.summary().replace("already present", "created") == first.summary()
    assert Place.objects.count() == places


def test_reset_refuses_a_force_with_children_the_generator_did_not_make(
        demo_force, officer, child_details, now):
    generate_force(force=demo_force, seed=5, children=10, episodes=20, until=UNTIL,
                   open_recent=2)
    child_create(actor=officer, now=now, force=demo_force, details=child_details())
    with pytest.raises(SynthRefused):
        synth_reset(force=demo_force)
    assert Child.objects.count() == 11


def test_synth_command_makes_data_once(demo_force):
    out = StringIO()
    args = ["synth", "demo", "--seed", "2", "--children", "10", "--episodes", "25", "--open", "3"]
    call_command(*args, stdout=out)
    call_command(*args, stdout=out)
    text = out.getvalue()
    assert "Synthetic data created for devon-and-cornwall: 10 children, 25 episodes" in text
    assert "already has synthetic data: nothing done" in text
    assert Episode.objects.count() == 25
    call_command(*args, "--reset", stdout=out)
    assert "Reset: deleted 10 synthetic children" in out.getvalue()
    assert Episode.objects.count() == 25


@pytest.mark.django_db
def test_the_generator_leaves_query_logging_and_garbage_collection_as_they_were(demo_force):
    """The history is written without the debug query log and with fewer collections; both
    are back afterwards (a test that counts queries after a demo still counts them)."""
    import gc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    thresholds = gc.get_threshold()
    generate_force(force=demo_force, seed=5, children=4, episodes=6, until=UNTIL, open_recent=1)
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0
    with CaptureQueriesContext(connection) as captured:
        Child.objects.count()
    assert len(captured) == 1
