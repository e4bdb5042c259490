"""Reporting a child missing from the partner screens: the police report lands unowned and
ungraded in the force's queue, pre-filled from the profile and part 2, and every refusal leaves
nothing behind."""

import datetime as dt

import pytest

from mispers.casework.partner_report import partner_report_submit
from mispers.core.errors import NotFound
from mispers.episodes.models import Episode, TimelineEvent
from mispers.episodes.selectors import open_episodes_for
from mispers.partners import services
from mispers.partners.models import PartnerReport

DAY = dt.timedelta(days=1)


def counts():
    return (Episode.objects.count(), PartnerReport.objects.count(),
            TimelineEvent.objects.count())


def test_report_creates_the_police_report_in_the_forces_queue(placed, carer, call_handler, now,
                                                              profile_details, part2):
    profile = services.profile_save(actor=carer, now=now - DAY, child=placed,
                                    details=profile_details())
    episode = partner_report_submit(actor=carer, now=now, child=placed, part2=part2())

    assert episode.force == placed.force
    assert episode.state == Episode.State.REPORTED and episode.current_grade == ""
    assert episode.owner is None
    assert episode.reported_via == "partner"
    assert list(open_episodes_for(user=call_handler)) == [episode]
    assert episode.reported_by_name == "Pat Carer"
    assert episode.reported_by_relationship == "Care worker, Oakview House"
    assert episode.reported_by_contact == "01752 000000; pat@example.org"
    assert episode.missing_from == "care"
    assert episode.clothing == "Black puffer jacket, white trainers"
    assert "Argued with staff" in episode.circumstances
    assert "What has been done to find them: Searched the house" in episode.circumstances
    assert "Drake Circus" in episode.possible_whereabouts
    assert "Marcus 'Dee'" in episode.possible_whereabouts
    assert episode.prefilled_fields == [
        "reported_by_name", "reported_by_relationship", "reported_by_contact", "missing_from",
        "last_seen_at", "last_seen_where", "clothing", "circumstances", "possible_whereabouts",
        "description"]
    placed.refresh_from_db()
    assert placed.description == profile.physical_description  # police had none

    report = PartnerReport.objects.get(episode=episode)
    assert report.profile == profile and report.organisation == carer.organisation
    codes = list(episode.timeline.values_list("code", flat=True))
    assert codes[:1] == ["reported"] and "partner_report" in codes


def test_prefilled_fields_for_matches_what_the_service_fills(placed, carer, now,
                                                            profile_details, part2):
    profile = services.profile_save(actor=carer, now=now - DAY, child=placed,
                                    details=profile_details())
    expected = services.prefilled_fields_for(profile, part2(), child=placed)
    episode = partner_report_submit(actor=carer, now=now, child=placed, part2=part2())
    assert episode.prefilled_fields == expected
    # Without a profile only the reporter and part 2 fields are filled.
    assert services.prefilled_fields_for(None, part2(clothing="")) == [
        "reported_by_name", "reported_by_relationship", "reported_by_contact", "missing_from",
        "last_seen_at", "last_seen_where", "circumstances"]
    assert services.profile_items_for(profile) == [
        "physical_description", "friends_and_associates", "places_frequented", "medical_needs",
        "medication", "phone", "social_media", "transport"]


def test_police_description_is_not_overwritten(placed, carer, now, profile_details, part2):
    placed.description = "Police description"
    placed.save()
    services.profile_save(actor=carer, now=now, child=placed, details=profile_details())
    episode = partner_report_submit(actor=carer, now=now, child=placed, part2=part2())
    assert "description" not in episode.prefilled_fields
    placed.refresh_from_db()
    assert placed.description == "Police description"


def test_unrelated_or_former_organisation_cannot_report(placed, stranger, carer, new_home,
                                                       coordinator, now, part2):
    before = counts()
    with pytest.raises(NotFound):
        partner_report_submit(actor=stranger, now=now, child=placed, part2=part2())
    services.responsibility_start(actor=coordinator, now=now, child=placed,
                                  organisation=new_home, kind="home", starts_on=now.date())
    with pytest.raises(NotFound):
        partner_report_submit(actor=carer, now=now, child=placed, part2=part2())
    assert counts() == before


def test_second_report_while_missing_is_refused(placed, carer, social_worker, now, part2):
    first = partner_report_submit(actor=carer, now=now, child=placed, part2=part2())
    before = counts()
    with pytest.raises(services.PartnerReportError, match=first.reference):
        partner_report_submit(actor=social_worker, now=now, child=placed,
                                       part2=part2())
    assert counts() == before


def test_rhi_worker_cannot_report(placed, rhi_worker, rhi_provider, coordinator, now, part2):
    services.responsibility_start(actor=coordinator, now=now, child=placed,
                                  organisation=rhi_provider, kind="rhi_provider",
                                  starts_on=now.date())
    with pytest.raises(services.PartnerReportError):
        partner_report_submit(actor=rhi_worker, now=now, child=placed, part2=part2())


@pytest.mark.parametrize("overrides, field", [
    ({"last_seen_at": dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC)}, "last_seen_at"),
    ({"last_seen_where": "  "}, "last_seen_where"),
])
def test_bad_part2_is_refused_and_nothing_is_written(placed, carer, now, part2, overrides,
                                                     field):
    before = counts()
    with pytest.raises(services.PartnerReportError) as err:
        partner_report_submit(actor=carer, now=now, child=placed,
                                       part2=part2(**overrides))
    assert err.value.field == field
    assert counts() == before


def test_call_handler_grades_a_partner_report(placed, carer, call_handler, now, part2):
    from mispers.casework.grade import assessment_record

    episode = partner_report_submit(actor=carer, now=now, child=placed, part2=part2())
    assessment_record(actor=call_handler, now=now, episode=episode, answers={},
                      chosen_grade="medium")
    episode.refresh_from_db()
    assert episode.state == Episode.State.OPEN and episode.current_grade == "medium"
