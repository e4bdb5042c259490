"""The return-home interview through the API (issue 9, ADR 20): its `version` is exposed and
checked (409), frozen findings refuse edits (400, pointing to an addendum), police never edit a
provider's findings (403), and corrections are addenda with a reason."""

import datetime as dt

import pytest

from mispers.partners.services.interviews import interview_of_episode, partner_interview_record
from mispers.partners.tests.together import found, graded_episode, world
from mispers.returns.models import InterviewAddendum, ReturnHomeInterview

from .helpers import refused

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


@pytest.fixture
def w(force, now, child_details):
    return world(force=force, now=now, child_details=child_details)


@pytest.fixture
def interview(w, officer, now):
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    found(actor=officer, now=now, episode=episode, found_at=now - 2 * H)
    return interview_of_episode(episode=episode)


@pytest.fixture
def completed(interview, w, now):
    """Completed by the provider, so shared with police and frozen."""
    return partner_interview_record(
        actor=w.users.rhi_worker, now=now, interview=interview, offered_at=now - H,
        response="accepted", completed_at=now - H / 2, where_went="A flat on Union Street",
        child_words="They gave me a phone.")


def url(interview, tail=""):
    return f"/api/v1/return-home-interviews/{interview.pk}/{tail}"


def partner_url(interview):
    return f"/api/v1/partner/return-interviews/{interview.pk}/"


def test_the_interview_shows_its_version_and_a_stale_one_is_a_conflict(client_for, w,
                                                                       interview, now):
    police = client_for(w.coordinator)
    body = police.get(url(interview)).json()
    assert (body["version"], body["findings_frozen"], body["addenda"]) == (1, False, [])
    ok = police.patch(url(interview), {"offered_at": (now - H).isoformat(), "version": 1},
                      format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2
    stale = refused(police.patch(url(interview), {"response": "accepted", "version": 1},
                                 format="json"), 409)
    assert "Reload" in stale["detail"]
    assert ReturnHomeInterview.objects.get(pk=interview.pk).response == ""


def test_the_provider_is_refused_a_stale_version_too(client_for, w, interview, now):
    provider = client_for(w.users.rhi_worker)
    refused(provider.patch(partner_url(interview), {"where_went": "Somewhere", "version": 7},
                           format="json"), 409)
    assert ReturnHomeInterview.objects.get(pk=interview.pk).where_went == ""


def test_police_cannot_patch_the_providers_findings(client_for, w, interview):
    body = refused(client_for(w.coordinator).patch(
        url(interview), {"child_words": "Police words"}, format="json"), 403)
    assert "addendum" in body["detail"]
    assert ReturnHomeInterview.objects.get(pk=interview.pk).child_words == ""


def test_frozen_findings_refuse_a_rewrite_and_take_an_addendum(client_for, w, completed, now):
    police = client_for(w.coordinator)
    body = refused(police.patch(url(completed), {"child_words": "I was fine"}, format="json"))
    assert "cannot be changed" in body["detail"] and "addendum" in body["detail"]
    provider = client_for(w.users.rhi_worker)
    body = refused(provider.patch(partner_url(completed), {
        "completed_at": (now - H / 4).isoformat()}, format="json"))
    assert "addendum" in body["detail"]
    row = ReturnHomeInterview.objects.get(pk=completed.pk)
    assert (row.child_words, row.completed_at) == ("They gave me a phone.", now - H / 2)

    missing = refused(police.post(url(completed, "addenda/"), {"reason": "", "text": "x"},
                                  format="json"))
    assert missing["field_errors"] == {"reason": ["Say why the addendum is needed"]}
    refused(police.post(url(completed, "addenda/"), {"reason": "r", "text": "t",
                                                     "version": 1}, format="json"), 409)
    added = police.post(url(completed, "addenda/"), {
        "reason": "Later disclosure", "text": "She named one of the men.",
        "version": row.version}, format="json")
    assert added.status_code == 201, added.content
    assert added.json()["organisation"] is None
    assert added.json()["author"]["id"] == str(w.coordinator.pk)
    body = police.get(url(completed)).json()
    assert body["findings_frozen"] is True and body["version"] == row.version + 1
    assert [a["reason"] for a in body["addenda"]] == ["Later disclosure"]


def test_another_force_cannot_add_an_addendum(client_for, outsider, completed):
    refused(client_for(outsider).post(url(completed, "addenda/"), {"reason": "r", "text": "t"},
                                      format="json"), 404)
    assert not InterviewAddendum.objects.exists()


def test_the_provider_adds_an_addendum_through_the_partner_api(client_for, w, completed):
    from mispers.partners.models import SharingRecord

    provider = client_for(w.users.rhi_worker)
    version = provider.get(partner_url(completed)).json()["version"]
    refused(provider.post(f"{partner_url(completed)}addenda/", {"reason": "r", "text": "t",
                                                                "version": version - 1},
                          format="json"), 409)
    added = provider.post(f"{partner_url(completed)}addenda/", {
        "reason": "Street recorded wrongly", "text": "Union Road", "version": version},
        format="json")
    assert added.status_code == 201, added.content
    assert added.json()["organisation"] == w.rhi.name
    assert SharingRecord.objects.filter(channel="api", what__startswith="Addendum").exists()
    other = client_for(w.users.other_rhi_worker)
    refused(other.post(f"{partner_url(completed)}addenda/", {"reason": "r", "text": "t"},
                       format="json"), 404)
    refused(client_for(w.coordinator).post(f"{partner_url(completed)}addenda/",
                                           {"reason": "r", "text": "t"}, format="json"), 403)
    assert InterviewAddendum.objects.count() == 1
