"""The access log (Data Protection Act 2018 s.62; docs/adr/0019-access-log.md): one row per child
shown with the client's address, refused attempts, the data-protection lead's screens and role
grants with history."""

import csv
import datetime as dt
import io
import uuid

import pytest
from django.test import override_settings

from mispers.accounts.models import AccessLog, UserRole
from mispers.accounts.roles import Rank
from mispers.accounts.services import access_log_children, user_role_grant, user_role_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(force, make_user):
    return make_user(force=force, roles=["data_protection"], username="dpo")


@pytest.fixture
def other_dpo(other_force, make_user):
    return make_user(force=other_force, roles=["data_protection"], username="dpo-elsewhere")


def rows_for(user, **filters):
    return AccessLog.objects.filter(user=user, **filters)


# --- writing ----------------------------------------------------------------------------------

def test_one_row_per_child_shown_in_one_insert(officer, episode, now, django_assert_num_queries):
    child = episode.child
    with django_assert_num_queries(1):
        written = access_log_children(
            user=officer, now=now, channel="page", object_type=None, path="/episodes/",
            client_address="192.0.2.7", rows=[episode, child, episode, (episode.pk, child.pk)])
    assert len(written) == 3  # the repeat of the episode is written once
    kinds = sorted(rows_for(officer).values_list("object_type", "child_id", "client_address"))
    assert kinds == [("child", child.pk, "192.0.2.7"), ("child", child.pk, "192.0.2.7"),
                     ("episode", child.pk, "192.0.2.7")]
    assert set(rows_for(officer).values_list("child_id", flat=True)) == {child.pk}
    with pytest.raises(ValueError):
        access_log_children(user=officer, now=now, channel="telepathy", object_type="child",
                            rows=[child])


def test_a_page_logs_the_client_address_and_ignores_a_forged_forwarded_for(client, officer,
                                                                          episode):
    client.force_login(officer)
    client.get(f"/episodes/{episode.pk}/", REMOTE_ADDR="198.51.100.4",
               HTTP_X_FORWARDED_FOR="203.0.113.99")
    row = rows_for(officer, object_type="episode").get()
    assert (row.client_address, row.child_id, row.channel) == ("198.51.100.4", episode.child_id,
                                                               "page")


@override_settings(MISPERS_TRUSTED_PROXY_COUNT=1)
def test_behind_our_proxy_the_address_it_saw_is_logged(client, officer, episode):
    client.force_login(officer)
    # The client forged the first entry; our one proxy appended the address it saw.
    client.get(f"/episodes/{episode.pk}/", REMOTE_ADDR="10.0.0.2",
               HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.23")
    assert rows_for(officer).get().client_address == "198.51.100.23"


def test_list_pages_log_only_the_rows_of_the_page(client, officer, episode, now):
    client.force_login(officer)
    client.get("/episodes/")
    assert list(rows_for(officer).values_list("object_type", "child_id")) == [
        ("episode", episode.child_id)]
    client.get("/children/?q=Testchild")
    assert rows_for(officer, object_type="child", child_id=episode.child_id,
                    path="/children/?q=Testchild").count() == 1
    client.get("/children/?q=Nobodyhere")
    assert not rows_for(officer, path="/children/?q=Nobodyhere").exists()


# --- refused attempts -------------------------------------------------------------------------

def test_another_forces_officer_is_refused_and_the_attempt_logged(client, outsider, episode):
    client.force_login(outsider)
    assert client.get(f"/children/{episode.child_id}/").status_code == 404
    assert client.get(f"/episodes/{episode.pk}/").status_code == 404
    assert client.get(f"/api/v1/episodes/{episode.pk}/").status_code == 404
    refused = rows_for(outsider, outcome="refused")
    assert sorted(refused.values_list("object_type", "channel")) == [
        ("child", "page"), ("episode", "api"), ("episode", "page")]
    assert set(refused.values_list("child_id", flat=True)) == {episode.child_id}
    assert not rows_for(outsider, outcome="shown").exists()


def test_a_role_that_may_not_open_the_page_is_logged_as_refused(client, call_handler, episode):
    client.force_login(call_handler)
    assert client.get(f"/episodes/{episode.pk}/review/").status_code == 403  # sergeants only
    row = rows_for(call_handler).get()
    assert (row.outcome, row.object_type, row.object_id, row.child_id) == (
        "refused", "episode", str(episode.pk), episode.child_id)


def test_an_unknown_record_is_logged_without_a_child(client, officer):
    client.force_login(officer)
    asked = uuid.uuid4()
    assert client.get(f"/children/{asked}/").status_code == 404
    row = rows_for(officer).get()
    assert (row.outcome, row.object_id, row.child_id) == ("refused", str(asked), None)


def test_pages_not_about_a_child_write_nothing_when_refused(client, call_handler):
    client.force_login(call_handler)
    assert client.get("/supervision/").status_code == 403
    assert not rows_for(call_handler).exists()


# --- the data-protection lead -----------------------------------------------------------------

def test_the_lead_sees_who_looked_at_a_child_and_the_export_is_logged(
        client, dpo, officer, outsider, episode):
    for user in (officer, outsider):
        client.force_login(user)
        client.get(f"/episodes/{episode.pk}/", REMOTE_ADDR="198.51.100.4")
    client.force_login(dpo)
    page = client.get("/audit/child/", {"child": episode.reference}).content.decode()
    assert "2 rows" in page and officer.username in page and outsider.username in page
    assert "Refused" in page and "198.51.100.4" in page
    assert rows_for(dpo, channel="page", object_type="access_log",
                    child_id=episode.child_id).count() == 1
    response = client.get("/audit/child/", {"child": str(episode.child_id), "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    # The lead's own reading of the page is in the log too.
    assert {(r["username"], r["outcome"]) for r in table} == {
        (officer.username, "shown"), (outsider.username, "refused"), (dpo.username, "shown")}
    assert rows_for(dpo, channel="export", child_id=episode.child_id).count() == 1


def test_the_lead_sees_what_a_user_looked_at_in_a_period(client, dpo, officer, episode, now):
    access_log_children(user=officer, now=now - dt.timedelta(days=400), channel="page",
                        object_type="child", rows=[episode.child])
    client.force_login(officer)
    client.get("/episodes/")
    client.force_login(dpo)
    page = client.get("/audit/user/", {"username": officer.username}).content.decode()
    assert "1 row" in page and str(episode.child_id) in page  # the old row is out of the period
    since = (now - dt.timedelta(days=401)).date().isoformat()
    page = client.get("/audit/user/", {"username": officer.username, "since": since}
                      ).content.decode()
    assert "2 rows" in page


def test_the_lead_sees_nothing_of_another_force(client, other_dpo, officer, episode):
    client.force_login(officer)
    client.get(f"/episodes/{episode.pk}/")
    client.force_login(other_dpo)
    page = client.get("/audit/child/", {"child": str(episode.child_id)}).content.decode()
    assert "No child of your force" in page and officer.username not in page
    page = client.get("/audit/user/", {"username": officer.username}).content.decode()
    assert "No user of your force" in page


def test_only_the_lead_opens_the_screens(client, officer, make_user, force, episode):
    admin = make_user(force=force, roles=["force_admin"])
    for user in (officer, admin):
        client.force_login(user)
        assert client.get("/audit/child/").status_code == 403
        assert client.get("/audit/user/", {"username": officer.username}).status_code == 403


def test_the_lead_lands_on_the_log_and_reads_no_case_record(client, dpo, episode):
    client.force_login(dpo)
    assert client.get("/", follow=False)["Location"] == "/audit/child/"
    assert client.get(f"/episodes/{episode.pk}/").status_code == 403
    assert client.get("/episodes/").status_code == 403


# --- role grants with history -----------------------------------------------------------------

def test_role_grants_and_removals_have_history(force, make_user, officer, now):
    admin = make_user(force=force, roles=["force_admin"])
    from mispers.accounts.services import user_create

    user = user_create(username="newbie", password=None, force=force, roles=["officer"],
                       rank=Rank.OFFICER, actor=admin)
    history = UserRole.history.filter(user=user)
    assert list(history.values_list("role", "history_type", "history_user")) == [
        ("officer", "+", admin.pk)]
    user_role_grant(actor=admin, user=user, role="supervisor", now=now)
    user_role_grant(actor=admin, user=user, role="supervisor", now=now)  # idempotent
    assert user_role_remove(actor=admin, user=user, role="officer", now=now)
    assert not user_role_remove(actor=admin, user=user, role="officer", now=now)
    assert user.role_codes == {"supervisor"}
    assert sorted(history.values_list("role", "history_type", "history_user")) == [
        ("officer", "+", admin.pk), ("officer", "-", admin.pk), ("supervisor", "+", admin.pk)]
    with pytest.raises(ValueError):
        user_role_grant(actor=admin, user=user, role="social_worker")  # a partner role


def test_the_repeat_children_list_logs_each_child_on_the_page(client, officer, now,
                                                              child_details):
    from mispers.casework.children import child_create
    from mispers.partners.tests.together import found, graded_episode

    child = child_create(actor=officer, now=now - dt.timedelta(days=20), force=officer.force,
                         details=child_details(given_name="Rory", family_name="Repeatson"))
    first = graded_episode(actor=officer, now=now - dt.timedelta(days=10), child=child,
                           grader=officer, reported_at=now - dt.timedelta(days=10))
    found(actor=officer, now=now - dt.timedelta(days=9), episode=first,
          found_at=now - dt.timedelta(days=9))
    graded_episode(actor=officer, now=now - dt.timedelta(days=1), child=child, grader=officer,
                   reported_at=now - dt.timedelta(days=1))
    client.force_login(officer)
    assert "Repeatson" in client.get("/repeat-children/").content.decode()
    assert rows_for(officer, path="/repeat-children/", child_id=child.pk,
                    outcome="shown").count() == 1
