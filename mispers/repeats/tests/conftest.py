"""Fixtures for the repeat-missing tests: a coordinator, children, reports at chosen times."""

import datetime as dt

import pytest


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.fixture
def analyst(force, make_user):
    return make_user(force=force, roles=["analyst"], username="analyst")


@pytest.fixture
def other_coordinator(other_force, make_user):
    return make_user(force=other_force, roles=["coordinator"], rank="sergeant",
                     username="othercoord")


@pytest.fixture
def make_child(call_handler, now, child_details):
    from mispers.casework.children import child_create

    counter = iter(range(1, 10_000))

    def make(*, actor=None, **overrides):
        actor = actor or call_handler
        values = {"given_name": f"Child{next(counter)}", **overrides}
        return child_create(actor=actor, now=now - dt.timedelta(days=800), force=actor.force,
                            details=child_details(**values))

    return make


@pytest.fixture
def report_at(call_handler, report_details):
    """report_at(child, reported_at, **details): a report taken five minutes after `reported_at`
    (its `now`), through episode_report."""
    from mispers.casework.report import episode_report

    def make(child, reported_at, *, actor=None, **overrides):
        details = report_details(reported_at=reported_at,
                                 last_seen_at=reported_at - dt.timedelta(hours=2), **overrides)
        return episode_report(actor=actor or call_handler,
                              now=reported_at + dt.timedelta(minutes=5), details=details,
                              child=child)

    return make


def days_ago(now, days: float) -> dt.datetime:
    return now - dt.timedelta(days=days)
