"""Helpers for the merge and review tests (not a test module)."""

from __future__ import annotations

from mispers.matching.merge import movable_relations
from mispers.matching.models import ChildMerge, DuplicateSuggestion
from mispers.people.models import Child


def links() -> dict[str, set]:
    """Every row that can belong to a child, as (pk, child id) per model and field, and every
    child's merged_into: a snapshot to compare before and after."""
    snapshot: dict[str, set] = {}
    for model, fk in movable_relations():
        key = f"{model._meta.label_lower}.{fk.name}"
        snapshot[key] = set(model._base_manager.values_list("pk", fk.attname))
    snapshot["people.child.merged_into"] = set(Child.objects.values_list("pk", "merged_into"))
    return snapshot


def matching_rows() -> dict[str, set]:
    return {
        "suggestions": set(DuplicateSuggestion.objects.values_list(
            "pk", "status", "decided_by", "reason")),
        "merges": set(ChildMerge.objects.values_list("pk", "undone_at")),
    }
