"""Managing partner organisations and users through the services (ADR 0013): who may, the rules
(names, duplicates, roles that fit the kind, passwords), and that a refusal writes nothing."""

import pytest
from django.contrib.auth import authenticate

from mispers.accounts.models import User
from mispers.core.errors import NotFound, PermissionDenied
from mispers.partners import services
from mispers.partners.models import OrganisationForceLink, PartnerOrganisation
from mispers.partners.selectors import is_partner, organisations_responsible

pytestmark = pytest.mark.django_db

PASSWORD = "lighthouse-orange-kettle"


@pytest.fixture
def force_admin(force, make_user):
    return make_user(force=force, roles=["force_admin"], username="fadmin")


@pytest.fixture
def other_admin(other_force, make_user):
    return make_user(force=other_force, roles=["force_admin"], username="otheradmin")


@pytest.fixture
def add_user(force_admin, now):
    def add(organisation, *, actor=None, **overrides):
        values = dict(username="sam.carer", first_name="Sam", last_name="Carer",
                      email="sam@home.example", role="care_worker", password=PASSWORD)
        values.update(overrides)
        return services.partner_user_add(actor=actor or force_admin, now=now,
                                         organisation=organisation, **values)
    return add


def counts():
    return (PartnerOrganisation.objects.count(), User.objects.count(),
            OrganisationForceLink.objects.count())


# --- organisations ------------------------------------------------------------------------------

def test_a_force_admin_adds_an_organisation_working_with_their_force(force_admin, force, now):
    org = services.organisation_add(actor=force_admin, now=now, name="  Harbour View  ",
                                    kind="care_provider", email="duty@harbour.example")
    assert (org.name, org.kind, org.email, org.active) == (
        "Harbour View", "care_provider", "duty@harbour.example", True)
    assert list(org.active_forces()) == [force]
    assert org.created_by == force_admin


@pytest.mark.parametrize("values, field", [
    (dict(name="   "), "name"),
    (dict(name="x" * 201), "name"),
    (dict(kind="police"), "kind"),
    (dict(email="not an email"), "email"),
])
def test_bad_organisation_details_are_refused_and_nothing_written(force_admin, now, values,
                                                                  field):
    before = counts()
    given = dict(name="Harbour View", kind="care_provider", email="") | values
    with pytest.raises(services.OrganisationAdminError) as refused:
        services.organisation_add(actor=force_admin, now=now, **given)
    assert refused.value.field == field
    assert counts() == before


def test_only_a_force_admin_adds_an_organisation(coordinator, now, make_partner, home):
    la_admin = make_partner(home, ["partner_admin"])
    for actor in (coordinator, la_admin):
        with pytest.raises(PermissionDenied):
            services.organisation_add(actor=actor, now=now, name="New", kind="care_provider")


def test_a_name_already_in_mispers_is_refused_with_the_way_forward(force_admin, other_admin,
                                                                   now):
    services.organisation_add(actor=other_admin, now=now, name="Moorside Care",
                              kind="care_provider")
    with pytest.raises(services.OrganisationAdminError, match="link it") as refused:
        services.organisation_add(actor=force_admin, now=now, name="MOORSIDE care",
                                  kind="care_provider")
    assert refused.value.field == "name"
    services.organisation_add(actor=force_admin, now=now, name="Harbour", kind="care_provider")
    with pytest.raises(services.OrganisationAdminError, match="already works with"):
        services.organisation_add(actor=force_admin, now=now, name="harbour",
                                  kind="care_provider")


def test_linking_adds_the_admins_force_and_leaves_other_forces_alone(force_admin, other_admin,
                                                                     force, other_force, now):
    org = services.organisation_add(actor=other_admin, now=now, name="Moorside Care",
                                    kind="care_provider")
    link = services.organisation_link(actor=force_admin, now=now, organisation=org)
    # A request until the force it already works with accepts (ADR 0014).
    assert link.status == "requested" and set(org.active_forces()) == {other_force}
    with pytest.raises(services.LinkError, match="waiting for acceptance"):
        services.organisation_link(actor=force_admin, now=now, organisation=org)
    services.link_decide(actor=other_admin, now=now, link_id=link.pk, accept=True)
    assert set(org.active_forces()) == {force, other_force}
    with pytest.raises(services.LinkError, match="already works with"):
        services.organisation_link(actor=force_admin, now=now, organisation=org)
    # The organisation works with two forces now: neither deactivates it for the other.
    with pytest.raises(PermissionDenied, match="other forces"):
        services.organisation_set_active(actor=other_admin, now=now, organisation=org,
                                         active=False)
    fresh = services.organisation_add(actor=other_admin, now=now, name="Closed Home",
                                      kind="care_provider")
    services.organisation_set_active(actor=other_admin, now=now, organisation=fresh,
                                     active=False)
    with pytest.raises(services.LinkError, match="no longer active"):
        services.organisation_link(actor=force_admin, now=now, organisation=fresh)


def test_deactivating_an_organisation_cuts_its_users_off_at_once(force_admin, home, carer,
                                                                  placed, now):
    assert is_partner(carer)
    services.organisation_set_active(actor=force_admin, now=now, organisation=home,
                                     active=False)
    carer = User.objects.get(pk=carer.pk)  # the next request loads the user afresh
    assert not is_partner(carer)
    assert home not in organisations_responsible(child=placed, on=now.date())  # no alerts
    with pytest.raises(services.OrganisationAdminError, match="already deactivated"):
        services.organisation_set_active(actor=force_admin, now=now, organisation=home,
                                         active=False)
    services.organisation_set_active(actor=force_admin, now=now, organisation=home, active=True)
    assert is_partner(User.objects.get(pk=carer.pk))


def test_another_forces_admin_cannot_touch_an_organisation_not_linked_to_them(other_admin,
                                                                              home, now,
                                                                              add_user):
    with pytest.raises(NotFound):
        services.organisation_set_active(actor=other_admin, now=now, organisation=home,
                                         active=False)
    with pytest.raises(NotFound):
        add_user(home, actor=other_admin)
    home.refresh_from_db()
    assert home.active and not home.users.exists()


# --- users --------------------------------------------------------------------------------------

def test_a_force_admin_adds_a_partner_user_who_can_sign_in(home, add_user):
    user = add_user(home)
    assert (user.organisation, user.force, user.role_codes) == (home, None, {"care_worker"})
    assert authenticate(username="sam.carer", password=PASSWORD) == user
    assert is_partner(user)


@pytest.mark.parametrize("kind, role, fits", [
    ("childrens_services", "social_worker", True),
    ("childrens_services", "rhi_worker", True),
    ("childrens_services", "care_worker", False),
    ("care_provider", "care_worker", True),
    ("care_provider", "social_worker", False),
    ("care_provider", "rhi_worker", False),
    ("rhi_provider", "rhi_worker", True),
    ("rhi_provider", "care_worker", False),
    ("rhi_provider", "social_worker", False),
    ("rhi_provider", "partner_admin", True),
    ("care_provider", "partner_admin", True),
    ("childrens_services", "partner_admin", True),
])
def test_the_role_must_fit_the_kind_of_organisation(make_org, add_user, kind, role, fits):
    org = make_org(f"Org {kind}", kind)
    if fits:
        assert add_user(org, role=role).role_codes == {role}
        return
    with pytest.raises(services.OrganisationAdminError, match="is not a role in") as refused:
        add_user(org, role=role)
    assert refused.value.field == "role"
    assert not org.users.exists()


@pytest.mark.parametrize("values, field", [
    (dict(role="officer"), "role"),
    (dict(role="force_admin"), "role"),
    (dict(username=""), "username"),
    (dict(username="sam carer!"), "username"),
    (dict(username="CARER"), "username"),  # taken by the fixture's "carer", whatever the case
    (dict(first_name="  "), "first_name"),
    (dict(last_name=""), "last_name"),
    (dict(email=""), "email"),
    (dict(email="sam@"), "email"),
    (dict(password="short-pw"), "password"),
    (dict(password="password1234"), "password"),  # a common password
    (dict(password="sam.carer.sam"), "password"),  # too like the username
])
def test_bad_user_details_are_refused_and_nothing_written(home, carer, add_user, values, field):
    before = counts()
    with pytest.raises(services.OrganisationAdminError) as refused:
        add_user(home, **values)
    assert refused.value.field == field, refused.value.message
    assert counts() == before


def test_a_deactivated_organisation_takes_no_new_users(force_admin, home, add_user, now):
    services.organisation_set_active(actor=force_admin, now=now, organisation=home,
                                     active=False)
    with pytest.raises(services.OrganisationAdminError, match="reactivate"):
        add_user(home)


def test_a_partner_admin_manages_their_own_organisations_users_only(home, unrelated_org,
                                                                    make_partner, add_user,
                                                                    stranger, now):
    boss = make_partner(home, ["partner_admin"], username="boss")
    user = add_user(home, actor=boss)
    assert user.organisation == home
    with pytest.raises(NotFound):
        add_user(unrelated_org, actor=boss, username="sneaky")
    with pytest.raises(NotFound):
        services.partner_user_set_active(actor=boss, now=now, user=stranger, active=False)
    services.partner_user_set_active(actor=boss, now=now, user=user, active=False)
    assert not User.objects.get(pk=user.pk).is_active
    with pytest.raises(services.OrganisationAdminError, match="your own account"):
        services.partner_user_set_active(actor=boss, now=now, user=boss, active=False)


def test_a_deactivated_user_cannot_sign_in_and_can_be_reactivated(force_admin, home, add_user,
                                                                  now):
    user = add_user(home)
    services.partner_user_set_active(actor=force_admin, now=now, user=user, active=False)
    assert authenticate(username="sam.carer", password=PASSWORD) is None
    with pytest.raises(services.OrganisationAdminError, match="already deactivated"):
        services.partner_user_set_active(actor=force_admin, now=now, user=user, active=False)
    services.partner_user_set_active(actor=force_admin, now=now, user=user, active=True)
    assert authenticate(username="sam.carer", password=PASSWORD) == user


def test_account_changes_are_audited_with_who_did_them_and_no_password(force_admin, home,
                                                                       add_user, now):
    user = add_user(home)
    services.partner_user_set_active(actor=force_admin, now=now, user=user, active=False)
    services.partner_user_set_active(actor=force_admin, now=now, user=user, active=True)
    history = list(user.history.order_by("history_date", "history_id"))
    # (Other saves, such as "must change the first password", may come between.)
    states = [h.is_active for h in history]
    changes = [state for i, state in enumerate(states) if i == 0 or state != states[i - 1]]
    assert history[0].history_type == "+" and changes == [True, False, True]
    assert {h.history_user for h in history} == {force_admin}
    assert not hasattr(history[0], "password")


def test_police_users_are_not_managed_here(force_admin, coordinator, now):
    with pytest.raises(NotFound):
        services.partner_user_set_active(actor=force_admin, now=now, user=coordinator,
                                         active=False)
    assert User.objects.get(pk=coordinator.pk).is_active


def test_the_coordinator_reads_but_does_not_manage(coordinator, home, add_user, carer, now):
    with pytest.raises(PermissionDenied):
        add_user(home, actor=coordinator)
    with pytest.raises(PermissionDenied):
        services.partner_user_set_active(actor=coordinator, now=now, user=carer, active=False)
    with pytest.raises(PermissionDenied):
        services.organisation_set_active(actor=coordinator, now=now, organisation=home,
                                         active=False)
