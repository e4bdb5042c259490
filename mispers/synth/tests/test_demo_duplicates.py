"""The demo's duplicate records: each slip kind recorded once, found by the linkage job and
waiting in the coordinator's queue; a second run adds nothing."""

import datetime as dt

import pytest

from mispers.accounts.models import Force
from mispers.accounts.services import forces_load
from mispers.matching.models import DuplicateSuggestion
from mispers.people.models import Child
from mispers.synth.demo import demo_users_ensure
from mispers.synth.duplicates import DUPLICATE_NOTE, SLIPS, demo_duplicates_ensure
from mispers.synth.generator import generate_force

pytestmark = pytest.mark.django_db

UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_demo_duplicates_wait_in_the_queue_and_are_made_once():
    forces_load()
    force = Force.objects.get(code="devon-and-cornwall")
    demo_users_ensure(force=force)
    generate_force(force=force, seed=1, children=60, episodes=80, until=UNTIL)

    made, suggested = demo_duplicates_ensure(force=force, now=UNTIL)
    assert made == len(SLIPS)
    copies = list(Child.objects.filter(force=force, description=DUPLICATE_NOTE))
    assert len(copies) == made
    pending = DuplicateSuggestion.objects.filter(force=force, status="pending")
    assert suggested == pending.count()
    # Every copy is paired with the child it copies (and nothing else is suggested).
    paired = {s.child_a_id for s in pending} | {s.child_b_id for s in pending}
    assert {c.pk for c in copies} <= paired
    assert pending.count() == made

    assert demo_duplicates_ensure(force=force, now=UNTIL) == (0, 0)
    assert Child.objects.filter(force=force, description=DUPLICATE_NOTE).count() == made
