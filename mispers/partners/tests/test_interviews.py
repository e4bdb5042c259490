"""The return-home interview recorded by the provider: who may record it, the refusals (before the
return, not commissioned, completed before offered or in the future), and findings shared back to
police, on the child's page and in the next assessment."""

import datetime as dt

import pytest

from mispers.core.errors import NotFound, PermissionDenied
from mispers.core.testing import page_text
from mispers.episodes.models import TimelineEvent
from mispers.partners.models import Responsibility, SharingRecord
from mispers.partners.services import responsibility_end
from mispers.partners.services.interviews import (
    InterviewInvalid,
    interview_of_episode,
    partner_interview_record,
    rhi_provider_set,
)
from mispers.partners.working_selectors import episode_statuses
from mispers.returns.selectors import shared_findings_for_child
from mispers.returns.services import ReturnInvalid
from mispers.reviews.models import Notification

from .together import found, graded_episode, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(force, now, child_details):
    return world(force=force, now=now, child_details=child_details)


@pytest.fixture
def returned(w, officer, now):
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    found(actor=officer, now=now, episode=episode, found_at=now - dt.timedelta(hours=1))
    return episode


def record(user, episode, now, **values):
    interview = interview_of_episode(episode=episode)
    return partner_interview_record(actor=user, now=now, interview=interview, **values)


FINDINGS = dict(where_went="A flat above the takeaway on Union Street",
                with_whom="Two older men she met online", why_left="Bored and angry at the home",
                harm="None disclosed", what_would_help="A key worker she trusts",
                child_words="They gave me vapes and a phone. I thought they were my friends.")


def test_the_commissioned_provider_is_set_at_referral(returned, w):
    assert interview_of_episode(episode=returned).provider == w.rhi


def test_without_a_commissioned_provider_the_placing_authority_interviews(
        w, officer, now):
    responsibility_end(actor=w.coordinator, now=now,
                       responsibility=w.rhi.responsibilities.get(child=w.child),
                       ends_on=now.date() - dt.timedelta(days=1))
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    found(actor=officer, now=now, episode=episode)
    assert interview_of_episode(episode=episode).provider == w.la
    # ...so its social worker records it.
    interview = record(w.users.social_worker, episode, now, offered_at=now)
    assert interview.offered_at == now


def test_provider_records_offered_accepted_completed_and_shares_with_police(
        returned, w, now, officer):
    rw = w.users.rhi_worker
    record(rw, returned, now - dt.timedelta(minutes=40), offered_at=now - dt.timedelta(minutes=45))
    record(rw, returned, now - dt.timedelta(minutes=30), response="accepted")
    assert interview_of_episode(episode=returned).shared_at is None  # nothing to share yet
    interview = record(rw, returned, now, completed_at=now - dt.timedelta(minutes=5),
                       indicators=["older_associates", "gifts_or_money"], **FINDINGS)
    assert interview.completed_at == now - dt.timedelta(minutes=5)
    assert interview.within_72_hours
    assert interview.interviewer_name == "Rhi Partner"  # defaults to who recorded it
    assert interview.shared_at == now
    # Shared back: logged as partner to police, on the timeline, proposing a marker.
    share = SharingRecord.objects.get(episode=returned, force=returned.force)
    assert share.shared_by == rw and share.what.startswith("Return-home interview findings")
    assert returned.timeline.filter(code=TimelineEvent.Code.RHI_UPDATED,
                                    summary__contains="findings shared with police").exists()
    assert returned.marker_proposals.get().indicators == ["older_associates", "gifts_or_money"]
    assert list(shared_findings_for_child(child=w.child)) == [interview]
    # The partner sees the interview done on the episode's status.
    status = episode_statuses(user=w.users.care_worker, child=w.child, now=now)[0]
    assert (status.status, status.interview.stage, status.interview.overdue) == (
        "found", "completed", False)


def test_findings_show_on_the_police_child_page_and_in_the_next_assessment(
        returned, w, now, officer, client):
    rw = w.users.rhi_worker
    record(rw, returned, now, offered_at=now - dt.timedelta(minutes=50), response="accepted",
           completed_at=now - dt.timedelta(minutes=20), **FINDINGS)
    client.force_login(officer)
    page = client.get(f"/children/{w.child.pk}/").content.decode()
    assert "They gave me vapes and a phone." in page
    later = now + dt.timedelta(days=3)
    from mispers.casework.report import episode_report
    from mispers.episodes.services import ReportDetails

    next_episode = episode_report(actor=officer, now=later, child=w.child, details=ReportDetails(
        reported_at=later, reported_by_name="A Carer", last_seen_at=later - dt.timedelta(hours=2),
        last_seen_where="Harbour View", missing_from="care"))
    page = client.get(f"/episodes/{next_episode.pk}/assess/").content.decode()
    assert "Two older men she met online" in page


def test_an_interview_before_the_return_is_refused(w, officer, now):
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    with pytest.raises(InterviewInvalid, match="has not been recorded as returned"):
        interview_of_episode(episode=episode)
    found(actor=officer, now=now, episode=episode, found_at=now - dt.timedelta(hours=1))
    with pytest.raises(ReturnInvalid, match="cannot be before the child's return") as refused:
        record(w.users.rhi_worker, episode, now, offered_at=now - dt.timedelta(hours=2))
    assert refused.value.field == "offered_at"
    assert interview_of_episode(episode=episode).offered_at is None  # nothing half-written


def test_completed_before_offered_or_in_the_future_is_refused(returned, w, now):
    rw = w.users.rhi_worker
    record(rw, returned, now, offered_at=now - dt.timedelta(minutes=30), response="accepted")
    with pytest.raises(ReturnInvalid, match="before it was offered"):
        record(rw, returned, now, completed_at=now - dt.timedelta(minutes=40))
    with pytest.raises(ReturnInvalid, match="future"):
        record(rw, returned, now, completed_at=now + dt.timedelta(minutes=10))
    assert not SharingRecord.objects.filter(force__isnull=False).exists()


def test_completed_before_accepted_is_refused(returned, w, now):
    with pytest.raises(ReturnInvalid, match="accepted the interview before completing"):
        record(w.users.rhi_worker, returned, now, offered_at=now - dt.timedelta(minutes=30),
               completed_at=now - dt.timedelta(minutes=10))


@pytest.mark.parametrize("who", ["other_rhi_worker", "social_worker"])
def test_a_provider_not_commissioned_gets_not_found(returned, w, now, who):
    with pytest.raises(NotFound):
        record(getattr(w.users, who), returned, now, offered_at=now)


@pytest.mark.parametrize("who", ["care_worker", "la_admin"])
def test_other_partner_roles_may_not_record(returned, w, now, who):
    with pytest.raises(PermissionDenied):
        record(getattr(w.users, who), returned, now, offered_at=now)


def test_police_still_record_the_interview(returned, w, now):
    from mispers.returns.services import return_interview_update

    interview = return_interview_update(actor=w.coordinator, now=now,
                                        interview=interview_of_episode(episode=returned),
                                        offered_at=now)
    assert interview.offered_at == now


# --- police choose the provider ---------------------------------------------------------------

def test_police_commission_another_provider_who_then_sees_and_records(returned, w, now):
    interview = interview_of_episode(episode=returned)
    rhi_provider_set(actor=w.coordinator, now=now, interview=interview, provider=w.other_rhi)
    interview.refresh_from_db()
    assert interview.provider == w.other_rhi
    assert Responsibility.objects.filter(organisation=w.other_rhi, child=w.child,
                                         kind="rhi_provider").exists()
    assert Notification.objects.filter(recipient=w.users.other_rhi_worker,
                                       kind="partner_rhi_commissioned").exists()
    assert SharingRecord.objects.filter(organisation=w.other_rhi, episode=returned,
                                        what__startswith="Return-home interview referral").exists()
    assert returned.timeline.filter(code=TimelineEvent.Code.RHI_COMMISSIONED).exists()
    record(w.users.other_rhi_worker, returned, now, offered_at=now)
    with pytest.raises(NotFound):  # the first provider is no longer commissioned
        record(w.users.rhi_worker, returned, now, response="accepted")


def test_commissioning_refuses_other_authorities_and_non_police(returned, w, now, officer,
                                                                outsider):
    interview = interview_of_episode(episode=returned)
    with pytest.raises(InterviewInvalid, match="not the child's placing authority"):
        rhi_provider_set(actor=w.coordinator, now=now, interview=interview, provider=w.other_la)
    with pytest.raises(InterviewInvalid, match="already the provider"):
        rhi_provider_set(actor=w.coordinator, now=now, interview=interview, provider=w.rhi)
    with pytest.raises(PermissionDenied):
        rhi_provider_set(actor=officer, now=now, interview=interview, provider=w.other_rhi)
    with pytest.raises(PermissionDenied):
        rhi_provider_set(actor=w.users.la_admin, now=now, interview=interview,
                         provider=w.other_rhi)
    with pytest.raises(NotFound):
        rhi_provider_set(actor=outsider, now=now, interview=interview, provider=w.other_rhi)


# --- pages ------------------------------------------------------------------------------------

def local(when):
    from django.utils import timezone

    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_interview_page_before_the_return_says_why(w, officer, now, client):
    episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    client.force_login(w.users.rhi_worker)
    page = client.get(f"/partners/episodes/{episode.pk}/return-interview/").content.decode()
    assert "has not been recorded as returned" in page
    assert "Save the interview" not in page


def test_provider_records_on_the_page_and_errors_show_beside_the_field(
        returned, w, now, client):
    client.force_login(w.users.rhi_worker)
    url = f"/partners/episodes/{returned.pk}/return-interview/"
    response = client.post(url, {"offered_at": local(now - dt.timedelta(hours=3))})
    assert response.status_code == 200
    assert "The interview cannot be before the child&#x27;s return" in response.content.decode()
    response = client.post(url, {
        "offered_at": local(now - dt.timedelta(minutes=40)), "response": "accepted",
        "completed_at": local(now - dt.timedelta(minutes=10)), "interviewer_name": "Sam Advocate",
        "where_went": "<script>alert(1)</script> a flat", "child_words": "I was scared."},
        follow=True)
    page = response.content.decode()
    assert "The findings are shared with police" in page
    assert "<script>alert(1)</script>" not in page
    interview = interview_of_episode(episode=returned)
    assert interview.shared_at is not None and interview.interviewer_name == "Sam Advocate"


def test_the_home_cannot_open_the_interview_the_placing_authority_reads_it(
        returned, w, now, client):
    record(w.users.rhi_worker, returned, now, offered_at=now - dt.timedelta(minutes=50),
           response="accepted", completed_at=now - dt.timedelta(minutes=20), **FINDINGS)
    url = f"/partners/episodes/{returned.pk}/return-interview/"
    client.force_login(w.users.care_worker)
    assert client.get(url).status_code == 404
    assert "Open the interview" not in page_text(client.get(
        f"/partners/children/{w.child.pk}/"))
    client.force_login(w.users.social_worker)
    page = client.get(url).content.decode()
    assert "They gave me vapes and a phone." in page and "Save the interview" not in page
    assert client.post(url, {"offered_at": local(now)}).status_code == 404
    client.force_login(w.users.other_rhi_worker)
    assert client.get(url).status_code == 404


def test_provider_list_shows_what_is_due_and_overdue(returned, w, now, client):
    import time_machine

    client.force_login(w.users.rhi_worker)
    with time_machine.travel(now, tick=False):
        page = client.get("/partners/return-interviews/").content.decode()
    assert "Kayla Partnerchild" in page and "Not yet offered" in page and "Overdue" not in page
    with time_machine.travel(now + dt.timedelta(days=4), tick=False):
        # Four days on the worker's old session has long ended (30 minutes idle): they sign in.
        client.force_login(w.users.rhi_worker)
        response = client.get("/partners/return-interviews/")
        assert response.status_code == 200
        page = response.content.decode()
    assert "Overdue" in page
    client.force_login(w.users.other_rhi_worker)
    assert "Kayla" not in page_text(client.get("/partners/return-interviews/"))


def test_police_choose_the_provider_on_a_page(returned, w, now, client, officer):
    interview = interview_of_episode(episode=returned)
    client.force_login(w.coordinator)
    url = f"/partners/police/return-interviews/{interview.pk}/provider/"
    page = client.get(url).content.decode()
    assert "Elsewhere Interviews" in page and "Torbay" in page
    response = client.post(url, {"provider": str(w.other_rhi.pk)}, follow=True)
    assert "Elsewhere Interviews will carry out the return-home interview" in (
        response.content.decode())
    client.force_login(officer)
    assert client.get(url).status_code == 403
