"""Who sees which child: the current home and placing authority, a former home only for its own
time, nobody else. Responsibilities are set by the force's coordinator (or the placing
authority's partner administrator, for the home and the interview provider)."""

import datetime as dt

import pytest

from mispers.core.errors import NotFound
from mispers.partners import selectors, services
from mispers.partners.models import Responsibility

DAY = dt.timedelta(days=1)


@pytest.fixture
def moved(placed, new_home, coordinator, now):
    """The child moved from Oakview House to Beech Lodge ten days ago."""
    services.responsibility_start(actor=coordinator, now=now, child=placed,
                                  organisation=new_home, kind="home",
                                  starts_on=now.date() - 10 * DAY)
    return placed


def test_current_home_and_placing_authority_see_the_child(placed, carer, social_worker, now):
    for user in (carer, social_worker):
        assert list(selectors.partner_children(user=user, on=now.date())) == [placed]
        assert selectors.partner_child_for(user=user, child_id=placed.pk, on=now.date()) == placed
        assert selectors.partner_access(user=user, child=placed, on=now.date()) == "current"


def test_unrelated_organisation_and_police_see_nothing(placed, stranger, officer, now):
    for user in (stranger, officer):
        assert not selectors.partner_children(user=user, on=now.date()).exists()
        with pytest.raises(NotFound):
            selectors.partner_child_for(user=user, child_id=placed.pk, on=now.date())
        assert selectors.partner_access(user=user, child=placed, on=now.date()) is None


def test_nonsense_ids_are_not_found(carer, now):
    for bad in ("not-a-uuid", None, 42):
        with pytest.raises(NotFound):
            selectors.partner_child_for(user=carer, child_id=bad, on=now.date())
        with pytest.raises(NotFound):
            selectors.partner_episode_for(user=carer, episode_id=bad)


def test_a_move_ends_the_old_home_on_the_day_the_new_one_starts(moved, home, new_home, now):
    homes = {r.organisation_id: r for r in Responsibility.objects.filter(child=moved,
                                                                          kind="home")}
    assert homes[home.pk].ends_on == now.date() - 10 * DAY
    assert homes[new_home.pk].ends_on is None
    # The placing authority is untouched by a move of home.
    assert Responsibility.objects.get(child=moved, kind="placing_authority").ends_on is None


def test_former_home_sees_only_episodes_from_its_own_time(moved, carer, new_carer,
                                                          social_worker, report_at, now,
                                                          call_handler):
    before = report_at(moved, now - 20 * DAY)
    after = report_at(moved, now - 5 * DAY)
    on_move_day = report_at(moved, dt.datetime.combine(
        now.date() - 10 * DAY, dt.time(9), tzinfo=dt.UTC))

    assert set(selectors.partner_episodes(user=carer, child=moved)) == {before}
    assert set(selectors.partner_episodes(user=new_carer, child=moved)) == {after, on_move_day}
    # The placing authority has been responsible throughout.
    assert set(selectors.partner_episodes(user=social_worker, child=moved)) == {
        before, after, on_move_day}
    with pytest.raises(NotFound):
        selectors.partner_episode_for(user=carer, episode_id=after.pk)
    assert selectors.partner_episode_for(user=carer, episode_id=before.pk) == before
    # The old home keeps sight of the child as "former" but it is off its caseload.
    assert selectors.partner_access(user=carer, child=moved, on=now.date()) == "former"
    assert not selectors.partner_children(user=carer, on=now.date()).exists()


def test_former_home_cannot_see_the_new_homes_profile(moved, carer, new_carer, now,
                                                      profile_details, home):
    new = services.profile_save(actor=new_carer, now=now, child=moved,
                                details=profile_details(phone="07700 999999"))
    assert selectors.latest_profile_for_partner(user=carer, child=moved, on=now.date()) is None
    assert selectors.latest_profile_for_partner(user=new_carer, child=moved,
                                                on=now.date()) == new
    with pytest.raises(NotFound):
        selectors.photo_profile_for(user=carer, profile_id=new.pk, on=now.date())


def test_old_profile_stays_with_its_home_and_the_new_home_sees_it(placed, carer, new_home,
                                                                  new_carer, coordinator, now,
                                                                  profile_details):
    old = services.profile_save(actor=carer, now=now - 20 * DAY, child=placed,
                                details=profile_details())
    services.responsibility_start(actor=coordinator, now=now, child=placed,
                                  organisation=new_home, kind="home",
                                  starts_on=now.date() - 10 * DAY)
    # The former home still sees its own (frozen) profile, the new home sees it as the latest.
    assert selectors.latest_profile_for_partner(user=carer, child=placed, on=now.date()) == old
    assert selectors.latest_profile_for_partner(user=new_carer, child=placed,
                                                on=now.date()) == old


def test_withdrawn_reports_are_not_shown(placed, carer, report_at, inspector, now):
    from mispers.casework.withdraw import episode_withdraw

    episode = report_at(placed, now - DAY)
    episode_withdraw(actor=inspector, now=now, episode=episode, reason="Made in error")
    assert not selectors.partner_episodes(user=carer, child=placed).exists()


def test_future_responsibility_gives_no_access_yet(looked_after, home, carer, coordinator, now):
    services.responsibility_start(actor=coordinator, now=now, child=looked_after,
                                  organisation=home, kind="home", starts_on=now.date() + 5 * DAY)
    assert selectors.partner_access(user=carer, child=looked_after, on=now.date()) is None
    with pytest.raises(NotFound):
        selectors.partner_child_for(user=carer, child_id=looked_after.pk, on=now.date())


def test_inactive_organisation_sees_nothing(placed, carer, home, now):
    home.active = False
    home.save()
    carer.refresh_from_db()
    assert not selectors.is_partner(carer)
    assert not selectors.partner_children(user=carer, on=now.date()).exists()


def test_responsibility_ended_by_coordinator(placed, home, carer, coordinator, now):
    resp = Responsibility.objects.get(child=placed, organisation=home)
    services.responsibility_end(actor=coordinator, now=now, responsibility=resp,
                                ends_on=now.date())
    assert selectors.partner_access(user=carer, child=placed, on=now.date()) == "former"
    with pytest.raises(services.ResponsibilityError):
        services.responsibility_end(actor=coordinator, now=now, responsibility=resp,
                                    ends_on=now.date())


# --- who may record responsibilities ------------------------------------------------------------

def test_only_coordinator_or_force_admin_of_the_childs_force(looked_after, home, officer,
                                                              outsider, carer, now):
    kwargs = dict(now=now, child=looked_after, organisation=home, kind="home",
                  starts_on=now.date())
    with pytest.raises(services.ResponsibilityError):
        services.responsibility_start(actor=officer, **kwargs)
    with pytest.raises(NotFound):
        services.responsibility_start(actor=outsider, **kwargs)
    with pytest.raises(NotFound):  # a home cannot attach itself to a child
        services.responsibility_start(actor=carer, **kwargs)
    assert not Responsibility.objects.exists()


def test_placing_authority_admin_may_place_the_child_in_a_home(placed, council, new_home,
                                                               make_partner, now):
    admin = make_partner(council, ["partner_admin"])
    services.responsibility_start(actor=admin, now=now, child=placed, organisation=new_home,
                                  kind="home", starts_on=now.date())
    assert Responsibility.objects.get(child=placed, kind="home", ends_on=None).organisation == \
        new_home
    with pytest.raises(services.ResponsibilityError):  # but not name the placing authority
        services.responsibility_start(actor=admin, now=now, child=placed, organisation=council,
                                      kind="placing_authority", starts_on=now.date())


def test_kind_must_suit_the_organisation_and_force(looked_after, home, rhi_provider,
                                                   coordinator, make_org, other_force, now):
    with pytest.raises(services.ResponsibilityError) as err:
        services.responsibility_start(actor=coordinator, now=now, child=looked_after,
                                      organisation=home, kind="placing_authority",
                                      starts_on=now.date())
    assert err.value.field == "organisation"
    with pytest.raises(services.ResponsibilityError):
        services.responsibility_start(actor=coordinator, now=now, child=looked_after,
                                      organisation=rhi_provider, kind="home",
                                      starts_on=now.date())
    far_away = make_org("Merseyside Homes", "care_provider", forces=[other_force])
    with pytest.raises(services.ResponsibilityError, match="does not work with"):
        services.responsibility_start(actor=coordinator, now=now, child=looked_after,
                                      organisation=far_away, kind="home", starts_on=now.date())
    assert not Responsibility.objects.exists()


def test_same_organisation_twice_is_refused(placed, home, coordinator, now):
    with pytest.raises(services.ResponsibilityError, match="already"):
        services.responsibility_start(actor=coordinator, now=now, child=placed,
                                      organisation=home, kind="home", starts_on=now.date())


def test_partner_users_need_partner_roles(home, coordinator, now):
    with pytest.raises(services.OrganisationError):
        services.partner_user_create(actor=coordinator, now=now, organisation=home,
                                     username="bad", roles=["officer"])
    with pytest.raises(services.OrganisationError):
        services.organisation_create(actor=coordinator, now=now, name="No forces",
                                     kind="care_provider", forces=[])


def test_organisations_responsible_lists_current_ones(moved, council, new_home, rhi_provider,
                                                      coordinator, now):
    services.responsibility_start(actor=coordinator, now=now, child=moved,
                                  organisation=rhi_provider, kind="rhi_provider",
                                  starts_on=now.date())
    assert set(selectors.organisations_responsible(child=moved, on=now.date())) == {
        council, new_home, rhi_provider}
    assert list(selectors.organisations_responsible(child=moved, on=now.date(),
                                                    kinds=["home"])) == [new_home]
