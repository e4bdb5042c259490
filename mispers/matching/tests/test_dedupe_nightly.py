"""The nightly duplicate check: every force with children, new pairs only, never twice."""

import pytest

from mispers.casework.children import child_create
from mispers.matching.models import DuplicateSuggestion
from mispers.matching.tasks import dedupe_all_forces, dedupe_nightly

pytestmark = pytest.mark.django_db


def test_each_force_is_checked_and_a_pair_is_suggested_once(
        force, other_force, call_handler, outsider, child_details, now):
    child_create(actor=call_handler, now=now, force=force, details=child_details())
    child_create(actor=call_handler, now=now, force=force,
                 details=child_details(family_name="Testchlid"))
    # Another force's child with the same details is never paired across forces.
    child_create(actor=outsider, now=now, force=other_force, details=child_details())

    assert dedupe_all_forces(now=now) == {force.code: 1, other_force.code: 0}
    pair = DuplicateSuggestion.objects.get()
    assert pair.force_id == force.code
    assert {pair.child_a.family_name, pair.child_b.family_name} == {"Testchild", "Testchlid"}

    # The periodic task runs the same check: nothing new the second time.
    assert dedupe_nightly.call_local() == {force.code: 0, other_force.code: 0}
    assert DuplicateSuggestion.objects.count() == 1
