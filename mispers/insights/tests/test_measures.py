"""The counting units of docs/insight-definitions.md, on a small force whose every answer is
known by hand: each figure a user reads is asserted, and each rule (withdrawn left out, the
period by time of report, a downgrade governs only once ratified, repeats within 365 days, the
time bands) would fail here if it broke."""

import datetime as dt

import pytest

from mispers.insights.measures import force_figures, overdue_now
from mispers.insights.period import Period, PeriodInvalid, last_full_months, period_check
from mispers.insights.tests.conftest import at

pytestmark = pytest.mark.django_db

PERIOD = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_the_counting_units(force_data, force):
    figures = force_figures(force_id=force.pk, period=PERIOD, now=at(5, month=4))
    assert figures.incidents == 6  # Dee's withdrawn report and Cal's February one left out
    assert figures.individuals == 4  # Amy, Ben, Cal, Eve
    assert figures.episodes_per_child == 1.5
    assert figures.repeat_incidents == 3  # Amy's second and third, Cal's March one
    assert figures.initial_grade == {"high": 1, "medium": 4, "not_graded": 1}
    assert figures.highest_grade == figures.initial_grade  # nobody re-graded
    assert figures.no_apparent_risk.count == 0 and figures.no_apparent_risk.of == 5
    assert figures.time_missing == {"under_24h": 2, "24_48h": 1, "2_7d": 1, "over_7d": 0,
                                    "still_missing": 2}
    assert figures.found_by == {"police": 3, "own_accord": 1}
    assert figures.condition == {"safe_and_well": 3, "harmed": 1}
    assert figures.harm == {"physical": 1, "exploitation": 1}
    assert figures.missing_from_care == 6
    # Amy's first interview was held in time; the other found episodes have none yet.
    assert (figures.prevention_interview_in_time.count,
            figures.prevention_interview_in_time.of) == (1, 4)
    # The top 5% of 4 children is one child: Amy, with 3 of the 6 incidents.
    assert figures.top_children == 1 and figures.concentration.rate == 0.5


def test_a_ratified_downgrade_governs_and_the_period_is_by_time_of_report(
        force_data, force, sergeant):
    from mispers.casework.grade import assessment_ratify

    for episode, when in ((force_data["episodes"][3], at(6)),
                          (force_data["episodes"][5], at(3, month=4))):
        assessment_ratify(actor=sergeant, now=when, assessment=episode.assessments.get(),
                          note="Checked with the home: with a relative")
    figures = force_figures(force_id=force.pk, period=PERIOD, now=at(5, month=4))
    assert figures.initial_grade == {"high": 1, "medium": 2, "low": 1, "no_apparent_risk": 1,
                                     "not_graded": 1}
    assert figures.no_apparent_risk.count == 1 and figures.no_apparent_risk.of == 5
    april = force_figures(force_id=force.pk, period=Period(dt.date(2026, 4, 1),
                                                            dt.date(2026, 4, 30)),
                          now=at(5, month=4))
    assert april.incidents == 0 and april.time_missing["still_missing"] == 0


def test_overdue_now_counts_the_forces_late_deadlines(force_data, force):
    assert overdue_now(force_id=force.pk, now=at(5, month=4)) > 0
    assert overdue_now(force_id=force.pk, now=at(20, 0, month=2)) == 0  # before any report


@pytest.mark.parametrize("first, last, field, message", [
    (dt.date(2026, 3, 10), dt.date(2026, 3, 1), "last", "must end on or after"),
    (dt.date(2027, 1, 1), dt.date(2027, 1, 31), "first", "cannot start in the future"),
    (dt.date(2026, 11, 1), dt.date(2026, 12, 31), "last", "cannot end in the future"),
    (dt.date(2020, 1, 1), dt.date(2026, 1, 1), "first", "three years or less"),
    (None, dt.date(2026, 1, 1), "first", "Enter the first day"),
])
def test_bad_periods_are_refused_naming_the_end(first, last, field, message):
    with pytest.raises(PeriodInvalid) as refused:
        period_check(first=first, last=last, today=dt.date(2026, 12, 5))
    assert refused.value.field == field and message in refused.value.message


def test_comparison_periods():
    assert PERIOD.previous() == Period(dt.date(2026, 1, 29), dt.date(2026, 2, 28))
    assert PERIOD.year_before() == Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert last_full_months(today=dt.date(2026, 12, 5)) == Period(dt.date(2025, 12, 1),
                                                                   dt.date(2026, 11, 30))


def test_filters_trend_and_hour_by_day(force_data, force):
    # Amy's third episode belongs to a team; the filter keeps only that one.
    from mispers.accounts.models import Area, Team
    from mispers.episodes.models import Episode
    from mispers.insights.measures import Filters

    north = Area.objects.create(force=force, name="North")
    team = Team.objects.create(force=force, name="Response A", area=north)
    a3 = force_data["episodes"][2]
    Episode.objects.filter(pk=a3.pk).update(team=team, area=north)
    now = at(5, month=4)
    assert force_figures(force_id=force.pk, period=PERIOD, now=now,
                         filters=Filters(team_id=team.pk)).incidents == 1
    assert force_figures(force_id=force.pk, period=PERIOD, now=now,
                         filters=Filters(area_id=north.pk)).incidents == 1
    everyone = force_figures(force_id=force.pk, period=PERIOD, now=now)
    assert everyone.by_month == {"2026-03": 6}
    # Amy's reports were at noon on Monday 2, Tuesday 10 and Friday 20 March; Eve's at 23:30
    # on Tuesday 31 March (British Summer Time began on the 29th).
    assert everyone.hour_by_day[(0, 12)] == 1 and everyone.hour_by_day[(1, 23)] == 1
    assert sum(everyone.hour_by_day.values()) == 6
    ages = {band: force_figures(force_id=force.pk, period=PERIOD, now=now,
                                filters=Filters(age_band=band)).incidents
            for band in ("under_12", "12_13", "14_15", "16_17")}
    assert ages == {"under_12": 0, "12_13": 0, "14_15": 6, "16_17": 0}  # all born June 2011
    looked_after = force_figures(force_id=force.pk, period=PERIOD, now=now,
                                 filters=Filters(looked_after=True)).incidents
    assert looked_after == everyone.looked_after


def test_places_and_the_concentration_curve(force_data, force, call_handler):
    from mispers.episodes.models import Episode
    from mispers.people.models import Child
    from mispers.places.details import PlaceDetails
    from mispers.places.services import place_create
    from mispers.returns.models import FoundRecord

    home = place_create(actor=call_handler, now=at(1), details=PlaceDetails(
        kind="childrens_home", name="Oakfield House"))
    station = place_create(actor=call_handler, now=at(1), details=PlaceDetails(
        kind="transport_hub", name="Plymouth bus station"))
    amy = [e.pk for e in force_data["episodes"][:3]]
    Episode.objects.filter(pk__in=amy).update(missing_from_place=home)
    Episode.objects.filter(pk=force_data["c1"].pk).update(missing_from_place=home)
    FoundRecord.objects.filter(episode_id__in=amy[:2]).update(found_place=station)
    # Amy lives at Oakfield House: 3 of its 4 incidents are by the one child placed there.
    Child.objects.filter(pk=force_data["amy"].pk).update(placement=home)
    figures = force_figures(force_id=force.pk, period=PERIOD, now=at(5, month=4))
    assert figures.missing_from_places == [("Oakfield House", "childrens_home", "", 4, 2, 1)]
    assert figures.found_places == [("Plymouth bus station", "transport_hub", "", 2, 1, 0)]
    # Four children: Amy 3, the others 1 each. A tenth of the children (one: Amy) has half
    # of the incidents; all of them, all.
    assert figures.concentration_curve[0] == (0.25, 0.5)
    assert figures.concentration_curve[-1] == (1.0, 1.0)


def test_placed_by_another_areas_authority(force_data, force, other_force, call_handler,
                                           child_details, report_details, make_user):
    """Looked-after children placed by an authority outside the force's area (the force's list
    in insights/data/force_authorities.toml); "–" (None) for a force not listed."""
    from mispers.casework.report import episode_report

    march = Period(first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 31))
    now = at(30)
    before = force_figures(force_id=force.pk, period=march, now=now).placed_by_another
    assert before == 0   # the fixture's children are Plymouth's
    when = at(15)
    episode_report(actor=call_handler, now=when, new_child=child_details(
        given_name="Kay", family_name="Placed", local_authority="Kent County Council"),
        details=report_details(reported_at=when, last_seen_at=when - dt.timedelta(hours=1)))
    episode_report(actor=call_handler, now=when, new_child=child_details(
        given_name="Lee", family_name="Athome", looked_after=False,
        local_authority="Kent County Council"),
        details=report_details(reported_at=when, last_seen_at=when - dt.timedelta(hours=1)))
    assert force_figures(force_id=force.pk, period=march, now=now).placed_by_another == 1
    elsewhere = make_user(force=other_force, roles=["call_handler"], rank="call_handler",
                          username="elsewhere")
    episode_report(actor=elsewhere, now=when, new_child=child_details(given_name="Mo"),
                   details=report_details(reported_at=when,
                                          last_seen_at=when - dt.timedelta(hours=1)))
    assert force_figures(force_id=other_force.pk, period=march,
                         now=now).placed_by_another is None
