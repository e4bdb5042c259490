"""The partner API: token authentication, the organisation's scoping (404 otherwise), statuses
and the interview clock, recording the interview, alerts, the access log; police and partner
users kept out of each other's endpoints."""

import datetime as dt
import json

import pytest
import time_machine
from rest_framework.test import APIClient

from mispers.accounts.models import AccessLog
from mispers.api.tests.helpers import token_for
from mispers.partners.models import SharingRecord
from mispers.returns.models import ReturnHomeInterview

from .together import found, graded_episode, world

pytestmark = pytest.mark.django_db
API = "/api/v1/partner"


@pytest.fixture(autouse=True)
def frozen_clock(now):
    with time_machine.travel(now, tick=False):
        yield


@pytest.fixture
def w(force, now, child_details, officer):
    w = world(force=force, now=now, child_details=child_details)
    w.episode = graded_episode(actor=officer, now=now - dt.timedelta(hours=2), child=w.child,
                               grader=officer)
    return w


def token_client(user) -> APIClient:
    client = APIClient()
    scope = "partner" if user.organisation_id else "police"
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user, scope=scope)}")
    return client


def test_a_token_reads_the_caseload_with_the_latest_status(w):
    response = token_client(w.users.social_worker).get(f"{API}/children/")
    assert response.status_code == 200
    (child,) = response.json()["results"]
    assert (child["id"], child["given_name"]) == (str(w.child.pk), "Kayla")
    latest = child["latest_episode"]
    assert (latest["reference"], latest["status"], latest["found_at"]) == (
        w.episode.reference, "missing", None)
    assert latest["return_home_interview"] is None
    text = json.dumps(response.json())
    for police_only in ["grade", "rationale", "timeline", "actions", "owner", "circumstances"]:
        assert police_only not in text
    assert AccessLog.objects.filter(user=w.users.social_worker, channel="api",
                                    child_id=w.child.pk).exists()


def test_statuses_after_the_return_carry_the_interview_clock(w, officer, now):
    found(actor=officer, now=now, episode=w.episode, found_at=now - dt.timedelta(hours=1))
    client = token_client(w.users.care_worker)
    (episode,) = client.get(f"{API}/children/{w.child.pk}/episodes/").json()["results"]
    assert episode["status"] == "found"
    clock = episode["return_home_interview"]
    assert (clock["stage"], clock["overdue"], clock["provider"]) == (
        "referred", False, "Safe Return Interviews")
    assert clock["due_at"] == "2026-03-17T14:00:00Z"
    detail = client.get(f"{API}/episodes/{w.episode.pk}/").json()
    assert detail == episode
    assert AccessLog.objects.filter(user=w.users.care_worker, object_type="episode",
                                    channel="api").count() == 2


def test_the_provider_records_the_interview_and_the_findings_go_to_police(w, officer, now):
    found(actor=officer, now=now, episode=w.episode, found_at=now - dt.timedelta(hours=1))
    interview = ReturnHomeInterview.objects.get(episode=w.episode)
    client = token_client(w.users.rhi_worker)
    url = f"{API}/return-interviews/{interview.pk}/"
    refused = client.patch(url, {"offered_at": (now - dt.timedelta(hours=2)).isoformat()},
                           format="json")
    assert refused.status_code == 400
    assert refused.json()["field_errors"] == {
        "offered_at": ["The interview cannot be before the child's return"]}
    refused = client.patch(url, {"share": True}, format="json")
    assert refused.status_code == 400  # not a partner field: sharing is automatic
    response = client.patch(url, {
        "offered_at": (now - dt.timedelta(minutes=50)).isoformat(), "response": "accepted",
        "completed_at": (now - dt.timedelta(minutes=10)).isoformat(),
        "where_went": "Union Street", "child_words": "I just needed space.",
        "indicators": ["older_associates"]}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["within_72_hours"] is True and body["shared_at"] == "2026-03-14T15:00:00Z"
    assert body["provider"] == "Safe Return Interviews"
    assert SharingRecord.objects.filter(force=w.episode.force, channel="api").count() == 1
    # The placing authority reads it; the home does not; nor does an uncommissioned provider.
    assert token_client(w.users.social_worker).get(url).json()["child_words"] == (
        "I just needed space.")
    assert token_client(w.users.care_worker).get(url).status_code == 404
    assert token_client(w.users.other_rhi_worker).get(url).status_code == 404
    assert token_client(w.users.social_worker).patch(
        url, {"harm": "x"}, format="json").status_code == 404


def test_other_organisations_get_404_everywhere(w, officer, now):
    found(actor=officer, now=now, episode=w.episode)
    interview = ReturnHomeInterview.objects.get(episode=w.episode)
    for user in [w.users.other_social_worker, w.users.other_care_worker,
                 w.users.other_rhi_worker]:
        client = token_client(user)
        assert client.get(f"{API}/children/").json()["results"] == []
        for url in [f"{API}/children/{w.child.pk}/episodes/", f"{API}/episodes/{w.episode.pk}/",
                    f"{API}/return-interviews/{interview.pk}/"]:
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            assert response.json() == {"detail": "Not found.", "field_errors": {}}


def test_police_and_partners_are_kept_out_of_each_others_endpoints(w, officer):
    police = token_client(officer)
    for url in [f"{API}/children/", f"{API}/episodes/{w.episode.pk}/", f"{API}/alerts/"]:
        assert police.get(url).status_code == 403
    partner = token_client(w.users.social_worker)
    for url in ["/api/v1/children/", f"/api/v1/children/{w.child.pk}/", "/api/v1/episodes/",
                f"/api/v1/episodes/{w.episode.pk}/", "/api/v1/notifications/",
                "/api/v1/queues/mine/"]:
        assert partner.get(url).status_code == 403, url
    assert APIClient().get(f"{API}/children/").status_code == 401


def test_alerts_listed_and_acknowledged(w):
    client = token_client(w.users.care_worker)
    (alert,) = client.get(f"{API}/alerts/").json()["results"]
    assert alert["kind"] == "partner_missing" and w.episode.reference in alert["subject"]
    assert client.post(f"{API}/alerts/{alert['id']}/acknowledge").status_code == 200
    assert client.get(f"{API}/alerts/").json()["results"] == []
    assert len(client.get(f"{API}/alerts/", {"all": "true"}).json()["results"]) == 1
    again = client.post(f"{API}/alerts/{alert['id']}/acknowledge")
    assert again.status_code == 400
    assert token_client(w.users.social_worker).post(
        f"{API}/alerts/{alert['id']}/acknowledge").status_code == 404
