"""Schemathesis over the whole OpenAPI schema (GET /api/schema/), once with a police token and
once with a partner token: no generated request, valid or not, gets a server error, and every
answer has a status code the schema documents and a body that matches the schema.

Path ids are drawn from the records of a small synthetic world (a child with an episode that
was graded, found and given a return-home interview, partner organisations, a strategy meeting)
as well as ids that exist nowhere, so the operations run on real records and on missing ones.
Derandomised, so a run is repeatable; MISPERS_FUZZ_EXAMPLES raises the number of examples per
operation for a longer local run (the default keeps it to a few minutes on two cores).
"""

import datetime as dt
import json
import os
import uuid

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from mispers.api.services import api_token_create
from mispers.partners.tests.together import found, graded_episode, world

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("MISPERS_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
NOWHERE = str(uuid.UUID(int=0x5EED))
PARTNER_API = "/api/v1/partner/"


def issue_token(user, scope: str, now) -> str:
    """A token as a client holds it (ADR 17), issued by the operator's service."""
    _, secret = api_token_create(actor=None, user=user, name="fuzz", scope=scope, now=now)
    return secret


@pytest.fixture
def fuzz_world(force, now, child_details, make_user):
    with time_machine.travel(now, tick=False):
        w = world(force=force, now=now, child_details=child_details, prefix="fz-")
        w.police = make_user(force=force, roles=["coordinator", "supervisor"], rank="sergeant",
                             username="fz-sergeant")
        w.episode = graded_episode(actor=w.police, now=now - dt.timedelta(hours=3),
                                   child=w.child, grader=w.police)
        found(actor=w.police, now=now - dt.timedelta(hours=1), episode=w.episode)
    return w


def ids_by_path(w) -> dict[str, list[str]]:
    """Real ids for the first segment of a path (after /api/v1/), with one that is nowhere."""
    from mispers.partners.models import PartnerOrganisation
    from mispers.returns.models import ReturnHomeInterview
    from mispers.risk.models import Assessment

    episode, child = str(w.episode.pk), str(w.child.pk)
    interviews = [str(pk) for pk in ReturnHomeInterview.objects.values_list("pk", flat=True)]
    return {
        "children": [child, NOWHERE],
        "episodes": [episode, NOWHERE],
        "assessments": [str(pk) for pk in Assessment.objects.values_list("pk", flat=True)]
        + [NOWHERE],
        "return-home-interviews": [*interviews, NOWHERE],
        "partner/children": [child, NOWHERE],
        "partner/episodes": [episode, NOWHERE],
        "partner/return-interviews": [*interviews, NOWHERE],
        "partner-organisations": [str(pk) for pk in
                                  PartnerOrganisation.objects.values_list("pk", flat=True)],
    }


def with_real_id(case, ids: dict[str, list[str]]) -> None:
    """Swap a generated uuid path id for a real id of its kind (or one that exists nowhere),
    chosen by the generated value, so that runs stay repeatable."""
    rest = case.operation.path.removeprefix("/api/v1/")
    key = next((k for k in sorted(ids, key=len, reverse=True) if rest.startswith(k + "/")), None)
    value = (case.path_parameters or {}).get("id")
    if key is None or not ids[key] or not isinstance(value, str):
        return
    try:
        drawn = uuid.UUID(value)
    except ValueError:
        return  # a malformed id stays as generated
    case.path_parameters["id"] = ids[key][drawn.int % len(ids[key])]


def api_schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(JSONRenderer().render(raw)))
    loaded.app = WSGIHandler()
    return loaded


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch):
    # The per-user rate limit (600 a minute) would answer 429 part-way through the run.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Schemathesis calls Django's WSGI handler directly, which closes the database connection
    at the end of each request (and so the test's transaction); Django's test client stands
    this signal aside the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(fuzz_world):
    return ids_by_path(fuzz_world)


@pytest.fixture
def police_token(fuzz_world, now):
    return issue_token(fuzz_world.police, "police", now)


@pytest.fixture
def partner_token(fuzz_world, now):
    return issue_token(fuzz_world.users.social_worker, "partner", now)


SCHEMA = api_schema()
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def fuzz(*, token: str, now, real_ids, partner: bool) -> None:
    """Every operation of one API (the police API, or the partner API: a token is only ever for
    one), with valid and with invalid input; all failures reported together."""
    failures, operations = [], 0
    for result in SCHEMA.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(PARTNER_API) != partner:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @FUZZ
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                with_real_id(case, real_ids)
                with time_machine.travel(now, tick=False):
                    case.call_and_validate(headers={"Authorization": f"Token {token}"},
                                           checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                continue  # no invalid input exists (an operation with no parameters or body)
            except (Exception, BaseExceptionGroup) as failure:  # every failure, together
                failures.append(f"{operation.method.upper()} {operation.path} ({mode}):\n"
                                f"{failure}")
    assert operations > (5 if partner else 40)
    assert not failures, "\n\n".join(failures)


def test_the_police_api_with_a_police_token(police_token, now, real_ids):
    fuzz(token=police_token, now=now, real_ids=real_ids, partner=False)


def test_the_partner_api_with_a_partner_token(partner_token, now, real_ids):
    fuzz(token=partner_token, now=now, real_ids=real_ids, partner=True)
