"""Fixtures for the API tests: clients signed in as each user, a frozen clock, data helpers."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from mispers.risk.services import AnswerInput


@pytest.fixture(autouse=True)
def frozen_clock(now):
    """The API reads mispers.core.clock.now(); freeze it at the fixtures' `now`."""
    with time_machine.travel(now, tick=False):
        yield


@pytest.fixture
def client_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def analyst(force, make_user):
    return make_user(force=force, roles=["analyst"], username="analyst")


@pytest.fixture
def assess(now):
    """Record an assessment through the service: `assess(episode, by, "low", rationale=...)`."""
    from mispers.casework.grade import assessment_record

    def make(episode, actor, grade, *, answers=None, rationale=""):
        given = {code: AnswerInput(answer=value, source="Test", obtained_at=now)
                 for code, value in (answers or {}).items()}
        return assessment_record(actor=actor, now=now, episode=episode, answers=given,
                                 chosen_grade=grade, rationale=rationale)

    return make


@pytest.fixture
def report(now, report_details, child_details):
    """Report a new child missing through the service."""
    from mispers.casework.report import episode_report

    def make(actor, *, child=None, reported_minutes_ago=30, **child_overrides):
        details = report_details(reported_at=now - dt.timedelta(minutes=reported_minutes_ago))
        if child is not None:
            return episode_report(actor=actor, now=now, details=details, child=child)
        return episode_report(actor=actor, now=now, details=details,
                              new_child=child_details(**child_overrides))

    return make
