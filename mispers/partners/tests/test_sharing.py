"""The information-sharing log: what was shared with whom, when and on what basis; append-only;
police read their force's (filtered by child), a partner administrator their organisation's."""

import datetime as dt

import pytest

from mispers.core.testing import page_text
from mispers.partners.models import SharingRecord
from mispers.partners.services.sharing import SharingInvalid, sharing_record
from mispers.partners.working_selectors import sharing_log_for

from .together import found, graded_episode, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(force, now, child_details, officer):
    w = world(force=force, now=now, child_details=child_details)
    w.episode = graded_episode(actor=officer, now=now, child=w.child, grader=officer)
    found(actor=officer, now=now, episode=w.episode)
    return w


def test_a_record_names_one_recipient_a_basis_and_what(w, now):
    for bad in [dict(organisation=w.la, force=w.child.force), dict(),
                dict(organisation=w.la, basis="because"), dict(organisation=w.la, what="  ")]:
        values = dict(what="Found alert", basis="safeguarding") | bad
        with pytest.raises(SharingInvalid):
            sharing_record(actor=None, now=now, child=w.child, **values)


def test_records_are_append_only(w, now):
    row = sharing_record(actor=w.coordinator, now=now, child=w.child, organisation=w.la,
                         what="Strategy meeting minutes", basis="safeguarding")
    row.what = "Something else"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


def test_police_read_their_force_log_and_partner_admins_their_organisation(w, outsider):
    police = sharing_log_for(user=w.coordinator)
    assert {r.organisation for r in police} == {w.la, w.home, w.rhi}
    assert not sharing_log_for(user=outsider).exists()
    la = list(sharing_log_for(user=w.users.la_admin))
    assert la and {r.organisation for r in la} == {w.la}
    assert not sharing_log_for(user=w.users.care_worker).exists()  # not an administrator


def test_police_log_page_filters_by_child(w, client, now, child_details):
    from mispers.casework.children import child_create

    other = child_create(actor=w.coordinator, now=now, force=w.child.force,
                         details=child_details(given_name="Otto", family_name="Elsewhere"))
    sharing_record(actor=w.coordinator, now=now, child=other, organisation=w.other_la,
                   what="Referral to Torbay", basis="consent")
    client.force_login(w.coordinator)
    page = client.get("/partners/sharing/").content.decode()
    assert "Referral to Torbay" in page and f"Found alert for {w.episode.reference}" in page
    page = client.get(f"/partners/sharing/?child={w.child.pk}").content.decode()
    assert "Referral to Torbay" not in page
    assert f"Missing alert for {w.episode.reference}" in page
    assert "Statutory guidance on children who run away or go missing" in page


@pytest.mark.parametrize("who, status", [("officer", 403), ("outsider_page", 200)])
def test_who_may_open_the_police_log(w, client, officer, outsider, who, status):
    user = officer if who == "officer" else outsider
    client.force_login(user)
    response = client.get("/partners/sharing/")
    assert response.status_code == status
    if status == 200:  # another force's coordinator-level reader sees none of this force's
        assert w.child.full_name not in response.content.decode()


def test_partner_pages_of_the_log(w, client):
    client.force_login(w.users.la_admin)
    page = client.get("/partners/sharing/").content.decode()
    assert f"Found alert for {w.episode.reference}" in page
    assert "Harbour View" not in page  # what the home was told is the home's business
    client.force_login(w.users.care_worker)
    assert client.get("/partners/sharing/").status_code == 404


def test_findings_shared_back_appear_as_shared_with_police(w, client, now):
    from mispers.partners.services.interviews import interview_of_episode, partner_interview_record

    partner_interview_record(actor=w.users.rhi_worker, now=now,
                             interview=interview_of_episode(episode=w.episode),
                             offered_at=now - dt.timedelta(minutes=30), response="accepted",
                             completed_at=now - dt.timedelta(minutes=5), child_words="Fine.")
    row = SharingRecord.objects.get(force__isnull=False)
    assert (row.shared_by, row.basis) == (w.users.rhi_worker, "statutory_guidance")
    client.force_login(w.coordinator)
    assert f"Police: {w.child.force.name}" in client.get("/partners/sharing/").content.decode()
    client.force_login(w.users.la_admin)  # not what the LA shared: not in its log
    assert "Return-home interview findings" not in page_text(client.get(
        "/partners/sharing/"))
