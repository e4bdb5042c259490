"""Issue 10: a partner's report has no owner, so it lands in the control room's queue with a
clock (from the policy) to grade it; grading meets the clock."""

import datetime as dt

import pytest

from mispers.accounts.models import Team
from mispers.casework.partner_report import partner_report_submit
from mispers.reviews.models import Deadline
from mispers.reviews.tests.test_review_services import grade
from mispers.risk.selectors import policy_for_force

pytestmark = pytest.mark.django_db


def test_a_partners_report_lands_with_the_control_room_with_a_clock_to_grade_it(
        placed, carer, call_handler, now, part2):
    room = Team.objects.create(force=placed.force, name="Control room", is_control_room=True)
    episode = partner_report_submit(actor=carer, now=now, child=placed, part2=part2())
    episode.refresh_from_db()
    assert episode.owner is None and episode.team == room
    hours = policy_for_force(episode.force).deadlines.partner_report_grade_due_hours
    clock = Deadline.objects.get(episode=episode, kind=Deadline.Kind.GRADING)
    assert clock.status == Deadline.Status.PENDING
    assert clock.due_at == now + dt.timedelta(hours=hours)
    grade(episode, call_handler, now + dt.timedelta(minutes=10), chosen="high")
    clock.refresh_from_db()
    assert clock.status == Deadline.Status.MET
    # Graded high and still nobody's: now it needs an officer allocated.
    assert Deadline.objects.filter(episode=episode, kind=Deadline.Kind.ALLOCATION,
                                   status=Deadline.Status.PENDING).exists()
