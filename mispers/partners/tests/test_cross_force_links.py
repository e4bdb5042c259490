"""The cross-force leak through partner organisations (issue 9, critical), reproduced as the
attacker would try it, and closed (ADR 0014): force B's administrator cannot attach force A's
children's services to B without consent; once linked, a user B adds never sees A's children
through pages or the API, gets none of A's alerts, and B cannot deactivate the organisation or
A's users. Runs on SQLite and PostgreSQL like every test."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from mispers.accounts.models import User
from mispers.core.errors import NotFound, PermissionDenied
from mispers.core.testing import page_text
from mispers.partners import services
from mispers.partners.models import OrganisationForceLink, OrganisationLinkEvent
from mispers.partners.selectors import (
    is_partner,
    partner_children,
    partner_episodes,
    responsibilities_of,
)
from mispers.reviews.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

PASSWORD = "lighthouse-orange-kettle"


@pytest.fixture
def admin_a(force, make_user):
    return make_user(force=force, roles=["force_admin"], username="admin-a")


@pytest.fixture
def admin_b(other_force, make_user):
    return make_user(force=other_force, roles=["force_admin"], username="admin-b")


@pytest.fixture
def episode_a(placed, report_at, now):
    """Force A's child reported missing an hour ago (alerts go to the responsible partners)."""
    return report_at(placed, now - dt.timedelta(hours=1))


def b_user(admin_b, council, now, role="social_worker", username="mole"):
    """A user force B's administrator adds, who has since chosen their own password."""
    from mispers.accounts.passwords import password_changed

    user = services.partner_user_add(actor=admin_b, now=now, organisation=council,
                                     username=username, first_name="Morgan", last_name="Mole",
                                     email=f"{username}@example.org", role=role,
                                     password=PASSWORD)
    return password_changed(user=user, now=now)


def linked_to_b(admin_a, admin_b, council, now):
    link = services.link_request(actor=admin_b, now=now, organisation=council,
                                 reason="Runs a team in our area")
    return services.link_decide(actor=admin_a, now=now, link_id=link.pk, accept=True)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def fresh(user):
    return User.objects.get(pk=user.pk)  # what the next request loads


# --- linking needs consent ----------------------------------------------------------------------

def test_force_b_cannot_link_force_as_organisation_without_consent(admin_a, admin_b, council,
                                                                   social_worker, placed, now,
                                                                   client):
    link = services.link_request(actor=admin_b, now=now, organisation=council)
    assert link.status == OrganisationForceLink.Status.REQUESTED
    assert not council.works_with(admin_b.force)
    # Until accepted B can do nothing with it: no users, no page, no API detail.
    with pytest.raises(NotFound):
        b_user(admin_b, council, now)
    client.force_login(admin_b)
    assert client.get(f"/partners/organisations/{council.pk}/").status_code == 404
    assert api(admin_b).get(f"/api/v1/partner-organisations/{council.pk}/").status_code == 404
    # B cannot accept its own request, by service, page or API.
    with pytest.raises(PermissionDenied):
        services.link_decide(actor=admin_b, now=now, link_id=link.pk, accept=True)
    assert client.post(f"/partners/organisations/links/{link.pk}/decide/",
                       {"accept": "1"}).status_code == 403
    assert api(admin_b).post(f"/api/v1/partner-organisation-links/{link.pk}/accept",
                             {}, format="json").status_code == 403
    link.refresh_from_db()
    assert link.status == "requested" and not council.works_with(admin_b.force)
    # Force A's administrator was told, and decides.
    notice = Notification.objects.get(recipient=admin_a, kind="partner_link")
    assert admin_b.force.name in notice.subject
    client.force_login(admin_a)
    assert "Waiting for your decision" in client.get("/partners/organisations/").content.decode()
    response = client.post(f"/partners/organisations/links/{link.pk}/decide/",
                           {"accept": "0", "reason": "Not commissioned by us"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == "declined" and link.decided_by == admin_a
    codes = list(OrganisationLinkEvent.objects.filter(organisation=council, force=admin_b.force)
                 .order_by("id").values_list("code", flat=True))
    assert codes == ["requested", "declined"]
    assert Notification.objects.filter(recipient=admin_b, kind="partner_link").exists()


def test_the_organisations_partner_admin_accepts_and_the_api_asks(admin_b, council, placed,
                                                                  make_partner, now):
    la_admin = make_partner(council, ["partner_admin"], username="la-admin")
    response = api(admin_b).post("/api/v1/partner-organisation-links/",
                                 {"organisation": str(council.pk), "reason": "New contract"},
                                 format="json")
    assert response.status_code == 201 and response.json()["status"] == "requested"
    link = OrganisationForceLink.objects.get(pk=response.json()["id"])
    services.link_decide(actor=la_admin, now=now, link_id=link.pk, accept=True)
    assert council.works_with(admin_b.force)
    again = api(admin_b).post("/api/v1/partner-organisation-links/",
                              {"organisation": str(council.pk)}, format="json")
    assert again.status_code == 400 and "already works with" in again.json()["detail"]


def test_a_partner_admin_force_b_added_cannot_approve_force_bs_own_request(
        admin_a, admin_b, council, placed, now):
    linked_to_b(admin_a, admin_b, council, now)
    b_admin_user = b_user(admin_b, council, now, role="partner_admin", username="b-admin")
    link = services.link_end(actor=admin_b, now=now,
                             link_id=council.force_links.get(force=admin_b.force).pk)
    link = services.link_request(actor=admin_b, now=now, organisation=council)
    assert link.status == "requested"
    with pytest.raises(PermissionDenied):
        services.link_decide(actor=fresh(b_admin_user), now=now, link_id=link.pk, accept=True)


# --- what a user force B added sees -------------------------------------------------------------

def test_a_user_force_b_added_never_sees_force_as_children(admin_a, admin_b, council,
                                                           social_worker, placed, episode_a,
                                                           client, now):
    linked_to_b(admin_a, admin_b, council, now)
    mole = b_user(admin_b, council, now)
    # The selectors everything funnels through.
    assert not responsibilities_of(user=mole).exists()
    assert not partner_children(user=mole, on=now.date()).exists()
    assert not partner_episodes(user=mole).exists()
    # Pages.
    client.force_login(mole)
    home = client.get("/partners/")
    assert home.status_code == 200 and "Jade" not in home.content.decode()
    assert client.get(f"/partners/children/{placed.pk}/").status_code == 404
    assert client.get(f"/partners/children/{placed.pk}/profile/").status_code == 404
    assert client.get(f"/partners/episodes/{episode_a.pk}/return-interview/").status_code == 404
    assert "Jade" not in page_text(client.get("/partners/alerts/"))
    # The API.
    for url in ["/api/v1/partner/children/", "/api/v1/partner/alerts/"]:
        response = api(mole).get(url)
        assert response.status_code == 200
        assert "Jade" not in response.content.decode()
        assert str(placed.pk) not in response.content.decode()
    assert api(mole).get(f"/api/v1/partner/children/{placed.pk}/episodes/").status_code == 404
    assert api(mole).get(f"/api/v1/partner/episodes/{episode_a.pk}/").status_code == 404
    # No alert reached them; force A's social worker had one.
    assert not Notification.objects.filter(recipient=mole).exists()
    assert Notification.objects.filter(recipient=social_worker, episode=episode_a).exists()
    # Force A's own user still sees the child.
    assert partner_children(user=social_worker, on=now.date()).filter(pk=placed.pk).exists()


def test_force_a_can_share_by_adding_force_bs_user_to_its_link(admin_a, admin_b, council,
                                                               placed, now):
    linked_to_b(admin_a, admin_b, council, now)
    mole = b_user(admin_b, council, now)
    services.partner_user_set_active(actor=admin_a, now=now, user=mole, active=True)
    assert partner_children(user=fresh(mole), on=now.date()).filter(pk=placed.pk).exists()
    # And take them off again, without touching their work for force B.
    services.partner_user_set_active(actor=admin_a, now=now, user=mole, active=False)
    assert not partner_children(user=fresh(mole), on=now.date()).exists()
    assert fresh(mole).is_active


# --- force B cannot deactivate for force A ------------------------------------------------------

def test_force_b_cannot_deactivate_the_organisation_or_force_as_users(admin_a, admin_b, council,
                                                                      social_worker, placed,
                                                                      now, client):
    linked_to_b(admin_a, admin_b, council, now)
    with pytest.raises(PermissionDenied, match="other forces"):
        services.organisation_set_active(actor=admin_b, now=now, organisation=council,
                                         active=False)
    client.force_login(admin_b)
    assert client.post(f"/partners/organisations/{council.pk}/active/",
                       {"active": "0"}).status_code == 403
    assert "Deactivate Plymouth" not in page_text(client.get(
        f"/partners/organisations/{council.pk}/"))
    # Force A's user is not B's to switch off; B's page does not even list them.
    with pytest.raises(services.OrganisationAdminError, match="does not work for"):
        services.partner_user_set_active(actor=admin_b, now=now, user=social_worker,
                                         active=False)
    page = client.get(f"/partners/organisations/{council.pk}/").content.decode()
    assert "Socialworker" not in page.split("Other users of")[0]
    # B cannot end A's link either.
    a_link = council.force_links.get(force=admin_a.force)
    with pytest.raises(PermissionDenied):
        services.link_end(actor=admin_b, now=now, link_id=a_link.pk)
    assert api(admin_b).post(f"/api/v1/partner-organisation-links/{a_link.pk}/end",
                             {}, format="json").status_code == 403
    council.refresh_from_db()
    assert council.active and fresh(social_worker).is_active
    assert partner_children(user=fresh(social_worker), on=now.date()).filter(
        pk=placed.pk).exists()


def test_force_b_ends_only_its_own_link(admin_a, admin_b, council, social_worker, placed, now):
    linked_to_b(admin_a, admin_b, council, now)
    mole = b_user(admin_b, council, now)
    link = council.force_links.get(force=admin_b.force)
    services.link_end(actor=admin_b, now=now, link_id=link.pk, reason="Contract over")
    assert not council.works_with(admin_b.force) and council.works_with(admin_a.force)
    assert fresh(mole).is_active  # the account is the organisation's; B's part has ended
    assert partner_children(user=fresh(social_worker), on=now.date()).exists()
    assert Notification.objects.filter(recipient=admin_a, kind="partner_link",
                                       subject__contains="no longer works with").exists()


def test_a_single_force_organisation_is_still_deactivated_by_its_force(admin_a, home, carer,
                                                                       placed, now):
    services.organisation_set_active(actor=admin_a, now=now, organisation=home, active=False)
    home.refresh_from_db()
    assert not home.active and not is_partner(fresh(carer))


# --- the small one ------------------------------------------------------------------------------

def test_a_responsibility_cannot_start_before_the_child_was_born(coordinator, looked_after,
                                                                 council, now):
    born = looked_after.date_of_birth
    with pytest.raises(services.ResponsibilityError, match="before .* was born") as refused:
        services.responsibility_start(actor=coordinator, now=now, child=looked_after,
                                      organisation=council, kind="placing_authority",
                                      starts_on=born - dt.timedelta(days=1))
    assert refused.value.field == "starts_on"
    assert not looked_after.responsibilities.exists()
    services.responsibility_start(actor=coordinator, now=now, child=looked_after,
                                  organisation=council, kind="placing_authority", starts_on=born)


def test_a_partner_admin_force_b_added_cannot_place_force_as_child(admin_a, admin_b, council,
                                                                    new_home, placed, now):
    linked_to_b(admin_a, admin_b, council, now)
    b_admin = b_user(admin_b, council, now, role="partner_admin", username="b-admin")
    with pytest.raises(NotFound):
        services.responsibility_start(actor=fresh(b_admin), now=now, child=placed,
                                      organisation=new_home, kind="home",
                                      starts_on=now.date())
    assert not placed.responsibilities.filter(organisation=new_home).exists()
