"""Alerts: the organisations responsible for a child hear when the child is reported missing and
when found (with the return-home interview's due time), in the system and by email, each alert
logged as shared; the alert text carries nothing police-only."""

import datetime as dt

import pytest
from django.core import mail

from mispers.core.errors import NotFound
from mispers.core.testing import page_text
from mispers.episodes.models import TimelineEvent
from mispers.partners.models import SharingRecord
from mispers.partners.services import responsibility_end
from mispers.partners.services.alerts import AlertRefused, partner_alert_acknowledge
from mispers.partners.working_selectors import partner_alerts_for
from mispers.reviews.models import Notification

from .together import found, graded_episode, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(force, now, child_details):
    return world(force=force, now=now, child_details=child_details)


def test_missing_alert_reaches_every_user_of_each_responsible_organisation(
        w, officer, now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    u = w.users
    for user in [u.social_worker, u.la_admin, u.care_worker, u.rhi_worker]:
        alerts = list(partner_alerts_for(user=user))
        assert [a.subject for a in alerts] == [
            f"Missing: Kayla Partnerchild ({episode.reference})"], user
    for user in [u.other_social_worker, u.other_care_worker, u.other_rhi_worker, officer]:
        assert not Notification.objects.filter(recipient=user, kind="partner_missing").exists()
    # Email to the users with an address and to each organisation's shared inbox; no name in it.
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["cw@partners.example", "home@partners.example", "la@partners.example",
                          "rhi@partners.example", "rw@partners.example", "sw@partners.example"]
    assert all("Kayla" not in m.subject + m.body for m in mail.outbox)
    assert all(episode.reference in m.subject for m in mail.outbox)
    # Logged: one row per organisation and channel.
    logged = SharingRecord.objects.filter(episode=episode, what__startswith="Missing alert")
    assert logged.count() == 3
    assert SharingRecord.objects.filter(episode=episode, channel="email").count() == 3
    assert {r.basis for r in logged} == {SharingRecord.Basis.SAFEGUARDING}
    assert episode.timeline.filter(code=TimelineEvent.Code.PARTNERS_ALERTED).exists()


def test_alert_text_carries_no_grade_rationale_or_intelligence(w, officer, now):
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    found(actor=officer, now=now, episode=episode)
    text = " ".join(n.subject + " " + n.body for n in Notification.objects.filter(
        recipient=w.users.care_worker))
    for police_only in ["high", "High", "grade", "rationale", "assess"]:
        assert police_only not in text


def test_found_alert_gives_the_interview_due_time(w, officer, now):
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    found_at = now - dt.timedelta(hours=1)
    found(actor=officer, now=now, episode=episode, found_at=found_at)
    alert = Notification.objects.get(recipient=w.users.social_worker, kind="partner_found")
    assert alert.subject == f"Found: Kayla Partnerchild ({episode.reference})"
    assert "must be offered by 17 Mar 2026 14:00" in alert.body  # found + 72 h, UK time
    assert SharingRecord.objects.filter(
        episode=episode, what__startswith="Found alert",
        basis=SharingRecord.Basis.STATUTORY_GUIDANCE).count() == 3


def test_a_home_no_longer_responsible_hears_nothing(w, officer, now):
    responsibility = w.home.responsibilities.get(child=w.child)
    responsibility_end(actor=w.coordinator, now=now, responsibility=responsibility,
                       ends_on=now.date() - dt.timedelta(days=1))
    graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    assert not partner_alerts_for(user=w.users.care_worker).exists()
    assert partner_alerts_for(user=w.users.social_worker).exists()


def test_no_responsible_organisation_means_no_alert_and_no_timeline_event(
        officer, now, episode):
    assert not Notification.objects.filter(kind__startswith="partner").exists()
    assert not episode.timeline.filter(code=TimelineEvent.Code.PARTNERS_ALERTED).exists()


def test_acknowledge_an_alert_only_once_and_only_your_own(w, officer, now):
    graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    alert = partner_alerts_for(user=w.users.care_worker).get()
    with pytest.raises(NotFound):
        partner_alert_acknowledge(actor=w.users.social_worker, now=now, notification_id=alert.pk)
    partner_alert_acknowledge(actor=w.users.care_worker, now=now, notification_id=alert.pk)
    assert not partner_alerts_for(user=w.users.care_worker).exists()
    assert partner_alerts_for(user=w.users.care_worker, include_acknowledged=True).count() == 1
    with pytest.raises(AlertRefused):
        partner_alert_acknowledge(actor=w.users.care_worker, now=now, notification_id=alert.pk)


def test_police_escalations_are_not_partner_alerts(w, officer, now):
    graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    escalation = Notification.objects.create(recipient=w.users.care_worker, kind="escalation",
                                             subject="x", created_at=now)
    with pytest.raises(NotFound):
        partner_alert_acknowledge(actor=w.users.care_worker, now=now,
                                  notification_id=escalation.pk)


def test_partner_home_shows_alerts_and_acknowledging_removes_them(w, officer, now, client):
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    client.force_login(w.users.care_worker)
    page = client.get("/partners/").content.decode()
    assert f"Missing: Kayla Partnerchild ({episode.reference})" in page
    alert = partner_alerts_for(user=w.users.care_worker).get()
    response = client.post(f"/partners/alerts/{alert.pk}/acknowledge/", {"next": "/partners/"},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/partners/"
    assert "Alert acknowledged" in response.content.decode()
    assert "Missing: Kayla Partnerchild" not in page_text(client.get("/partners/"))
    page = client.get("/partners/alerts/").content.decode()
    assert "Acknowledged" in page and episode.reference in page
    from mispers.accounts.models import AccessLog

    assert AccessLog.objects.filter(user=w.users.care_worker, object_type="episode",
                                    child_id=episode.child_id, path="/partners/alerts/").exists()
    # Someone else's alert, and a redirect off-site, go nowhere.
    client.force_login(w.users.social_worker)
    assert client.post(f"/partners/alerts/{alert.pk}/acknowledge/").status_code == 404
    mine = partner_alerts_for(user=w.users.social_worker).get()
    response = client.post(f"/partners/alerts/{mine.pk}/acknowledge/",
                           {"next": "https://evil.example/"})
    assert response["Location"] == "/partners/alerts/"


def test_police_get_404_on_partner_alert_pages(officer, client):
    client.force_login(officer)
    assert client.get("/partners/alerts/").status_code == 404
