"""The Philomena profile: who keeps it, what it stores (exactly what was typed, as plain text),
when it is stale, and the missing history derived from the episodes."""

import datetime as dt

import pytest

from mispers.core.errors import NotFound
from mispers.partners import selectors, services
from mispers.partners.models import PhilomenaProfile

DAY = dt.timedelta(days=1)
SCRIPT = '<script>alert("x")</script> <b>bold</b> & "quotes"'


def test_carer_creates_then_updates_the_homes_profile(placed, carer, now, profile_details):
    first = services.profile_save(actor=carer, now=now - 5 * DAY, child=placed,
                                  details=profile_details())
    assert first.last_reviewed_by == carer
    second = services.profile_save(actor=carer, now=now, child=placed,
                                   details=profile_details(medication="None now"))
    assert second.pk == first.pk  # one profile per child per organisation
    second.refresh_from_db()
    assert second.medication == "None now"
    assert second.last_reviewed_at == now
    assert second.history.count() == 2  # the earlier version is kept


def test_each_organisation_keeps_its_own_and_the_latest_is_the_profile(
        placed, carer, social_worker, now, profile_details):
    home_profile = services.profile_save(actor=carer, now=now - 2 * DAY, child=placed,
                                         details=profile_details())
    la_profile = services.profile_save(actor=social_worker, now=now, child=placed,
                                       details=profile_details(phone="07700 111111"))
    assert home_profile.pk != la_profile.pk
    assert selectors.latest_profile(child=placed) == la_profile
    assert selectors.latest_profile_for_partner(user=carer, child=placed,
                                                on=now.date()) == la_profile


def test_markup_is_stored_exactly_as_typed(placed, carer, now, profile_details):
    profile = services.profile_save(actor=carer, now=now, child=placed,
                                    details=profile_details(friends_and_associates=SCRIPT))
    profile.refresh_from_db()
    assert profile.friends_and_associates == SCRIPT


def test_control_characters_are_dropped_and_newlines_kept(placed, carer, now, profile_details):
    profile = services.profile_save(
        actor=carer, now=now, child=placed,
        details=profile_details(places_frequented="Park\x00\x07\r\nBus station\tstop"))
    assert profile.places_frequented == "Park\nBus station\tstop"


def test_rhi_worker_and_unrelated_partners_cannot_keep_it(placed, rhi_worker, stranger,
                                                          rhi_provider, coordinator, now,
                                                          profile_details):
    with pytest.raises(NotFound):
        services.profile_save(actor=stranger, now=now, child=placed, details=profile_details())
    services.responsibility_start(actor=coordinator, now=now, child=placed,
                                  organisation=rhi_provider, kind="rhi_provider",
                                  starts_on=now.date())
    with pytest.raises(services.ProfileError):
        services.profile_save(actor=rhi_worker, now=now, child=placed, details=profile_details())
    assert not PhilomenaProfile.objects.exists()


def test_former_home_cannot_update_it(placed, carer, new_home, coordinator, now,
                                      profile_details):
    services.responsibility_start(actor=coordinator, now=now, child=placed,
                                  organisation=new_home, kind="home", starts_on=now.date())
    with pytest.raises(services.ProfileError):
        services.profile_save(actor=carer, now=now, child=placed, details=profile_details())


@pytest.mark.parametrize("days", [0, 6, 366])
def test_review_period_is_bounded(placed, carer, now, profile_details, days):
    with pytest.raises(services.ProfileError) as err:
        services.profile_save(actor=carer, now=now, child=placed,
                              details=profile_details(review_period_days=days))
    assert err.value.field == "review_period_days"


def test_photo_date_cannot_be_in_the_future(placed, carer, now, profile_details):
    with pytest.raises(services.ProfileError):
        services.profile_save(actor=carer, now=now, child=placed,
                              details=profile_details(photo_taken_on=now.date() + DAY))


def test_stale_after_the_review_period(placed, carer, now, profile_details):
    profile = services.profile_save(actor=carer, now=now, child=placed,
                                    details=profile_details(review_period_days=7))
    today = now.date()
    assert not selectors.profile_is_stale(profile, today=today + 7 * DAY)
    assert selectors.profile_is_stale(profile, today=today + 8 * DAY)
    profile = services.profile_save(actor=carer, now=now, child=placed,
                                    details=profile_details())
    assert profile.review_period_days == 90
    assert not selectors.profile_is_stale(profile, today=today + 90 * DAY)
    assert selectors.profile_is_stale(profile, today=today + 91 * DAY)
    assert not selectors.profile_is_stale(None, today=today)


def test_missing_history_is_derived_from_the_visible_episodes(placed, carer, report_at, now):
    from mispers.casework.found import return_record
    from mispers.casework.grade import assessment_record

    episode = report_at(placed, now - 3 * DAY)
    assessment_record(actor=episode.owner, now=now - 3 * DAY, episode=episode, answers={},
                      chosen_grade="high")
    return_record(actor=episode.owner, now=now - 2 * DAY, episode=episode,
                  found_at=now - 2 * DAY, found_where="Friend's flat, Stonehouse",
                  found_by="police", condition="safe_and_well")
    history = selectors.missing_history(user=carer, child=placed)
    assert [e.pk for e in history] == [episode.pk]
    assert history[0].found.found_where == "Friend's flat, Stonehouse"
