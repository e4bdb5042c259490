"""Parallel writes to one episode (issue 9, ADR 20): two people acting on the same case at the
same moment. Each request runs in its own thread with its own database connection, released
together by a barrier, against a committed database (``transaction=True``). The loser of a race
answers 409 with a clear message: never a 500, never a silent overwrite.

True parallelism needs a server database: on the in-memory SQLite test database every thread
would get its own empty database, so these tests run on PostgreSQL (CI runs every test there).
On SQLite the same outcome comes from IMMEDIATE transactions, shown one after the other by the
service tests in ``mispers/returns/tests/test_frozen_findings.py``."""

import datetime as dt
import threading

import pytest
from django.db import connection

from mispers.episodes.models import Episode
from mispers.returns.models import FoundRecord, ReturnHomeInterview
from mispers.reviews.models import Review
from mispers.risk.models import Assessment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="parallel requests need a server database (PostgreSQL); the "
                              "in-memory SQLite test database is one per connection"),
]

H = dt.timedelta(hours=1)
ALL_NO = {code: "no" for code in ("mental_health", "exploitation")}


def race(*requests):
    """Run each zero-argument callable in its own thread, released together; return what each
    returned (a response) in order. Each thread closes its own database connection."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait(timeout=10)
            results[index] = request()
        except Exception as exc:  # noqa: BLE001 - reported below as the test's failure
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def client(client_for, user):
    made = client_for(user)
    made.raise_request_exception = False  # a crash must show as the 500 a user would get
    return made


def statuses(responses) -> list[int]:
    return sorted(response.status_code for response in responses)


def conflict_message(responses) -> str:
    [lost] = [r for r in responses if r.status_code == 409]
    return lost.json()["detail"]


@pytest.fixture
def graded(episode, officer, assess):
    assess(episode, officer, "medium")
    episode.refresh_from_db()
    return episode


@pytest.fixture
def sergeant2(force, make_user):
    return make_user(force=force, roles=["supervisor"], rank="sergeant", username="sergeant2")


@pytest.fixture
def officer2(force, make_user):
    return make_user(force=force, roles=["officer"], rank="officer", username="officer2")


def assessment_body(version, grade="medium"):
    return {"answers": ALL_NO, "grade": grade, "version": version}


def found_body(now, **changes):
    return {"found_at": (now - H).isoformat(), "found_where": "Exeter bus station",
            "found_by": "police", "condition": "safe_and_well", "harms": [], "notes": "",
            **changes}


def test_two_assessments_with_the_same_version_one_wins_one_conflicts(
        client_for, officer, officer2, episode):
    url = f"/api/v1/episodes/{episode.pk}/assessments/"
    first, second = client(client_for, officer), client(client_for, officer2)
    responses = race(lambda: first.post(url, assessment_body(1), format="json"),
                     lambda: second.post(url, assessment_body(1, "high"), format="json"))
    assert statuses(responses) == [201, 409], [r.content for r in responses]
    assert "Someone else has changed this episode" in conflict_message(responses)
    assert Assessment.objects.filter(episode=episode).count() == 1
    assert Episode.objects.get(pk=episode.pk).version == 2


def test_two_assessments_without_a_version_are_both_kept_in_order(
        client_for, officer, officer2, episode):
    """No version sent: both are re-grades in turn (a re-grade is always a new assessment),
    numbered 1 and 2, never two number 1s and never a 500."""
    url = f"/api/v1/episodes/{episode.pk}/assessments/"
    body = {"answers": ALL_NO, "grade": "medium"}
    first, second = client(client_for, officer), client(client_for, officer2)
    responses = race(lambda: first.post(url, body, format="json"),
                     lambda: second.post(url, body, format="json"))
    assert statuses(responses) == [201, 201], [r.content for r in responses]
    assert sorted(Assessment.objects.filter(episode=episode)
                  .values_list("sequence", flat=True)) == [1, 2]
    assert Episode.objects.get(pk=episode.pk).version == 3


@pytest.mark.parametrize("with_version", [True, False])
def test_parallel_found_records_one_wins_one_conflicts(client_for, officer, officer2, graded,
                                                       now, with_version):
    url = f"/api/v1/episodes/{graded.pk}/found"
    extra = {"version": graded.version} if with_version else {}
    first, second = client(client_for, officer), client(client_for, officer2)
    responses = race(
        lambda: first.post(url, found_body(now, **extra), format="json"),
        lambda: second.post(url, found_body(now, found_where="Plymouth", **extra),
                            format="json"))
    assert statuses(responses) == [200, 409], [r.content for r in responses]
    assert FoundRecord.objects.filter(episode=graded).count() == 1
    assert ReturnHomeInterview.objects.filter(episode=graded).count() == 1
    episode = Episode.objects.get(pk=graded.pk)
    assert (episode.state, episode.version) == ("found", graded.version + 1)


def test_parallel_reviews_with_the_same_version_one_wins_one_conflicts(
        client_for, sergeant, sergeant2, graded):
    url = f"/api/v1/episodes/{graded.pk}/reviews/"
    first, second = client(client_for, sergeant), client(client_for, sergeant2)
    responses = race(
        lambda: first.post(url, {"notes": "Phone off", "version": graded.version},
                           format="json"),
        lambda: second.post(url, {"notes": "Seen in Exeter", "version": graded.version},
                            format="json"))
    assert statuses(responses) == [201, 409], [r.content for r in responses]
    assert "Reload" in conflict_message(responses)
    assert Review.objects.filter(episode=graded).count() == 1


def test_parallel_reviews_without_a_version_never_fail(client_for, sergeant, sergeant2,
                                                       graded):
    url = f"/api/v1/episodes/{graded.pk}/reviews/"
    first, second = client(client_for, sergeant), client(client_for, sergeant2)
    responses = race(lambda: first.post(url, {"notes": "Phone off"}, format="json"),
                     lambda: second.post(url, {"notes": "Seen in Exeter"}, format="json"))
    assert statuses(responses) == [201, 201], [r.content for r in responses]
    assert Review.objects.filter(episode=graded).count() == 2
    from mispers.reviews.models import Deadline

    assert Deadline.objects.filter(episode=graded, kind="review", status="pending").count() == 1


def test_a_review_racing_a_found_record_never_fails(client_for, sergeant, officer, graded,
                                                    now):
    """Two different steps at once: whichever comes second works on the case as the first
    left it (a review of a found child is refused as such, not with a crash)."""
    found_url = f"/api/v1/episodes/{graded.pk}/found"
    review_url = f"/api/v1/episodes/{graded.pk}/reviews/"
    finder, reviewer = client(client_for, officer), client(client_for, sergeant)
    responses = race(lambda: finder.post(found_url, found_body(now), format="json"),
                     lambda: reviewer.post(review_url, {"notes": "Phone off"}, format="json"))
    codes = [r.status_code for r in responses]
    assert codes[0] == 200, responses[0].content
    assert codes[1] in (201, 400, 409), responses[1].content
    assert Episode.objects.get(pk=graded.pk).state == "found"


def test_parallel_closes_one_wins_one_conflicts(client_for, sergeant, sergeant2, graded,
                                                officer, now):
    from mispers.casework.found import return_record
    from mispers.casework.tests.closing import SUMMARY_BODY, settle
    from mispers.returns.services import prevention_interview_record

    return_record(actor=officer, now=now, episode=graded, found_at=now - H,
                  found_where="Home", found_by="own_accord", condition="safe_and_well")
    prevention_interview_record(actor=officer, now=now, episode=graded, held_at=now,
                                where_child_was="A friend's", why_left="Argument",
                                child_account="I was fine")
    settle(graded, actor=sergeant, now=now)
    url = f"/api/v1/episodes/{graded.pk}/close"
    first, second = client(client_for, sergeant), client(client_for, sergeant2)
    responses = race(lambda: first.post(url, SUMMARY_BODY, format="json"),
                     lambda: second.post(url, SUMMARY_BODY, format="json"))
    assert statuses(responses) == [200, 409], [r.content for r in responses]
    assert Episode.objects.get(pk=graded.pk).state == "closed"


def test_police_and_provider_saving_the_interview_at_once_one_conflicts(
        client_for, force, officer, now, child_details):
    """The attack of issue 9: a police user and the provider edit the return-home interview at
    once from the same version. One save wins; the other is told to reload (409); neither
    change is silently lost under the other."""
    from mispers.partners.services.interviews import interview_of_episode
    from mispers.partners.tests.together import found, graded_episode, world

    w = world(force=force, now=now, child_details=child_details)
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    found(actor=officer, now=now, episode=episode, found_at=now - 2 * H)
    interview = interview_of_episode(episode=episode)
    police, provider = client(client_for, w.coordinator), client(client_for, w.users.rhi_worker)
    responses = race(
        lambda: police.patch(f"/api/v1/return-home-interviews/{interview.pk}/",
                             {"offered_at": (now - H).isoformat(), "version": 1},
                             format="json"),
        lambda: provider.patch(f"/api/v1/partner/return-interviews/{interview.pk}/",
                               {"where_went": "A flat on Union Street", "version": 1},
                               format="json"))
    assert statuses(responses) == [200, 409], [r.content for r in responses]
    row = ReturnHomeInterview.objects.get(pk=interview.pk)
    assert row.version == 2
    police_won = responses[0].status_code == 200
    assert (row.offered_at is not None) == police_won
    assert (row.where_went == "A flat on Union Street") == (not police_won)
