"""The sweeper: idempotent, escalates to the next rank up in the same force only, climbs while
nobody acknowledges, stops when someone does, mails after commit; the `sweep` command and the
huey task that run it."""

import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from mispers.accounts.services import user_create
from mispers.casework.grade import assessment_record
from mispers.casework.review import review_complete
from mispers.reviews.escalation import AcknowledgementRefused, notification_acknowledge, sweep
from mispers.reviews.models import Deadline, Escalation, Notification
from mispers.reviews.selectors import notifications_for, supervisor_queue
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

H = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
ZERO = {"escalations": 0, "notifications": 0, "tasks": 0}


def all_no():
    return {code: AnswerInput(answer="no", source="Reporting carer")
            for code in risk_policy.FACTORS}


@pytest.fixture
def people(force, other_force, make_user):
    """A force's chain of command, with emails, plus people who must never be notified."""
    def user(username, role, rank, the_force=force, email=True):
        return user_create(username=username, password=None, force=the_force, roles=[role],
                           rank=rank, first_name="Test", last_name=username.title(),
                           email=f"{username}@police.example" if email else "")

    retired = user("retired", "inspector", "inspector")
    retired.is_active = False  # left the force: never notified
    retired.save(update_fields=["is_active"])
    return {
        "sergeant": user("sarge", "supervisor", "sergeant"),
        "inspector": user("inspector1", "inspector", "inspector"),
        "inspector2": user("inspector2", "inspector", "inspector", email=False),
        "superintendent": user("super", "superintendent", "superintendent"),
        # Same rank as an inspector, but not in the chain of command: never notified.
        "analyst": user("analyst", "analyst", "inspector"),
        # An inspector of another force: never notified about this force's children.
        "elsewhere": user("elsewhere", "inspector", "inspector", the_force=other_force),
        "retired": retired,
    }


@pytest.fixture
def graded(episode, officer, now):
    """The conftest episode (reported 30 min before `now`) graded medium at `now`: the review is
    due 2 h after the report, by a sergeant."""
    assessment_record(actor=officer, now=now, episode=episode, answers=all_no(),
                      chosen_grade="medium")
    return episode


def review_deadline(episode):
    return Deadline.objects.get(episode=episode, kind=Deadline.Kind.REVIEW,
                                status=Deadline.Status.PENDING)


def counts_of_rows():
    return (Escalation.objects.count(), Notification.objects.count())


def test_nothing_overdue_nothing_created(graded, people, now):
    assert sweep(now=now) == ZERO


def test_sweep_is_idempotent_at_the_same_time(graded, people, now):
    review = review_deadline(graded)
    at = review.due_at + 10 * H  # everything of the episode is overdue by then
    first = sweep(now=at)
    assert first["escalations"] >= 2 and first["notifications"] >= first["escalations"]
    rows = counts_of_rows()
    assert sweep(now=at) == ZERO
    assert counts_of_rows() == rows
    # Every escalation is recorded on the episode's timeline, and every row reads back as the
    # ORM would have written it.
    assert graded.timeline.filter(code="escalated").count() == Escalation.objects.count()
    escalation = Escalation.objects.get(deadline=review, level=1)
    assert escalation.created_at == at and escalation.episode_id == graded.pk
    event = graded.timeline.get(code="escalated", data__escalation=escalation.pk)
    assert event.data == {"escalation": escalation.pk, "deadline": review.pk}
    assert event.at == at and event.actor is None
    assert "escalated to inspector (level 1)" in event.summary
    note = Notification.objects.filter(escalation=escalation).first()
    assert note.created_at == at and note.kind == "escalation" and note.episode_id == graded.pk
    assert note.acknowledged_at is None
    assert note.subject.startswith(f"Escalation: Supervisory review for {graded.reference} was "
                                   f"due {review.due_at:%d %b %Y %H:%M} and is 10 h 0 min overdue")


def test_recipients_are_the_next_rank_up_in_the_same_force_only(graded, people, now):
    review = review_deadline(graded)
    sweep(now=review.due_at + MINUTE)
    escalation = Escalation.objects.get(deadline=review)
    assert (escalation.level, escalation.rank, escalation.episode_id) == (1, "inspector",
                                                                          graded.pk)
    recipients = set(Notification.objects.filter(escalation=escalation)
                     .values_list("recipient__username", flat=True))
    assert recipients == {"inspector1", "inspector2"}
    for name in ("sergeant", "superintendent", "analyst", "elsewhere", "retired"):
        assert not notifications_for(user=people[name]).exists(), name
    # On the inspectors' queue, with the notification to acknowledge.
    queue = supervisor_queue(user=people["inspector"], now=review.due_at + MINUTE)
    assert [n.escalation_id for n in queue["escalations"]] == [escalation.pk]


def test_nobody_at_the_next_rank_goes_to_the_one_above(graded, people, now):
    from mispers.accounts.models import User

    User.objects.filter(rank="inspector").update(is_active=False)
    review = review_deadline(graded)
    sweep(now=review.due_at + MINUTE)
    escalation = Escalation.objects.get(deadline=review)
    assert escalation.rank == "superintendent"
    assert [n.recipient for n in escalation.notifications.all()] == [people["superintendent"]]


def test_nobody_above_at_all_is_tried_again_at_the_next_sweep(graded, force, now):
    review = review_deadline(graded)
    at = review.due_at + MINUTE
    assert sweep(now=at)["escalations"] == 0  # no supervisor in the force yet
    user_create(username="late", password=None, force=force, roles=["inspector"],
                rank="inspector")
    assert sweep(now=at)["escalations"] >= 1
    assert Escalation.objects.filter(deadline=review, level=1, rank="inspector").exists()


def test_unacknowledged_escalation_climbs_after_the_repeat_interval(graded, people, now):
    review = review_deadline(graded)
    first_at = review.due_at + MINUTE
    sweep(now=first_at)
    repeat = risk_policy.load_policy("national").deadlines.escalation_repeat_hours * H
    sweep(now=first_at + repeat - MINUTE)
    assert not Escalation.objects.filter(deadline=review, level=2).exists()
    counts = sweep(now=first_at + repeat)
    assert counts["escalations"] >= 1
    second = Escalation.objects.get(deadline=review, level=2)
    assert second.rank == "superintendent"
    assert [n.recipient for n in second.notifications.all()] == [people["superintendent"]]
    # Above a superintendent there is nobody to climb to.
    sweep(now=first_at + 5 * repeat)
    assert not Escalation.objects.filter(deadline=review, level=3).exists()


def test_acknowledged_escalation_stops_climbing(graded, people, now):
    review = review_deadline(graded)
    at = review.due_at + MINUTE
    sweep(now=at)
    escalation = Escalation.objects.get(deadline=review)
    note = Notification.objects.get(escalation=escalation, recipient=people["inspector2"])
    notification_acknowledge(actor=people["inspector2"], now=at + 10 * MINUTE, notification=note)
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == people["inspector2"]
    assert escalation.acknowledged_at == at + 10 * MINUTE
    note.refresh_from_db()
    assert note.acknowledged_at == at + 10 * MINUTE
    assert graded.timeline.filter(code="escalation_acknowledged").count() == 1
    sweep(now=at + 5 * H)
    assert not Escalation.objects.filter(deadline=review, level=2).exists()
    # Still on the acknowledged list only; the other inspector's copy is still there to read.
    mine = notifications_for(user=people["inspector2"]).filter(escalation__deadline=review)
    assert not mine.exists()
    assert notifications_for(user=people["inspector2"], include_acknowledged=True).filter(
        escalation__deadline=review).count() == 1


def test_a_met_deadline_stops_climbing(graded, people, now):
    review = review_deadline(graded)
    at = review.due_at + MINUTE
    sweep(now=at)
    review_complete(actor=people["sergeant"], now=at + 5 * MINUTE, episode=graded,
                    notes="Reviewed late")
    sweep(now=at + 3 * H)
    assert not Escalation.objects.filter(deadline=review, level=2).exists()


def test_someone_elses_notification_cannot_be_acknowledged(graded, people, now):
    review = review_deadline(graded)
    at = review.due_at + MINUTE
    sweep(now=at)
    note = Notification.objects.get(escalation__deadline=review, recipient=people["inspector"])
    for intruder in (people["inspector2"], people["elsewhere"], people["superintendent"]):
        with pytest.raises(AcknowledgementRefused, match="someone else"):
            notification_acknowledge(actor=intruder, now=at, notification=note)
    note.refresh_from_db()
    assert note.acknowledged_at is None
    assert Escalation.objects.get(deadline=review).acknowledged_at is None
    notification_acknowledge(actor=people["inspector"], now=at, notification=note)
    with pytest.raises(AcknowledgementRefused, match="already"):
        notification_acknowledge(actor=people["inspector"], now=at, notification=note)


def test_emails_go_after_commit_one_per_person(graded, people, now,
                                               django_capture_on_commit_callbacks):
    review = review_deadline(graded)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        counts = sweep(now=review.due_at + 10 * H)
    assert mail.outbox == []  # nothing is sent before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    by_person = {message.to[0]: message for message in mail.outbox}
    # inspector2 has no email address; the analyst and the other force are never told.
    assert set(by_person) <= {"inspector1@police.example", "super@police.example",
                              "sarge@police.example"}
    assert "inspector1@police.example" in by_person
    assert len(mail.outbox) == len(by_person)  # one email per person per sweep
    notes = Notification.objects.filter(recipient=people["inspector"]).count()
    message = by_person["inspector1@police.example"]
    if notes == 1:
        assert message.subject.startswith("Escalation: ")
    else:
        assert f"{notes} overdue items" in message.subject
        assert graded.reference in message.body
    assert counts["notifications"] >= notes


def test_emails_are_not_sent_when_the_sweep_creates_nothing(graded, people, now,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=now)
    assert mail.outbox == []


def test_one_escalation_email(graded, people, now, django_capture_on_commit_callbacks):
    review = review_deadline(graded)
    # Just after the review fell due and before any action did: one item for the inspectors.
    Deadline.objects.filter(episode=graded).exclude(pk=review.pk).update(
        due_at=review.due_at + 5 * H)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=review.due_at + MINUTE)
    [message] = mail.outbox
    assert message.to == ["inspector1@police.example"]
    assert message.subject.startswith("Escalation: Supervisory review for ")
    assert graded.reference in message.subject


# --- the command and the job -------------------------------------------------------------------

def run_sweep(*args):
    out = io.StringIO()
    call_command("sweep", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_sweep_command_prints_json_and_zeros_the_second_time(graded, people, now):
    at = (review_deadline(graded).due_at + 10 * H).isoformat()
    first = run_sweep("--now", at)
    assert set(first) == {"escalations", "notifications", "tasks"}
    assert first["escalations"] == Escalation.objects.count() > 0
    assert first["notifications"] == Notification.objects.count()
    assert run_sweep("--now", at) == ZERO


def test_sweep_command_accepts_z_and_local_times(graded, people, now):
    due = review_deadline(graded).due_at
    assert run_sweep("--now", (due - MINUTE).strftime("%Y-%m-%dT%H:%MZ")) == ZERO
    # A time without an offset is local (Europe/London: GMT in March before the clocks change).
    local = (due + MINUTE).replace(tzinfo=None).isoformat()
    assert run_sweep("--now", local)["escalations"] >= 1


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01T00:00", "", "14/03/2026 15:00"])
def test_sweep_command_refuses_a_bad_time(db, bad):
    with pytest.raises(CommandError, match="not an ISO 8601 date and time"):
        call_command("sweep", "--now", bad, stdout=io.StringIO())


def test_the_job_sweeps_every_minute_at_the_current_time(graded, people, now):
    import time_machine

    from mispers.reviews.tasks import sweep_every_minute

    every_minute = sweep_every_minute.task_class()
    assert all(every_minute.validate_datetime(dt.datetime(2026, 3, 14, 15, minute))
               for minute in range(60))
    at = review_deadline(graded).due_at + MINUTE
    with time_machine.travel(at, tick=False):
        # Immediate mode in the tests: enqueuing runs it here and now (huey keeps no result
        # for a periodic task, so look at what it made).
        sweep_every_minute()
        rows = counts_of_rows()
        assert rows[0] >= 1
        assert Escalation.objects.filter(created_at=at).count() == rows[0]
        sweep_every_minute()
        assert counts_of_rows() == rows


def test_the_job_is_registered_with_huey():
    from huey.contrib.djhuey import HUEY

    from mispers.reviews import tasks

    assert HUEY.immediate  # config.settings.test: no consumer needed
    assert tasks.sweep_every_minute.huey is HUEY
    # The consumer's scheduler reads the periodic tasks due at a time: the sweep, every minute.
    due = HUEY.read_periodic(dt.datetime(2026, 3, 14, 15, 7))
    assert "reviews.sweep" in {task.name for task in due}
