"""Is the grading right? Outcomes by grade (issue 12, ADR 40): the table Doyle and Barnes (2020)
published for Devon and Cornwall, from the force's own records, per policy version.

Counted: the period's counted episodes that have a found record (a child still missing has no
outcome yet) and a first assessment. The grade is the initial grade (the first assessment's
effective grade: what governed the response at the start). Harm: found harmed, a victim of
crime or of a sexual offence, or deceased, or any harm recorded on the found record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mispers.returns.models import Condition, FoundRecord
from mispers.risk.models import Assessment
from mispers.risk.policy.model import GRADES

from .consistency import wilson
from .measures import counted_episodes
from .period import Period

HARMED = {Condition.HARMED, Condition.CRIME_VICTIM, Condition.SEXUAL_OFFENCE_VICTIM,
          Condition.DECEASED}


@dataclass(frozen=True)
class GradeOutcome:
    grade: str
    found: int
    harmed: int

    @property
    def rate(self) -> float | None:
        return self.harmed / self.found if self.found else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.harmed, self.found) if self.found else None


@dataclass(frozen=True)
class Outcomes:
    policy_version: str
    by_grade: list[GradeOutcome]

    @property
    def found(self) -> int:
        return sum(g.found for g in self.by_grade)

    @property
    def harmed(self) -> int:
        return sum(g.harmed for g in self.by_grade)

    @property
    def harmed_not_high(self) -> float | None:
        """Of the children harmed, the share whose episode was not graded high."""
        high = next(g for g in self.by_grade if g.grade == "high")
        return (self.harmed - high.harmed) / self.harmed if self.harmed else None

    @property
    def high_no_harm(self) -> float | None:
        """Of the episodes graded high, the share that came to no harm."""
        high = next(g for g in self.by_grade if g.grade == "high")
        return (high.found - high.harmed) / high.found if high.found else None


def outcomes_by_grade(*, force_id, period: Period) -> list[Outcomes]:
    """One table per policy version the period's first assessments were made under, newest
    version first; an "all versions" table first when there is more than one."""
    episodes = counted_episodes(force_id=force_id, period=period)
    found = {r["episode_id"]: r for r in FoundRecord.objects.filter(
        episode__in=episodes).values("episode_id", "condition", "harms")}
    counts: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for a in Assessment.objects.filter(episode_id__in=list(found), sequence=1):
        record = found[a.episode_id]
        harmed = record["condition"] in HARMED or bool(record["harms"])
        for version in (a.policy_version, "all"):
            cell = counts[version][a.effective_grade]
            cell[0] += 1
            cell[1] += harmed
    versions = sorted((v for v in counts if v != "all"), reverse=True)
    if len(versions) > 1:
        versions.insert(0, "all")
    return [Outcomes(policy_version=v, by_grade=[
        GradeOutcome(grade=g, found=counts[v][g][0], harmed=counts[v][g][1])
        for g in reversed(GRADES)]) for v in versions]
