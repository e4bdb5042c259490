"""The pages for managing partner organisations (police side, /partners/organisations/) and a
partner administrator's team (/partners/team/): what each user sees and may do, bad input shown
as form errors with nothing written, other forces' organisations 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mispers.accounts.models import User
from mispers.partners import services
from mispers.partners.models import PartnerOrganisation
from mispers.partners.services.sharing import sharing_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

PASSWORD = "lighthouse-orange-kettle"
LIST = "/partners/organisations/"


@pytest.fixture
def force_admin(force, make_user):
    return make_user(force=force, roles=["force_admin"], username="fadmin")


@pytest.fixture
def other_admin(other_force, make_user):
    return make_user(force=other_force, roles=["force_admin"], username="otheradmin")


@pytest.fixture
def elsewhere(other_admin, now):
    """An organisation working with another force only."""
    return services.organisation_add(actor=other_admin, now=now, name="Mersey Homes",
                                     kind="care_provider")


@pytest.fixture
def boss(home, make_partner):
    return make_partner(home, ["partner_admin"], username="boss")


def page(client, user, url, data=None):
    client.force_login(user)
    response = client.post(url, data) if data is not None else client.get(url)
    return response, response.content.decode()


def user_form(**overrides):
    return dict(first_name="Sam", last_name="Carer", email="sam@home.example",
                username="sam.carer", role="care_worker", password=PASSWORD) | overrides


# --- the list -----------------------------------------------------------------------------------

def test_the_force_admin_lists_their_forces_organisations_with_counts(
        client, force_admin, council, home, carer, placed, elsewhere, make_partner):
    leaver = make_partner(home, ["care_worker"], username="leaver")
    leaver.is_active = False
    leaver.save()
    response, html = page(client, force_admin, LIST)
    assert response.status_code == 200
    assert "Plymouth Children&#x27;s Services" in html and "Oakview House" in html
    assert "Mersey Homes" not in html  # another force's partner
    rows = {o.name: o for o in response.context["organisations"]}
    assert (rows["Oakview House"].active_users, rows["Oakview House"].inactive_users,
            rows["Oakview House"].children_now) == (1, 1, 1)
    assert "(+1 deactivated)" in html
    assert "Add an organisation" in html and "Ask to link an existing organisation" in html


def test_the_coordinator_reads_without_changing(client, coordinator, home, carer):
    _, html = page(client, coordinator, LIST)
    assert "Oakview House" in html and "Add an organisation" not in html
    response, html = page(client, coordinator, reverse("partners:organisation", args=[home.pk]))
    assert response.status_code == 200 and "Pat Carer" in html
    assert "Deactivate" not in html and "Add a user" not in html
    for url, data in [(reverse("partners:organisation_new"), {"name": "X"}),
                      (reverse("partners:organisation_active", args=[home.pk]), {"active": "0"}),
                      (reverse("partners:organisation_user_active", args=[carer.pk]),
                       {"active": "0"}),
                      (reverse("partners:organisation_user_new", args=[home.pk]), user_form())]:
        assert page(client, coordinator, url, data)[0].status_code == 403
    assert User.objects.get(pk=carer.pk).is_active and not User.objects.filter(
        username="sam.carer").exists()


def test_other_police_roles_and_partners_are_refused(client, officer, sergeant, carer, boss):
    for user in (officer, sergeant, carer, boss):
        assert page(client, user, LIST)[0].status_code == 403


def test_the_list_costs_the_same_queries_for_many_organisations(client, force_admin, make_org,
                                                                 make_partner):
    client.force_login(force_admin)
    make_partner(make_org("First", "care_provider"), ["care_worker"])
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(6):
        org = make_org(f"Org {n}", "rhi_provider")
        make_partner(org, ["rhi_worker"])
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST).context["organisations"]) == 7
    assert len(many) == len(few)


# --- creating and linking -----------------------------------------------------------------------

def test_the_force_admin_adds_an_organisation(client, force_admin, force):
    response, _ = page(client, force_admin, reverse("partners:organisation_new"),
                       {"name": "Harbour View", "kind": "care_provider",
                        "email": "duty@harbour.example"})
    org = PartnerOrganisation.objects.get(name="Harbour View")
    assert response.url == reverse("partners:organisation", args=[org.pk])
    assert list(org.active_forces()) == [force]
    _, html = page(client, force_admin, response.url)
    assert "now works with" in html and "duty@harbour.example" in html


@pytest.mark.parametrize("data, message", [
    ({"name": "  ", "kind": "care_provider"}, "Enter the organisation&#x27;s name"),
    ({"name": "X", "kind": "police"}, "Select a valid choice"),
    ({"name": "X", "kind": "care_provider", "email": "nope"}, "Enter an email address"),
])
def test_bad_organisation_input_is_shown_and_nothing_written(client, force_admin, data,
                                                             message):
    response, html = page(client, force_admin, reverse("partners:organisation_new"), data)
    assert response.status_code == 200 and "There is a problem" in html and message in html
    assert not PartnerOrganisation.objects.exists()


def test_another_forces_organisation_is_404_until_linked(client, force_admin, elsewhere, force,
                                                         other_force, make_user):
    detail = reverse("partners:organisation", args=[elsewhere.pk])
    assert page(client, force_admin, detail)[0].status_code == 404
    assert page(client, force_admin, reverse("partners:organisation_user_new",
                                             args=[elsewhere.pk]), user_form())[0].status_code \
        == 404
    assert page(client, force_admin, reverse("partners:organisation_active",
                                             args=[elsewhere.pk]), {"active": "0"})[0] \
        .status_code == 404
    _, html = page(client, force_admin, reverse("partners:organisation_link"))
    assert "Mersey Homes" in html
    response, _ = page(client, force_admin, reverse("partners:organisation_link"),
                       {"organisation": elsewhere.pk})
    # A request (ADR 0014): still 404 until the organisation's force accepts.
    assert response.url == reverse("partners:organisations")
    assert set(elsewhere.active_forces()) == {other_force}
    assert page(client, force_admin, detail)[0].status_code == 404
    link = elsewhere.force_links.get(force=force)
    other_admin = make_user(force=other_force, roles=["force_admin"], username="merseyadmin")
    _, html = page(client, other_admin, reverse("partners:organisations"))
    assert "Waiting for your decision" in html and force.name in html
    page(client, other_admin, reverse("partners:link_decide", args=[link.pk]), {"accept": "1"})
    assert set(elsewhere.active_forces()) == {force, other_force}
    response, html = page(client, force_admin, detail)
    assert response.status_code == 200 and "Merseyside" in html


def test_a_name_already_in_mispers_points_to_linking(client, force_admin, elsewhere):
    _, html = page(client, force_admin, reverse("partners:organisation_new"),
                   {"name": "mersey homes", "kind": "care_provider"})
    assert "ask to link it to your force" in html
    assert PartnerOrganisation.objects.count() == 1


# --- users --------------------------------------------------------------------------------------

def test_the_force_admin_adds_a_user_who_can_then_sign_in(client, force_admin, home):
    url = reverse("partners:organisation_user_new", args=[home.pk])
    _, html = page(client, force_admin, url)
    assert "Care worker" in html and "Social worker" not in html  # only roles that fit
    response, _ = page(client, force_admin, url, user_form())
    assert response.url == reverse("partners:organisation", args=[home.pk])
    _, html = page(client, force_admin, response.url)
    assert "can now sign in as sam.carer" in html and "sam@home.example" in html
    client.logout()
    assert client.login(username="sam.carer", password=PASSWORD)


@pytest.mark.parametrize("overrides, message", [
    ({"role": "social_worker"}, "Select a valid choice"),
    ({"role": "officer"}, "Select a valid choice"),
    ({"username": "carer"}, "That username is taken"),
    ({"first_name": ""}, "Enter the person&#x27;s first name"),
    ({"password": "short"}, "at least 12 characters"),
    ({"password": "password1234"}, "too common"),
])
def test_bad_user_input_is_shown_and_nothing_written(client, force_admin, home, carer,
                                                     overrides, message):
    before = User.objects.count()
    response, html = page(client, force_admin,
                          reverse("partners:organisation_user_new", args=[home.pk]),
                          user_form(**overrides))
    assert response.status_code == 200 and message in html, html
    assert User.objects.count() == before


def test_deactivating_a_user_signs_them_out(client, force_admin, home, carer):
    client.force_login(carer)
    assert client.get("/partners/").status_code == 200
    admin_client = client.__class__()
    admin_client.force_login(force_admin)
    admin_client.post(reverse("partners:organisation_user_active", args=[carer.pk]),
                      {"active": "0"})
    response = client.get("/partners/")
    assert response.status_code == 302 and "/login/" in response.url
    _, html = page(admin_client, force_admin, reverse("partners:organisation", args=[home.pk]))
    assert "Deactivated" in html and "Reactivate" in html


def test_deactivating_the_organisation_cuts_its_users_off(client, force_admin, home, carer):
    client.force_login(carer)
    assert client.get("/partners/").status_code == 200
    admin_client = client.__class__()
    admin_client.force_login(force_admin)
    response = admin_client.post(reverse("partners:organisation_active", args=[home.pk]),
                                 {"active": "0"})
    assert response.status_code == 302
    assert client.get("/partners/").status_code == 404  # the partner area is gone for them
    _, html = page(admin_client, force_admin, reverse("partners:organisation", args=[home.pk]))
    assert "This organisation is deactivated" in html and "Add a user" not in html


def test_the_organisation_page_links_to_its_sharing_log(client, force_admin, council, home,
                                                        placed, now, coordinator):
    sharing_record(actor=None, now=now, child=placed, organisation=council,
                   what="Council alert", basis="safeguarding")
    sharing_record(actor=None, now=now, child=placed, organisation=home,
                   what="Home alert", basis="safeguarding")
    link = f"/partners/sharing/?organisation={home.pk}"
    # The log names children: the coordinator reads it, the administrator does not (ADR 0018).
    _, html = page(client, force_admin, reverse("partners:organisation", args=[home.pk]))
    assert link not in html
    assert page(client, force_admin, link)[0].status_code == 403
    _, html = page(client, coordinator, reverse("partners:organisation", args=[home.pk]))
    assert link in html
    _, html = page(client, coordinator, link)
    assert "Home alert" in html and "Council alert" not in html
    assert "Oakview House only" in html


# --- the partner administrator's team -----------------------------------------------------------

def test_a_partner_admin_sees_and_adds_their_own_users(client, boss, carer, stranger):
    response, html = page(client, boss, "/partners/team/")
    assert response.status_code == 200
    assert "carer" in html and "stranger" not in html
    response, _ = page(client, boss, reverse("partners:team_user_new"), user_form())
    assert response.url == "/partners/team/"
    assert User.objects.get(username="sam.carer").organisation == boss.organisation


def test_a_partner_admin_deactivates_their_own_users_only(client, boss, carer, stranger):
    response, _ = page(client, boss, reverse("partners:team_user_active", args=[carer.pk]),
                       {"active": "0"})
    assert response.status_code == 302
    assert not User.objects.get(pk=carer.pk).is_active
    response, _ = page(client, boss, reverse("partners:team_user_active", args=[stranger.pk]),
                       {"active": "0"})
    assert response.status_code == 404
    assert User.objects.get(pk=stranger.pk).is_active
    response, _ = page(client, boss, reverse("partners:team_user_active", args=[boss.pk]),
                       {"active": "0"})
    assert "cannot deactivate your own account" in client.get(response.url).content.decode()
    assert User.objects.get(pk=boss.pk).is_active


def test_team_pages_refuse_other_partner_users_and_police(client, carer, force_admin):
    assert page(client, carer, "/partners/team/")[0].status_code == 403
    assert page(client, force_admin, "/partners/team/")[0].status_code == 404


# --- navigation ---------------------------------------------------------------------------------

def test_navigation_shows_partners_and_team_to_those_who_use_them(
        client, force_admin, coordinator, officer, boss, carer):
    def nav(user):
        client.force_login(user)
        url = "/partners/" if user.organisation_id else reverse("home")  # each one's landing
        return [item["label"] for item in client.get(url, follow=True).context["nav_items"]]

    assert "Partners" in nav(force_admin) and "Partners" in nav(coordinator)
    assert "Partners" not in nav(officer)
    assert "Team" in nav(boss) and "Team" not in nav(carer)


def test_the_organisations_administrator_accepts_on_the_team_page_and_a_force_ends_its_link(
        client, force, other_force, force_admin, other_admin, elsewhere, now):
    # ADR 0014: the organisation's own administrator (working for Merseyside) accepts Devon and
    # Cornwall's request on the team page; later Devon and Cornwall ends its own link.
    boss = services.partner_user_create(actor=other_admin, now=now, organisation=elsewhere,
                                        username="merseyboss", roles=["partner_admin"],
                                        password="correct-horse-battery")
    page(client, force_admin, reverse("partners:organisation_link"),
         {"organisation": elsewhere.pk})
    link = elsewhere.force_links.get(force=force)
    _, html = page(client, boss, reverse("partners:team"))
    assert force.name in html
    response, _ = page(client, boss, reverse("partners:team_link_decide", args=[link.pk]),
                       {"accept": "1"})
    assert response.status_code == 302 and response.url == reverse("partners:team")
    assert set(elsewhere.active_forces()) == {force, other_force}
    response, _ = page(client, force_admin, reverse("partners:link_end", args=[link.pk]),
                       {"reason": "Contract over"})
    assert response.status_code == 302 and response.url == reverse("partners:organisations")
    assert set(elsewhere.active_forces()) == {other_force}
