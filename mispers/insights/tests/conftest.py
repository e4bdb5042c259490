"""A small force whose every figure is known by hand (docs/insight-definitions.md)."""

import datetime as dt

import pytest
from django.utils import timezone

from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.interviews import prevention_interview_workflow
from mispers.casework.report import episode_report
from mispers.casework.withdraw import episode_withdraw
from mispers.people.models import Child
from mispers.risk.policy import FACTORS
from mispers.risk.services import AnswerInput


def at(day: int, hour: int = 12, month: int = 3) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hour))


@pytest.fixture
def force_data(call_handler, officer, inspector, force, child_details, report_details):
    def report(child_or_name, when, **more):
        details = report_details(reported_at=when, last_seen_at=when - dt.timedelta(hours=1),
                                 **more)
        if isinstance(child_or_name, Child):
            return episode_report(actor=call_handler, now=when, child=child_or_name,
                                  details=details)
        return episode_report(actor=call_handler, now=when, details=details,
                              new_child=child_details(given_name=child_or_name,
                                                      family_name="Counted"))

    def grade(episode, when, chosen, answer="no"):
        assessment_record(actor=officer, now=when, episode=episode, chosen_grade=chosen,
                          answers={code: AnswerInput(answer=answer) for code in FACTORS},
                          rationale="Known to stay with a friend")

    def found(episode, when, condition="safe_and_well", harms=(), found_by="police"):
        return_record(actor=officer, now=when, episode=episode, found_at=when,
                      found_where="A friend's flat", found_by=found_by, condition=condition,
                      harms=harms)

    # Amy: three episodes in March, the second and third repeats; found in 10 hours each.
    a1 = report("Amy", at(2))
    amy = a1.child
    grade(a1, at(2, 13), "high")
    found(a1, at(2, 22))
    prevention_interview_workflow(actor=officer, now=at(3, 9), episode=a1, held_at=at(3, 9),
                                  where_child_was="A friend's", why_left="A row",
                                  child_account="I was fine.")
    a2 = report(amy, at(10))
    grade(a2, at(10, 13), "medium")
    found(a2, at(10, 22))
    a3 = report(amy, at(20))
    grade(a3, at(20, 13), "medium")
    found(a3, at(23, 13), condition="harmed", harms=["physical", "exploitation"])  # 3 days
    # Ben: graded low below a medium recommendation (unknown answers): waits, so medium governs.
    b1 = report("Ben", at(5))
    grade(b1, at(5, 13), "low", answer="unknown")
    # Cal: reported in February (outside), and again in March (a repeat of it).
    c0 = report("Cal", at(20, month=2))
    grade(c0, at(20, 13, month=2), "low")
    c1 = report(c0.child, at(8))
    # Dee: reported in March, withdrawn: not counted.
    d1 = report("Dee", at(12))
    episode_withdraw(actor=inspector, now=at(12, 13), episode=d1, reason="Made in error")
    # Eve: reported on 31 March at 23:30 (still in March in London), found after 30 hours;
    # graded no apparent risk below the recommendation: the recommendation governs until a
    # sergeant ratifies it.
    e1 = report("Eve", timezone.make_aware(dt.datetime(2026, 3, 31, 23, 30)))
    grade(e1, timezone.make_aware(dt.datetime(2026, 3, 31, 23, 45)), "no_apparent_risk")
    found(e1, timezone.make_aware(dt.datetime(2026, 4, 2, 5, 30)), found_by="own_accord")
    return {"amy": amy, "episodes": [a1, a2, a3, b1, c1, e1], "c1": c1}
