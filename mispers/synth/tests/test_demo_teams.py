"""Issue 10: the demo force has areas and teams, its users are in them, and its open medium and
high cases have an officer in the case, but one, left for the control room to allocate."""

import datetime as dt

import pytest

from mispers.accounts.models import Force, Team, User
from mispers.episodes.models import Episode
from mispers.reviews.models import Deadline
from mispers.reviews.tests.test_review_services import grade
from mispers.synth.demo import demo_teams_ensure, demo_users_ensure

pytestmark = pytest.mark.django_db


def test_demo_teams_and_allocations(force, call_handler, child_details, report_details, now):
    from mispers.casework.report import episode_report

    demo_users_ensure(force=force)
    episodes = []
    for minutes in (50, 40, 30):
        at = now - dt.timedelta(minutes=minutes)
        episode = episode_report(actor=call_handler, now=at,
                                 details=report_details(reported_at=at),
                                 new_child=child_details())
        grade(episode, call_handler, at, chosen="high")
        episodes.append(episode)
    assert demo_teams_ensure(force=force, now=now) == 2
    assert demo_teams_ensure(force=force, now=now) == 0  # safe to run again
    assert Team.objects.filter(force=force, is_control_room=True).count() == 1
    assert set(Team.objects.filter(force=force).values_list("name", flat=True)) == {
        "Control room", "Response Plymouth", "Response Exeter", "Missing persons unit"}
    assert User.objects.get(username="handler").team.is_control_room
    for episode in episodes:
        episode.refresh_from_db()
    newest = episodes[-1]
    assert newest.allocated_at is None
    assert Deadline.objects.filter(episode=newest, kind="allocation", status="pending").exists()
    for episode in episodes[:2]:
        assert episode.allocated_at == now and episode.owner.username in {"officer", "officer2",
                                                                          "mpu"}
        assert episode.team is not None
    assert Force.objects.filter(pk=force.pk).exists()
    assert Episode.objects.filter(force=force, allocated_at__isnull=True).count() == 1


def test_the_demo_has_a_case_with_a_disclosure_told_to_the_officer(force, call_handler,
                                                                   child_details, report_details,
                                                                   now):
    from mispers.casework.report import episode_report
    from mispers.reviews.models import Notification
    from mispers.synth.demo import demo_disclosure_ensure

    demo_users_ensure(force=force)
    at = now - dt.timedelta(hours=5)
    episode = episode_report(actor=call_handler, now=at, new_child=child_details(),
                             details=report_details(reported_at=at,
                                                    last_seen_at=at - dt.timedelta(hours=1)))
    grade(episode, call_handler, at, chosen="high")
    demo_teams_ensure(force=force, now=now)  # the newest high case waits for the control room
    officer = User.objects.get(username="officer")
    Episode.objects.filter(pk=episode.pk).update(owner=officer)
    assert demo_disclosure_ensure(force=force, now=now) == episode.reference
    assert demo_disclosure_ensure(force=force, now=now) is None  # safe to run again
    episode.refresh_from_db()
    assert episode.state == Episode.State.FOUND
    told = set(Notification.objects.filter(episode=episode, kind="disclosure")
               .values_list("recipient__username", flat=True))
    assert {"officer", "sergeant"} <= told
