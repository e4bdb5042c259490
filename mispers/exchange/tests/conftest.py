"""The exchange and hub tests' force: a few children and episodes made through the services,
and `mispers export` run on it."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.interviews import prevention_interview_workflow
from mispers.casework.report import episode_report
from mispers.people.services import marker_add
from mispers.risk.policy import FACTORS
from mispers.risk.services import AnswerInput

H = dt.timedelta(hours=1)


@pytest.fixture
def history(call_handler, officer, make_user, force, now, child_details, report_details):
    """Amira: reported, graded high, found, interviewed (she disclosed criminal exploitation),
    with a marker. Zara: reported and graded medium, still missing. Amira reported again under
    a second record, to be merged later."""
    start = now - 48 * H

    def report(when, **child):
        return episode_report(actor=call_handler, now=when, new_child=child_details(**child),
                              details=report_details(reported_at=when,
                                                     last_seen_at=when - 2 * H))

    def grade(episode, when, chosen):
        assessment_record(actor=officer, now=when, episode=episode, chosen_grade=chosen,
                          answers={code: AnswerInput(answer="no") for code in FACTORS},
                          rationale="Known to the force")

    amira = report(start, home_address="4 Harbour View, Plymouth PL4 8AA")
    grade(amira, start + H, "high")
    return_record(actor=officer, now=start + 10 * H, episode=amira, found_at=start + 10 * H,
                  found_where="A friend's flat", found_by="police", condition="safe_and_well",
                  harms=[])
    prevention_interview_workflow(actor=officer, now=start + 20 * H, episode=amira,
                                  held_at=start + 20 * H, where_child_was="A flat",
                                  why_left="A row", child_account="I was fine.",
                                  indicators=["criminal_exploitation"])
    marker_add(actor=officer, now=start, child=amira.child, kind="exploitation",
               subtype="criminal", active_from=start.date())
    zara = report(start + 2 * H, given_name="Zara", family_name="Okafor",
                  date_of_birth=dt.date(2010, 2, 3))
    grade(zara, start + 3 * H, "medium")
    again = report(start + 30 * H, given_name="Amirah")
    return {"amira": amira, "zara": zara, "again": again,
            "coordinator": make_user(force=force, roles=["coordinator"], username="coord")}


def export(force, out, *args) -> tuple[str, list[dict]]:
    text = io.StringIO()
    call_command("export", "--force", force.pk, "--out", str(out), *args, stdout=text)
    name = text.getvalue().split(":")[0]
    lines = [json.loads(line) for line in open(name, encoding="utf-8")]
    return name, lines
