"""Property: for any small set of children with any episodes, markers and aliases, merging two
of them and undoing the merge gives back exactly the records and their links; and what is
recorded on the survivor in between stays with the survivor."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mispers.casework.children import child_create
from mispers.casework.report import episode_report
from mispers.matching.merge import child_merge, child_unmerge
from mispers.people.models import Child
from mispers.people.services import marker_add

from .merging import links

NAMES = ["Amira", "Amy", "Jack", "Jak", "Kayleigh", "Mohammed"]
FAMILIES = ["Smith", "Smyth", "Khan", "Nowak", ""]

child_plans = st.lists(
    st.fixed_dictionaries({
        "given": st.sampled_from(NAMES),
        "family": st.sampled_from(FAMILIES),
        "aliases": st.lists(st.tuples(st.sampled_from(NAMES + [""]),
                                      st.sampled_from(FAMILIES)), max_size=2),
        "episodes": st.integers(min_value=0, max_value=2),
        # One active marker per kind on a record (ADR 22); a merge may still bring two together.
        "markers": st.lists(st.sampled_from(["self_harm", "exploitation", "medical"]),
                            max_size=2, unique=True),
    }),
    min_size=2, max_size=4)


class Rollback(Exception):
    """Ends an example's transaction so the next example starts from an empty force."""


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plans=child_plans, pick=st.tuples(st.integers(0, 3), st.integers(0, 3)),
       add_after=st.booleans())
def test_merge_then_unmerge_restores_exactly(plans, pick, add_after, force, coordinator,
                                             call_handler, now, child_details, report_details):
    try:
        with transaction.atomic():
            children = [_child(plan, index, force=force, coordinator=coordinator,
                               call_handler=call_handler, now=now, child_details=child_details,
                               report_details=report_details)
                        for index, plan in enumerate(plans)]
            survivor = children[pick[0] % len(children)]
            merged = children[pick[1] % len(children)]
            if survivor.pk == merged.pk:
                merged = children[(pick[1] + 1) % len(children)]
            before = links()

            merge = child_merge(actor=coordinator, now=now, survivor=survivor, merged=merged,
                                reason="Same child")
            later = []
            if add_after:
                later.append(marker_add(actor=coordinator, now=now, child=survivor,
                                        kind="violence", active_from=dt.date(2026, 3, 1)))
            child_unmerge(actor=coordinator, now=now, merge=merge, reason="Not the same")

            after = links()
            for row in later:
                after["people.marker.child"].remove((row.pk, survivor.pk))  # still there
            assert after == before
            assert not Child.objects.filter(merged_into__isnull=False).exists()
            raise Rollback
    except Rollback:
        pass


def _child(plan, index, *, force, coordinator, call_handler, now, child_details,
           report_details):
    child = child_create(actor=coordinator, now=now, force=force, details=child_details(
        given_name=plan["given"], family_name=plan["family"],
        date_of_birth=dt.date(2010, 1, 1) + dt.timedelta(days=37 * index),
        aliases=tuple(plan["aliases"])))
    for n in range(plan["episodes"]):
        at = now - dt.timedelta(days=20 * n + 1)
        episode_report(actor=call_handler, now=now, child=child, details=report_details(
            reported_at=at, last_seen_at=at - dt.timedelta(hours=2)))
    for kind in plan["markers"]:
        marker_add(actor=coordinator, now=now, child=child, kind=kind,
                   subtype="other" if kind == "exploitation" else "",
                   active_from=dt.date(2026, 1, 1))
    return child
