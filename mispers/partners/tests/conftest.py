"""Fixtures for partner tests: organisations linked to the test force, their users, and a
looked-after child they are responsible for. Data is set up through the services."""

import datetime as dt

import pytest

from mispers.partners import services


@pytest.fixture
def coordinator(force, make_user):
    return make_user(force=force, roles=["coordinator"], rank="sergeant", username="coord")


@pytest.fixture
def make_org(force, coordinator, now):
    def make(name, kind, forces=None):
        return services.organisation_create(actor=coordinator, now=now, name=name, kind=kind,
                                            forces=forces or [force],
                                            email=f"{kind}@example.org")
    return make


@pytest.fixture
def council(make_org):
    return make_org("Plymouth Children's Services", "childrens_services")


@pytest.fixture
def home(make_org):
    return make_org("Oakview House", "care_provider")


@pytest.fixture
def new_home(make_org):
    return make_org("Beech Lodge", "care_provider")


@pytest.fixture
def rhi_provider(make_org):
    return make_org("Safe Return Ltd", "rhi_provider")


@pytest.fixture
def unrelated_org(make_org):
    return make_org("Elsewhere Homes", "care_provider")


@pytest.fixture
def make_partner(coordinator, now):
    counter = iter(range(1, 10_000))

    def make(organisation, roles, username=None):
        return services.partner_user_create(
            actor=coordinator, now=now, organisation=organisation,
            username=username or f"partner{next(counter)}", roles=roles,
            password="correct-horse-battery", first_name="Pat",
            last_name=(username or "Partner").title(), email="pat@example.org")
    return make


@pytest.fixture
def carer(home, make_partner):
    return make_partner(home, ["care_worker"], username="carer")


@pytest.fixture
def new_carer(new_home, make_partner):
    return make_partner(new_home, ["care_worker"], username="newcarer")


@pytest.fixture
def social_worker(council, make_partner):
    return make_partner(council, ["social_worker"], username="socialworker")


@pytest.fixture
def rhi_worker(rhi_provider, make_partner):
    return make_partner(rhi_provider, ["rhi_worker"], username="rhiworker")


@pytest.fixture
def stranger(unrelated_org, make_partner):
    """A care worker of an organisation with no responsibility for the test children."""
    return make_partner(unrelated_org, ["care_worker"], username="stranger")


@pytest.fixture
def looked_after(coordinator, now, child_details):
    from mispers.casework.children import child_create

    return child_create(actor=coordinator, now=now, force=coordinator.force,
                        details=child_details(given_name="Jade", family_name="Placed"))


@pytest.fixture
def placed(looked_after, council, home, coordinator, now):
    """The child placed at the home by the council since a month ago."""
    start = now.date() - dt.timedelta(days=30)
    services.responsibility_start(actor=coordinator, now=now, child=looked_after,
                                  organisation=council, kind="placing_authority",
                                  starts_on=start)
    services.responsibility_start(actor=coordinator, now=now, child=looked_after,
                                  organisation=home, kind="home", starts_on=start)
    return looked_after


@pytest.fixture
def profile_details():
    from mispers.partners.services import ProfileDetails

    def make(**overrides):
        values = dict(physical_description="Slim, 5ft 4, long dark hair, nose stud",
                      friends_and_associates="Kayla (15), Marcus 'Dee' (19, older)",
                      places_frequented="Drake Circus shopping centre; Hoe park",
                      medical_needs="Asthma", medication="Salbutamol inhaler",
                      phone="07700 900123", social_media="Snapchat: jade_x",
                      transport="Buses, lifts from older friends")
        values.update(overrides)
        return ProfileDetails(**values)
    return make


@pytest.fixture
def part2(now):
    from mispers.partners.services import Part2

    def make(**overrides):
        values = dict(last_seen_at=now - dt.timedelta(hours=2),
                      last_seen_where="Front door of Oakview House",
                      clothing="Black puffer jacket, white trainers",
                      circumstances="Argued with staff about phone time",
                      actions_taken="Searched the house and garden, rang Kayla's mum",
                      reporter_phone="01752 000000")
        values.update(overrides)
        return Part2(**values)
    return make


@pytest.fixture
def frozen_clock(now):
    """Pages read mispers.core.clock.now(): freeze it at the fixtures' `now`
    (use with `pytestmark = pytest.mark.usefixtures("frozen_clock")`)."""
    import time_machine

    with time_machine.travel(now, tick=False):
        yield


@pytest.fixture
def report_at(call_handler, report_details):
    """A police report for `child` at `when` (an aware datetime), through the service."""
    from mispers.casework.report import episode_report

    def make(child, when):
        return episode_report(actor=call_handler, now=when, child=child,
                              details=report_details(reported_at=when,
                                                     last_seen_at=when - dt.timedelta(hours=2)))
    return make
