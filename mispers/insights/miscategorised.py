"""Possibly miscategorised (issue 12, ADR 40): episodes first graded no apparent risk or low
where later information showed a high-risk factor. The coordinator reviews each and records a
finding; findings of "wrongly graded" count in the grading-consistency figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from mispers.people.models import Marker
from mispers.returns.models import Condition
from mispers.risk.models import Assessment

from .measures import counted_episodes
from .models import GradingFinding
from .period import Period

LOW_GRADES = ("no_apparent_risk", "low")
HARMED = {Condition.HARMED, Condition.CRIME_VICTIM, Condition.SEXUAL_OFFENCE_VICTIM,
          Condition.DECEASED}
SIGNS = {
    "marker": "A marker was active when the child was reported",
    "harm": "Harmed, a victim, or deceased when found",
    "indicators": "Exploitation indicators disclosed at an interview",
    "regraded_high": "Re-graded high later in the episode",
}


@dataclass(frozen=True)
class Candidate:
    episode: object
    first: Assessment
    signs: tuple[str, ...]
    finding: GradingFinding | None


def possibly_miscategorised(*, force_id, period: Period) -> list[Candidate]:
    """The period's counted episodes whose first assessment chose no apparent risk or low, with
    the signs found since; reviewed ones carry their finding. Oldest report first."""
    first_low = Assessment.objects.filter(sequence=1, chosen_grade__in=LOW_GRADES)
    episodes = (counted_episodes(force_id=force_id, period=period)
                .filter(assessments__in=first_low)
                .select_related("child", "found", "prevention_interview",
                                "return_home_interview", "grading_finding")
                .prefetch_related(Prefetch("assessments",
                                           queryset=Assessment.objects.order_by("sequence"),
                                           to_attr="graded"))
                .order_by("reported_at"))
    episodes = list(episodes)
    markers = {}
    for marker in Marker.objects.filter(child_id__in={e.child_id for e in episodes}):
        markers.setdefault(marker.child_id, []).append(marker)
    found = []
    for episode in episodes:
        first, later = episode.graded[0], episode.graded[1:]
        signs = []
        day = episode.reported_at.date()
        if first.exploitation_marker or any(m.active_on(day)
                                            for m in markers.get(episode.child_id, [])):
            signs.append("marker")
        record = getattr(episode, "found", None)
        if record is not None and (record.condition in HARMED or record.harms):
            signs.append("harm")
        interviews = [getattr(episode, name, None)
                      for name in ("prevention_interview", "return_home_interview")]
        if any(i is not None and i.indicators for i in interviews):
            signs.append("indicators")
        if any(a.effective_grade == "high" for a in later):
            signs.append("regraded_high")
        if signs:
            found.append(Candidate(episode=episode, first=first, signs=tuple(signs),
                                   finding=getattr(episode, "grading_finding", None)))
    return found


def wrongly_graded_episodes(*, episode_ids) -> set:
    """Of these episodes, those found wrongly graded on review."""
    return set(GradingFinding.objects.filter(
        Q(episode_id__in=list(episode_ids)),
        finding=GradingFinding.Finding.WRONG).values_list("episode_id", flat=True))
