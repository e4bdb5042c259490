"""The noisy re-recordings used to measure matching: deterministic, every kind of noise does
what it says, and the ground truth is kept."""

import datetime as dt
import random
from collections import Counter

import pytest

from mispers.synth.noise import (
    NOISE_KINDS,
    applies,
    noisy_population,
    noisy_query,
    true_children,
)

TODAY = dt.date(2026, 11, 1)


def test_deterministic_by_seed():
    assert true_children(seed=3, n=50, today=TODAY) == true_children(seed=3, n=50, today=TODAY)
    assert true_children(seed=3, n=50, today=TODAY) != true_children(seed=4, n=50, today=TODAY)
    a = noisy_population(seed=5, n_true=200, duplicate_share=0.3, today=TODAY)
    assert a == noisy_population(seed=5, n_true=200, duplicate_share=0.3, today=TODAY)


def test_children_are_children():
    for child in true_children(seed=1, n=300, today=TODAY):
        born = child.details.date_of_birth
        assert 8 <= (TODAY - born).days // 365 <= 17
        assert child.details.given_name and child.details.family_name


@pytest.mark.parametrize("kind", NOISE_KINDS)
def test_each_kind_of_noise(kind):
    rng = random.Random(kind)
    children = [c for c in true_children(seed=2, n=400, today=TODAY) if applies(c, kind)]
    assert children, kind
    for child in children[:40]:
        d, q = child.details, noisy_query(child, rng, kind, today=TODAY)
        names_same = (q.given_name, q.family_name) == (d.given_name, d.family_name)
        if kind in ("exact", "address_changed"):
            assert names_same and q.date_of_birth == d.date_of_birth
        elif kind in ("typo_given", "phonetic_given", "nickname"):
            assert q.given_name.lower() != d.given_name.lower()
            assert (q.family_name, q.date_of_birth) == (d.family_name, d.date_of_birth)
        elif kind in ("typo_family", "phonetic_family"):
            assert q.family_name.lower() != d.family_name.lower()
            assert (q.given_name, q.date_of_birth) == (d.given_name, d.date_of_birth)
        elif kind == "swapped_names":
            assert (q.given_name, q.family_name) == (d.family_name, d.given_name)
        elif kind in ("dob_swapped", "dob_year", "dob_digit"):
            assert names_same and q.date_of_birth != d.date_of_birth
            assert q.date_of_birth < TODAY
        elif kind == "age_only":
            assert q.date_of_birth is None and 8 <= q.estimated_age <= 17
        elif kind == "no_given_name":
            assert q.given_name == "" and q.family_name == d.family_name
        elif kind == "alias":
            assert (q.given_name, q.family_name) != (d.given_name, d.family_name)
        elif kind == "typo_and_dob":
            assert q.family_name.lower() != d.family_name.lower()
            assert q.date_of_birth != d.date_of_birth


def test_population_keeps_the_truth():
    records = noisy_population(seed=9, n_true=2000, duplicate_share=0.2, today=TODAY)
    per_child = Counter(r.truth_id for r in records)
    assert len(per_child) == 2000
    duplicated = [n for n in per_child.values() if n > 1]
    assert 0.15 < len(duplicated) / 2000 < 0.25 and max(duplicated) <= 4
    kinds = Counter(r.noise for r in records)
    assert kinds["exact"] > 2000  # every child's first record, and some clean repeats
    assert {"nickname", "dob_swapped", "age_only", "typo_family"} <= set(kinds)
    assert all(r.details.date_of_birth is None
               or (TODAY - r.details.date_of_birth).days < 18 * 365 for r in records)
