"""Police release one police-only field to partners, deliberately, with a reason (ADR 0015):
recorded in the information-sharing log (what, with whom, basis, reason) and only then shown,
as released, to the organisations that see the episode; never to anyone else, and the reason
never to partners."""

import datetime as dt
import html
import json

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from mispers.api.tests.helpers import token_for
from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.episodes.models import TimelineEvent
from mispers.episodes.services import ReportDetails
from mispers.partners.models import FieldRelease, SharingRecord
from mispers.partners.services.sharing import (
    ReleaseNotAllowed,
    ReleaseRefused,
    field_release,
)
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

from .together import world

pytestmark = pytest.mark.django_db
API = "/api/v1/partner"
FOUND_WHERE = "Plymouth coach station, by the ticket office"
REASON = "Care staff need to know the place for the return-home interview ZQREASON"


@pytest.fixture(autouse=True)
def frozen_clock(now):
    with time_machine.travel(now, tick=False):
        yield


@pytest.fixture
def w(force, now, child_details, officer):
    w = world(force=force, now=now, child_details=child_details)
    reported_at = now - dt.timedelta(hours=6)
    w.episode = episode_report(actor=officer, now=reported_at, child=w.child, details=ReportDetails(
        reported_at=reported_at, reported_by_name="A Carer",
        last_seen_at=reported_at - dt.timedelta(hours=1), last_seen_where="Harbour View gate",
        missing_from="care", clothing="Grey tracksuit"))
    assessment_record(actor=officer, now=reported_at, episode=w.episode, chosen_grade="high",
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    return_record(actor=officer, now=now - dt.timedelta(hours=1), episode=w.episode,
                  found_at=now - dt.timedelta(hours=2), found_where=FOUND_WHERE,
                  found_by="police", condition="safe_and_well")
    w.episode.refresh_from_db()
    return w


def page(client, user, path) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


def api(user, path) -> str:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user, scope='partner')}")
    response = client.get(path)
    assert response.status_code == 200, path
    return json.dumps(response.json())


def test_before_a_release_partners_do_not_see_where_the_child_was_found(w, client):
    child_page = reverse("partners:child", args=[w.child.pk])
    assert FOUND_WHERE not in page(client, w.users.care_worker, child_page)
    assert FOUND_WHERE not in api(w.users.care_worker, f"{API}/episodes/{w.episode.pk}/")


def test_an_officer_releases_a_field_with_a_reason_into_the_sharing_log(w, officer, now,
                                                                         client):
    release = field_release(actor=officer, now=now, episode=w.episode, field="found_where",
                            reason=REASON, basis=SharingRecord.Basis.SAFEGUARDING)
    # Who got it: the organisations that see the episode, each with a sharing-log row.
    recipients = {w.la, w.home, w.rhi}
    assert set(release.organisations.all()) == recipients
    rows = SharingRecord.objects.filter(episode=w.episode, what__startswith="Where found")
    assert {r.organisation for r in rows} == recipients
    assert {(r.basis, r.shared_by_id, r.channel) for r in rows} == {
        (SharingRecord.Basis.SAFEGUARDING, officer.pk, "system")}
    assert set(release.sharing_records.all()) == set(rows)
    assert (release.value, release.reason) == (FOUND_WHERE, REASON)
    assert TimelineEvent.objects.filter(episode=w.episode, code="partners_alerted",
                                        data__kind="field_release").exists()
    # The responsible partners now see it, on the page and through the API ...
    child_page = reverse("partners:child", args=[w.child.pk])
    for user in [w.users.care_worker, w.users.social_worker, w.users.rhi_worker]:
        assert FOUND_WHERE in page(client, user, child_page)
        answer = api(user, f"{API}/episodes/{w.episode.pk}/")
        assert FOUND_WHERE in answer and '"field": "found_where"' in answer
        assert "ZQREASON" not in answer
    # ... never the reason, not even in the partner administrator's sharing log ...
    assert "ZQREASON" not in page(client, w.users.care_worker, child_page)
    partner_log = page(client, w.users.la_admin, reverse("partners:sharing"))
    assert "Where found" in partner_log and "ZQREASON" not in partner_log
    # ... and the other fields stay police-only.
    assert "Harbour View gate" not in page(client, w.users.care_worker, child_page)


def test_police_read_the_reason_in_the_sharing_log_and_on_the_episode(w, officer, now, client,
                                                                       force, make_user):
    field_release(actor=officer, now=now, episode=w.episode, field="found_where",
                  reason=REASON, basis=SharingRecord.Basis.SAFEGUARDING)
    coordinator = w.coordinator
    log = page(client, coordinator, reverse("partners:sharing") + f"?child={w.child.pk}")
    assert "Reason: " + REASON in log
    episode_page = page(client, officer, reverse("episodes:detail", args=[w.episode.pk]))
    assert "Shared with partners" in episode_page and REASON in episode_page


def test_organisations_that_do_not_see_the_episode_never_get_it(w, officer, now, client):
    field_release(actor=officer, now=now, episode=w.episode, field="found_where",
                  reason=REASON, basis=SharingRecord.Basis.SAFEGUARDING)
    for user in [w.users.other_care_worker, w.users.other_social_worker]:
        client.force_login(user)
        assert client.get(reverse("partners:child", args=[w.child.pk])).status_code == 404
    assert not FieldRelease.objects.filter(organisations=w.other_home).exists()


def test_the_text_released_is_the_text_as_it_stood(w, officer, now):
    """A later police edit of the field is not released by itself: partners see what police
    chose to release."""
    from mispers.partners.disclosure import releases_for
    from mispers.returns.models import FoundRecord

    field_release(actor=officer, now=now, episode=w.episode, field="found_where",
                  reason=REASON, basis=SharingRecord.Basis.SAFEGUARDING)
    FoundRecord.objects.filter(episode=w.episode).update(found_where="ZQLATER intelligence")
    (shown,) = releases_for(organisation_id=w.home.pk, episode_ids=[w.episode.pk])[w.episode.pk]
    assert shown.value == FOUND_WHERE


@pytest.mark.parametrize("field, reason, basis, message", [
    ("found_where", "", "safeguarding", "Say why"),
    ("found_where", "because", "safeguarding", "Say why"),
    ("circumstances", REASON, "safeguarding", "Choose a field"),
    ("current_grade", REASON, "safeguarding", "Choose a field"),
    ("found_where", REASON, "gossip", "basis"),
    ("possible_whereabouts", REASON, "safeguarding", "nothing recorded"),
])
def test_bad_releases_are_refused_and_write_nothing(w, officer, now, field, reason, basis,
                                                   message):
    with pytest.raises(ReleaseRefused, match=message):
        field_release(actor=officer, now=now, episode=w.episode, field=field, reason=reason,
                      basis=basis)
    assert not FieldRelease.objects.exists()
    assert not SharingRecord.objects.filter(what__contains="released by police").exists()


def test_only_operational_police_of_the_force_release(w, now, call_handler, outsider,
                                                      make_user, force):
    analyst = make_user(force=force, roles=["analyst"], username="analyst-r")
    for user in [call_handler, analyst, outsider, w.users.social_worker]:
        with pytest.raises(ReleaseNotAllowed):
            field_release(actor=user, now=now, episode=w.episode, field="found_where",
                          reason=REASON, basis="safeguarding")
    assert not FieldRelease.objects.exists()


def test_the_release_page(w, officer, client, call_handler, outsider):
    path = reverse("partners:release", args=[w.episode.pk])
    form = page(client, officer, path)
    assert f"Where found: {FOUND_WHERE}" in form  # the officer sees what would go
    assert w.home.name in form
    response = client.post(path, {"field": "found_where", "basis": "safeguarding",
                                  "reason": ""})
    assert response.status_code == 200 and "Say why the partners need it" in html.unescape(
        response.content.decode())
    response = client.post(path, {"field": "found_where", "basis": "safeguarding",
                                  "reason": REASON})
    assert response.status_code == 302
    assert FieldRelease.objects.get().released_by == officer
    client.force_login(call_handler)
    assert client.get(path).status_code == 403
    client.force_login(outsider)
    assert client.get(path).status_code in (403, 404)
    client.force_login(w.users.social_worker)
    assert client.get(path).status_code == 403


def test_a_withdrawn_report_is_never_released(force, now, child_details, officer, inspector):
    """Partners never see a withdrawn report, so nothing of it is released either."""
    from mispers.casework.withdraw import episode_withdraw

    w = world(force=force, now=now, child_details=child_details, prefix="wd-")
    reported_at = now - dt.timedelta(hours=2)
    episode = episode_report(actor=officer, now=reported_at, child=w.child, details=ReportDetails(
        reported_at=reported_at, reported_by_name="A Carer", last_seen_at=reported_at,
        last_seen_where="Harbour View gate", missing_from="care"))
    episode_withdraw(actor=inspector, now=now, episode=episode, reason="Made in error: at school")
    episode.refresh_from_db()
    with pytest.raises(ReleaseRefused, match="withdrawn"):
        field_release(actor=officer, now=now, episode=episode, field="last_seen_where",
                      reason=REASON, basis="safeguarding")
