"""Answers to the risk questions for a synthetic episode, and the officer's choice of grade.

Pure functions of a `random.Random`, the child's traits and the episode: no database, no clock.
The probabilities are tuned so the national policy recommends roughly the grade mix of
DOMAIN.md section 8 for the child population the planner makes (see docs/adr/0004).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from mispers.people.models import ethnic_group
from mispers.risk import policy as risk_policy

from . import names

# The source most likely to know each answer (DOMAIN.md section 4: every answer has a source).
_RECORD_SOURCES = {
    "crime_suspected": ["PNC", "Police records"],
    "with_person_of_concern": ["PNC", "Police records", "Intelligence report"],
    "violent_incident": ["PNC", "Police records"],
    "risk_to_others": ["PNC", "Police records"],
    "previous_harm_when_missing": ["Police records"],
    "child_protection_plan": ["Social worker", "Children's services (MASH)"],
    "weather_environment": ["Officer's assessment"],
}
_REPORTER_SOURCE = {
    "care": "Reporting carer", "home": "Reporting parent", "school": "School",
    "hospital": "Ward staff", "other": "Person reporting",
}


@dataclass(frozen=True)
class Traits:
    """What is true of the child across episodes (drives the answers)."""

    self_harm: bool = False
    mental_health: bool = False
    substance: bool = False
    protection_plan: bool = False
    vulnerable: bool = False
    medical: bool = False
    exploited: bool = False


def traits_for(rng: random.Random, *, looked_after: bool, exploited: bool) -> Traits:
    care = 1.5 if looked_after else 1.0
    return Traits(
        self_harm=rng.random() < 0.025 * care,
        mental_health=rng.random() < 0.13 * care,
        substance=rng.random() < (0.2 if exploited else 0.07),
        protection_plan=not looked_after and rng.random() < 0.06,
        vulnerable=rng.random() < 0.06,
        medical=rng.random() < 0.015,
        exploited=exploited,
    )


@dataclass(frozen=True)
class EpisodeFacts:
    """What the answers depend on besides the child's traits."""

    missing_from: str
    index: int  # 0 for the child's first episode
    marker_active: bool
    concern_raised: bool  # the episode at which exploitation concerns come to light
    month: int
    ethnicity: str


def _probabilities(traits: Traits, facts: EpisodeFacts) -> dict[str, tuple[float, float]]:
    """(p_yes, p_unknown) for every national factor."""
    home = facts.missing_from == "home"
    care = facts.missing_from == "care"
    repeat = facts.index > 0
    if facts.concern_raised:
        exploitation = (0.6, 0.4)
    elif facts.marker_active:
        exploitation = (0.45, 0.3)
    elif traits.exploited:
        exploitation = (0.0, 0.25)
    else:
        exploitation = (0.002, 0.04 if care else 0.015)
    return {
        # High floor.
        "suicide_self_harm": (0.4 if traits.self_harm else 0.002, 0.012),
        "crime_suspected": (0.002, 0.008),
        "exploitation": exploitation,
        "medication": (0.35 if traits.medical else 0.001, 0.006),
        "forced_marriage_hba": (0.006 if ethnic_group(facts.ethnicity) in {"asian", "other"}
                                else 0.001, 0.004),
        "with_person_of_concern": (0.25 if traits.exploited else 0.002, 0.012),
        # Medium floor.
        "mental_health": (0.85 if traits.mental_health else 0.02, 0.02),
        "substance_misuse": (0.6 if traits.substance else 0.025, 0.015),
        "child_protection_plan": (0.95 if traits.protection_plan else 0.0, 0.01),
        "domestic_abuse": (0.06 if home else 0.01, 0.008),
        "family_conflict": (0.22 if home else 0.06, 0.008),
        "out_of_character": (0.05 if repeat else 0.22, 0.01),
        "vulnerable_interaction": (0.95 if traits.vulnerable else 0.004, 0.008),
        "physical_illness_disability": (0.012, 0.004),
        "previous_harm_when_missing": (0.06 if repeat else 0.0, 0.01 if repeat else 0.003),
        "risk_to_others": (0.02, 0.004),
        # Low floor.
        "weather_environment": (0.3 if facts.month in {11, 12, 1, 2} else 0.12, 0.01),
        "identity_or_hate_issue": (0.04, 0.02),
        "violent_incident": (0.05, 0.01),
        "school_problems": (0.35, 0.03),
        "preparation": (0.25, 0.05),
        "failed_intention": (0.12, 0.08),
        "other": (0.03, 0.0),
    }


@dataclass(frozen=True)
class Answer:
    answer: str
    source: str
    obtained_at: dt.datetime
    note: str = ""


def answers_for(rng: random.Random, *, traits: Traits, facts: EpisodeFacts,
                reported_at: dt.datetime, assessed_at: dt.datetime) -> dict[str, Answer]:
    """An answer, source and time obtained for every national question."""
    reporter = _REPORTER_SOURCE[facts.missing_from]
    window = max(60, int((assessed_at - reported_at).total_seconds()))
    result = {}
    for code, (p_yes, p_unknown) in _probabilities(traits, facts).items():
        draw = rng.random()
        answer = "yes" if draw < p_yes else "unknown" if draw < p_yes + p_unknown else "no"
        sources = _RECORD_SOURCES.get(code)
        if code == "exploitation" and (facts.missing_from == "care" or facts.marker_active):
            sources = ["Social worker", "Police records"]
        source = rng.choice(sources) if sources else reporter
        obtained = reported_at + dt.timedelta(seconds=rng.randrange(window))
        note = rng.choice(names.OTHER_NOTES) if code == "other" and answer == "yes" else ""
        result[code] = Answer(answer, source, min(obtained, assessed_at), note)
    return result


@dataclass(frozen=True)
class Choice:
    grade: str
    rationale: str = ""


def choose_grade(rng: random.Random, *, recommendation, policy, downgrader: bool,
                 repeat: bool) -> Choice:
    """The grade an officer records. Most accept the recommendation; the designated
    downgraders often go one grade lower with a reason that normalises the behaviour."""
    grades = risk_policy.GRADES
    rank = grades.index(recommendation.grade)
    p_down = (0.45 if repeat else 0.30) if downgrader else 0.015
    draw = rng.random()
    if draw < p_down and rank > 0:
        chosen = grades[rank - 1]
        rationale = rng.choice(names.RATIONALES)
    elif not downgrader and draw > 0.97 and rank < len(grades) - 1:
        chosen, rationale = grades[rank + 1], ""
    else:
        return Choice(recommendation.grade)
    try:
        risk_policy.evaluate_choice(recommendation=recommendation, chosen=chosen,
                                    rationale=rationale, policy=policy)
    except risk_policy.ChoiceError:
        return Choice(recommendation.grade)
    return Choice(chosen, rationale)
