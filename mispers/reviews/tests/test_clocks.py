"""Clocks (DOMAIN.md section 5): the pure rules, then the clocks an episode gets from its grade
under frozen and advancing time, for every grade of the national policy and of each shipped
overlay, read from the policy data."""

import datetime as dt
import io
import json
import sys
import textwrap
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command

from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.casework.review import review_complete
from mispers.core import clock
from mispers.episodes.models import Action, Episode
from mispers.reviews import clocks
from mispers.reviews.escalation import episodes_needing_clock, sweep
from mispers.reviews.models import Deadline, Escalation, Notification
from mispers.reviews.selectors import supervisor_queue
from mispers.risk import policy as risk_policy
from mispers.risk import selectors as risk_selectors
from mispers.risk.policy import GRADES, grade_rank, load_policy, load_policy_file
from mispers.risk.services import AnswerInput

Kind = Deadline.Kind
PENDING = Deadline.Status.PENDING
H = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
START = dt.datetime(2026, 3, 14, 15, 0, tzinfo=dt.UTC)
# The policies to check, by the force whose episodes grade under them (Devon and Cornwall has
# no overlay: national).
POLICY_FORCES = {"national": "devon-and-cornwall", "dorset": "dorset",
                 "gloucestershire": "gloucestershire", "merseyside": "merseyside"}
CASES = [(name, grade) for name, code in POLICY_FORCES.items() for grade in GRADES
         if grade_rank(grade) >= grade_rank(load_policy(code).minimum_grade)]


def all_no():
    return {code: AnswerInput(answer="no", source="Reporting parent")
            for code in risk_policy.FACTORS}


# --- pure rules ------------------------------------------------------------------------------

def test_ungraded_report_is_due_as_the_most_urgent_grade():
    policy = load_policy("national")
    assert clocks.ungraded_review_due(policy=policy, reported_at=START) == START + H


@pytest.mark.parametrize("grade", GRADES)
def test_review_due_first_after_report_then_every_interval(grade):
    clock_ = load_policy("national").clock(grade)
    policy = load_policy("national")
    assert clocks.review_due(policy=policy, grade=grade, reported_at=START,
                             last_review_at=None) == START + clock_.first_review_hours * H
    reviewed = START + 3 * H
    assert clocks.review_due(policy=policy, grade=grade, reported_at=START,
                             last_review_at=reviewed) == reviewed + clock_.review_every_hours * H


def test_regrade_never_puts_off_a_pending_review():
    policy = load_policy("national")
    # Pending at +1 h (high); re-graded low at +10 min: low's first review (+4 h) is later.
    due = clocks.review_due_after_regrade(policy=policy, grade="low", reported_at=START,
                                          last_review_at=None, now=START + 10 * MINUTE,
                                          pending_due=START + H)
    assert due == START + H
    # Re-graded high after a review: due 4 h after the review, earlier than low's 12 h.
    due = clocks.review_due_after_regrade(policy=policy, grade="high", reported_at=START,
                                          last_review_at=START + 2 * H, now=START + 3 * H,
                                          pending_due=START + 14 * H)
    assert due == START + 6 * H
    # The new grade's interval already ran out: due one first-interval from now, not in the past.
    due = clocks.review_due_after_regrade(policy=policy, grade="high", reported_at=START,
                                          last_review_at=None, now=START + 3 * H,
                                          pending_due=START + 4 * H)
    assert due == START + 4 * H


def test_grade_deadlines_come_from_the_policy():
    policy = load_policy("national")

    def specs(grade):
        return {(s.kind, s.due_at, s.rank) for s in clocks.grade_deadlines(
            policy=policy, grade=grade, reported_at=START)}

    assert specs("no_apparent_risk") == {("regrade", START + 24 * H, "sergeant")}
    assert specs("low") == set()
    assert specs("medium") == {("inspector_review", START + 24 * H, "inspector")}
    assert specs("high") == {("superintendent_informed", START + 12 * H, "inspector")}


@pytest.mark.parametrize(("rank", "above"), [
    ("", "sergeant"), ("staff", "sergeant"), ("call_handler", "sergeant"),
    ("officer", "sergeant"), ("sergeant", "inspector"), ("inspector", "superintendent"),
    ("superintendent", None)])
def test_rank_above(rank, above):
    assert clocks.rank_above(rank) == above


def test_overdue_by():
    assert clocks.overdue_by(due_at=START, now=START) is None
    assert clocks.overdue_by(due_at=START, now=START - MINUTE) is None
    assert clocks.overdue_by(due_at=START, now=START + 90 * MINUTE) == 90 * MINUTE


# --- an episode's clocks under frozen and advancing time --------------------------------------

@pytest.fixture
def staff_of(forces, make_user):
    made = {}

    def make(code):
        if code not in made:
            force = forces.get(code=code)

            def user(role, rank):
                return make_user(force=force, roles=[role], rank=rank,
                                 username=f"{code}-{rank}")

            made[code] = SimpleNamespace(
                force=force, handler=user("call_handler", "call_handler"),
                officer=user("officer", "officer"), sergeant=user("supervisor", "sergeant"),
                inspector=user("inspector", "inspector"),
                superintendent=user("superintendent", "superintendent"))
        return made[code]

    return make


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as travelling:
        yield travelling


def report(people, child_details, report_details):
    """A report at the frozen `now`, of a 16-year-old missing from home (no risk context)."""
    now = clock.now()
    return episode_report(
        actor=people.handler, now=now,
        details=report_details(reported_at=now - 30 * MINUTE, last_seen_at=now - 3 * H,
                               missing_from="home"),
        new_child=child_details(date_of_birth=dt.date(2009, 9, 1), looked_after=False))


def grade_it(episode, actor, grade):
    return assessment_record(actor=actor, now=clock.now(), episode=episode, answers=all_no(),
                             chosen_grade=grade)


def pending(episode, kind=Kind.REVIEW):
    return Deadline.objects.get(episode=episode, kind=kind, status=PENDING)


def reviewer_for(people, rank):
    return people.inspector if rank == "inspector" else people.sergeant


def user_of_rank(people, rank):
    return {"sergeant": people.sergeant, "inspector": people.inspector,
            "superintendent": people.superintendent}[rank]


def test_a_report_is_never_without_a_clock(staff_of, child_details, report_details, traveller):
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    review = pending(episode)
    assert review.due_at == episode.reported_at + H and review.rank == "sergeant"
    assert pending(episode, Kind.NATIONAL_UNIT).due_at == episode.reported_at + 72 * H
    assert episodes_needing_clock() == []


@pytest.mark.parametrize(("policy_name", "grade"), CASES)
def test_review_clock_of_every_grade(policy_name, grade, staff_of, child_details,
                                     report_details, traveller):
    people = staff_of(POLICY_FORCES[policy_name])
    policy = load_policy(people.force.code)
    assert policy.name == policy_name
    grade_clock = policy.clock(grade)
    episode = report(people, child_details, report_details)
    grade_it(episode, people.officer, grade)
    episode.refresh_from_db()
    assert episode.state == Episode.State.OPEN and episode.current_grade == grade

    # First review: the grade's interval after the report, by the grade's reviewer rank.
    review = pending(episode)
    assert review.due_at == episode.reported_at + grade_clock.first_review_hours * H
    assert review.rank == grade_clock.reviewer_rank
    assert episodes_needing_clock() == []

    # A review on time: the next is due the grade's interval later.
    traveller.shift(20 * MINUTE)
    reviewer = reviewer_for(people, grade_clock.reviewer_rank)
    review_complete(actor=reviewer, now=clock.now(), episode=episode, notes="Checked")
    reviewed_at = clock.now()
    review.refresh_from_db()
    assert review.status == Deadline.Status.MET
    nxt = pending(episode)
    assert nxt.due_at == reviewed_at + grade_clock.review_every_hours * H
    assert nxt.rank == grade_clock.reviewer_rank

    # Just before it is due: not overdue, nothing to sweep.
    traveller.move_to(nxt.due_at - MINUTE)
    queue = supervisor_queue(user=reviewer, now=clock.now())
    [item] = [i for i in queue["reviews"] if i.deadline.pk == nxt.pk]
    assert item.overdue_by is None
    assert not Escalation.objects.filter(deadline=nxt).exists()

    # Past due: overdue on the reviewer's queue, from the data, before any sweep has run.
    traveller.move_to(nxt.due_at + 5 * MINUTE)
    queue = supervisor_queue(user=reviewer, now=clock.now())
    [item] = [i for i in queue["reviews"] if i.deadline.pk == nxt.pk]
    assert item.overdue_by == 5 * MINUTE
    # The sweeper escalates it: at least to the duty inspector (the reviewer of a high-risk case
    # is told at once), otherwise to the next rank up; those people are notified.
    out = io.StringIO()
    call_command("sweep", stdout=out)  # as at the frozen clock
    assert json.loads(out.getvalue())["escalations"] >= 1
    escalation = Escalation.objects.get(deadline=nxt)
    above = clocks.first_escalation_rank(kind="review", rank=grade_clock.reviewer_rank)
    assert above == "inspector"
    assert (escalation.level, escalation.rank) == (1, above)
    assert list(Notification.objects.filter(escalation=escalation)
                .values_list("recipient", flat=True)) == [user_of_rank(people, above).pk]
    assert episodes_needing_clock() == []


@pytest.mark.parametrize("policy_name", list(POLICY_FORCES))
def test_grade_deadlines_of_every_policy(policy_name, staff_of, child_details, report_details,
                                         traveller):
    people = staff_of(POLICY_FORCES[policy_name])
    policy = load_policy(people.force.code)
    for grade in GRADES:
        if grade_rank(grade) < grade_rank(policy.minimum_grade):
            continue
        episode = report(people, child_details, report_details)
        grade_it(episode, people.officer, grade)
        expected = {(s.kind, s.due_at, s.rank) for s in clocks.grade_deadlines(
            policy=policy, grade=grade, reported_at=episode.reported_at)}
        actual = set(Deadline.objects.filter(
            episode=episode, status=PENDING,
            kind__in=[Kind.REGRADE, Kind.SUPERINTENDENT_INFORMED, Kind.INSPECTOR_REVIEW])
            .values_list("kind", "due_at", "rank"))
        assert actual == expected, grade


def test_no_apparent_risk_must_be_regraded_by_24_hours(staff_of, child_details, report_details,
                                                       traveller):
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    grade_it(episode, people.officer, "no_apparent_risk")
    regrade = pending(episode, Kind.REGRADE)
    assert regrade.due_at == episode.reported_at + 24 * H and regrade.rank == "sergeant"
    # Reviews on time do not meet it: only a new grade does.
    for _ in range(3):
        traveller.move_to(pending(episode).due_at - MINUTE)
        review_complete(actor=people.sergeant, now=clock.now(), episode=episode, notes="Seen")
    traveller.move_to(regrade.due_at + MINUTE)
    counts = sweep(now=clock.now())
    escalation = Escalation.objects.get(deadline=regrade)
    assert escalation.rank == "inspector" and counts["escalations"] >= 1
    # Re-graded low: the re-grade deadline is met and stops climbing.
    grade_it(episode, people.sergeant, "low")
    regrade.refresh_from_db()
    assert regrade.status == Deadline.Status.MET
    traveller.shift(3 * H)
    sweep(now=clock.now())
    assert not Escalation.objects.filter(deadline=regrade, level=2).exists()


def test_high_informs_the_superintendent_at_12_hours(staff_of, child_details, report_details,
                                                     traveller):
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    grade_it(episode, people.officer, "high")
    informed = pending(episode, Kind.SUPERINTENDENT_INFORMED)
    assert informed.due_at == episode.reported_at + 12 * H and informed.rank == "inspector"
    traveller.move_to(informed.due_at - MINUTE)
    sweep(now=clock.now())
    assert not Notification.objects.filter(kind="superintendent_informed").exists()
    # Issue 10: told at the policy's hour, not only once it is overdue and escalates.
    traveller.move_to(informed.due_at)
    sweep(now=clock.now())
    [note] = Notification.objects.filter(kind="superintendent_informed")
    assert note.recipient == people.superintendent and episode.reference in note.subject
    informed.refresh_from_db()
    assert informed.status == Deadline.Status.MET
    assert not Escalation.objects.filter(deadline=informed).exists()


def test_medium_needs_an_inspector_review_at_24_hours(staff_of, child_details, report_details,
                                                      traveller):
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    grade_it(episode, people.officer, "medium")
    inspector_review = pending(episode, Kind.INSPECTOR_REVIEW)
    assert inspector_review.due_at == episode.reported_at + 24 * H
    assert inspector_review.rank == "inspector"
    # A sergeant's review does not meet it; an inspector's does.
    traveller.shift(H)
    review_complete(actor=people.sergeant, now=clock.now(), episode=episode, notes="Seen")
    assert pending(episode, Kind.INSPECTOR_REVIEW).pk == inspector_review.pk
    traveller.move_to(inspector_review.due_at + MINUTE)
    sweep(now=clock.now())
    assert Escalation.objects.get(deadline=inspector_review).rank == "superintendent"
    review_complete(actor=people.inspector, now=clock.now(), episode=episode, notes="Reviewed")
    inspector_review.refresh_from_db()
    assert inspector_review.status == Deadline.Status.MET


def test_72_hours_missing_creates_the_national_unit_task(staff_of, child_details,
                                                         report_details, traveller):
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    grade_it(episode, people.officer, "low")
    national = pending(episode, Kind.NATIONAL_UNIT)
    traveller.move_to(national.due_at - MINUTE)
    assert sweep(now=clock.now())["tasks"] == 0
    traveller.move_to(national.due_at)
    assert sweep(now=clock.now())["tasks"] == 1
    national.refresh_from_db()
    assert national.status == Deadline.Status.MET
    task = Action.objects.get(episode=episode, code="notify_national_unit")
    assert task.assigned_to == people.handler and task.source == "system"
    assert Deadline.objects.get(action=task).status == PENDING
    assert episode.timeline.filter(code="national_unit").count() == 1
    assert sweep(now=clock.now())["tasks"] == 0  # idempotent
    # Never escalated itself: the task's own deadline does that if it is not done.
    assert not Escalation.objects.filter(deadline=national).exists()


def test_found_before_72_hours_means_no_national_unit_task(staff_of, child_details,
                                                           report_details, traveller):
    from mispers.casework.found import return_record

    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    grade_it(episode, people.officer, "low")
    traveller.shift(5 * H)
    return_record(actor=people.officer, now=clock.now(), episode=episode,
                  found_at=clock.now(), found_where="Home", found_by="own_accord",
                  condition="safe_and_well")
    traveller.shift(80 * H)
    assert sweep(now=clock.now())["tasks"] == 0
    assert not Action.objects.filter(code="notify_national_unit").exists()


def test_regrade_never_postpones_a_pending_review(staff_of, child_details, report_details,
                                                  traveller):
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    grade_it(episode, people.officer, "high")
    due = pending(episode).due_at
    assert due == episode.reported_at + H
    traveller.shift(10 * MINUTE)
    grade_it(episode, people.sergeant, "low")  # low's first review would be 4 h after report
    assert pending(episode).due_at == due
    assert Deadline.objects.filter(episode=episode, kind=Kind.REVIEW, status=PENDING).count() == 1
    # Reviewed; then re-graded up: the next review comes forward to the higher grade's interval.
    review_complete(actor=people.sergeant, now=clock.now(), episode=episode, notes="Seen")
    reviewed_at = clock.now()
    assert pending(episode).due_at == reviewed_at + 12 * H
    traveller.shift(H)
    grade_it(episode, people.sergeant, "medium")
    assert pending(episode).due_at == reviewed_at + 8 * H
    grade_it(episode, people.sergeant, "low")
    assert pending(episode).due_at == reviewed_at + 8 * H  # down again: not put off


def test_graded_late_the_review_is_overdue_at_once(staff_of, child_details, report_details,
                                                   traveller):
    """Graded three hours after the report: the grade's first review (2 h after the report for
    medium) has passed, so it is overdue, not restarted from the time of grading."""
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    stand_in = pending(episode)
    traveller.move_to(episode.reported_at + 3 * H)
    sweep(now=clock.now())
    assert Escalation.objects.filter(deadline=stand_in).exists()
    grade_it(episode, people.officer, "medium")
    review = pending(episode)
    assert review.pk == stand_in.pk  # the escalated deadline carries on
    assert review.due_at == episode.reported_at + 2 * H and review.rank == "sergeant"


def test_graded_after_the_stand_in_lapsed_but_before_the_grade_is_due(
        staff_of, child_details, report_details, traveller):
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    stand_in = pending(episode)
    traveller.move_to(episode.reported_at + 90 * MINUTE)
    sweep(now=clock.now())
    grade_it(episode, people.officer, "low")  # low: first review 4 h after the report
    stand_in.refresh_from_db()
    assert stand_in.status == Deadline.Status.CANCELLED
    review = pending(episode)
    assert review.due_at == episode.reported_at + 4 * H
    traveller.move_to(review.due_at + MINUTE)
    sweep(now=clock.now())
    assert Escalation.objects.get(deadline=review, level=1).rank == "inspector"


def test_advancing_time_climbs_through_the_ranks(staff_of, child_details, report_details):
    """Real time moving on (tick=True), the sweeper run as the consumer would run it."""
    from mispers.reviews.tasks import sweep_every_minute

    people = staff_of("devon-and-cornwall")
    with time_machine.travel(START, tick=True) as travelling:
        episode = report(people, child_details, report_details)
        grade_it(episode, people.officer, "low")
        review = pending(episode)
        travelling.move_to(review.due_at + MINUTE)
        first = sweep_every_minute.call_local()
        assert first["escalations"] >= 1
        assert sweep_every_minute.call_local() == {"escalations": 0, "notifications": 0,
                                                   "tasks": 0}
        travelling.shift(61 * MINUTE)
        sweep_every_minute.call_local()
    levels = list(Escalation.objects.filter(deadline=review).values_list("level", "rank"))
    assert levels == [(1, "inspector"), (2, "superintendent")]


# --- a force overlay with tighter clocks -------------------------------------------------------

TIGHT = textwrap.dedent("""\
    extends = "national"
    name = "devon-and-cornwall"
    version = "2026.9"
    title = "Devon and Cornwall tighter clocks (test)"

    [clocks.medium]
    first_review_hours = 1
    review_every_hours = 3
    inspector_review_after_hours = 12

    [clocks.no_apparent_risk]
    regrade_by_hours = 8

    [deadlines]
    national_unit_notify_after_hours = 48
    escalation_repeat_hours = 0.5
    """)


@pytest.fixture
def tight_policy(tmp_path, monkeypatch):
    """Devon and Cornwall grading under an overlay with tighter clocks: every module that looks
    the force's policy up by `policy_for_force` gets it."""
    path = tmp_path / "devon-and-cornwall.toml"
    path.write_text(TIGHT, encoding="utf-8")
    policy = load_policy_file(path)
    original = risk_selectors.policy_for_force

    def lookup(force):
        return policy if force.code == "devon-and-cornwall" else original(force)

    for name, module in list(sys.modules.items()):
        if name.startswith("mispers.") and getattr(module, "policy_for_force", None) is original:
            monkeypatch.setattr(module, "policy_for_force", lookup)
    return policy


def test_a_tighter_overlay_gives_tighter_times(tight_policy, staff_of, child_details,
                                               report_details, traveller):
    national = load_policy("national")
    assert tight_policy.clock("medium").first_review_hours < national.clock(
        "medium").first_review_hours
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    assert pending(episode, Kind.NATIONAL_UNIT).due_at == episode.reported_at + 48 * H
    assessment = grade_it(episode, people.officer, "medium")
    assert assessment.policy_name == "devon-and-cornwall"
    assert pending(episode).due_at == episode.reported_at + H
    assert pending(episode, Kind.INSPECTOR_REVIEW).due_at == episode.reported_at + 12 * H
    review_complete(actor=people.sergeant, now=clock.now(), episode=episode, notes="Seen")
    review = pending(episode)
    assert review.due_at == clock.now() + 3 * H
    # The unacknowledged escalation climbs after the overlay's half hour, not the national hour.
    traveller.move_to(review.due_at + MINUTE)
    sweep(now=clock.now())
    traveller.shift(31 * MINUTE)
    sweep(now=clock.now())
    assert list(Escalation.objects.filter(deadline=review).values_list("level", flat=True)) == [
        1, 2]


def test_a_tighter_overlay_expires_no_apparent_risk_sooner(tight_policy, staff_of,
                                                            child_details, report_details,
                                                            traveller):
    people = staff_of("devon-and-cornwall")
    episode = report(people, child_details, report_details)
    grade_it(episode, people.officer, "no_apparent_risk")
    assert pending(episode, Kind.REGRADE).due_at == episode.reported_at + 8 * H


def test_an_overlay_may_not_loosen_the_clocks(tmp_path):
    from mispers.risk.policy import OverlayError

    path = tmp_path / "devon-and-cornwall.toml"
    path.write_text(TIGHT.replace("first_review_hours = 1", "first_review_hours = 5"),
                    encoding="utf-8")
    with pytest.raises(OverlayError, match="loosen"):
        load_policy_file(path)


@pytest.mark.parametrize("kind, rank, expected", [
    ("review", "sergeant", "inspector"),        # a sergeant's review overdue: the inspector
    ("review", "inspector", "inspector"),       # high risk: the inspector reviewer told at once
    ("review", "superintendent", None),         # nobody above a superintendent
    ("action", "officer", "sergeant"),          # everything else: one rank up
    ("handover", "sergeant", "inspector"),
    ("superintendent_informed", "inspector", "superintendent"),
])
def test_first_escalation_rank(kind, rank, expected):
    assert clocks.first_escalation_rank(kind=kind, rank=rank) == expected
