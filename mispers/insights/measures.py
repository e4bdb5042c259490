"""The force's figures for a period, computed exactly as docs/insight-definitions.md defines
them. This is the reference implementation: a fixed number of queries (values, not model
instances) and plain Python over them, easy to check line by line against the definitions.
Faster engines for large forces must give the same numbers (issue 12)."""

from __future__ import annotations

import datetime as dt
import tomllib
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone

from mispers.episodes.models import Episode, Grade, MissingFrom
from mispers.people.models import Child
from mispers.repeats.counting import concentration, top_children
from mispers.returns.models import (
    Condition,
    FoundBy,
    FoundRecord,
    Harm,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from mispers.reviews.models import Deadline
from mispers.risk.models import Assessment
from mispers.risk.policy.model import grade_rank

from .period import Period

NOT_GRADED = "not_graded"
GRADES = [Grade.HIGH, Grade.MEDIUM, Grade.LOW, Grade.NO_APPARENT_RISK]
BANDS = [("under_24h", "Under 24 hours"), ("24_48h", "24 to 48 hours"),
         ("2_7d", "2 to 7 days"), ("over_7d", "Over 7 days"), ("still_missing", "Still missing")]
REVIEW_KINDS = (Deadline.Kind.REVIEW, Deadline.Kind.INSPECTOR_REVIEW, Deadline.Kind.REGRADE,
                Deadline.Kind.REASSESSMENT)
REPEAT_DAYS = 365
RHI_OFFER_HOURS = 72


# A self-defined ethnicity filter may name a census category or its high-level group (the
# first word of the code, people.models.ethnic_group): analysing disproportionality starts
# with the five groups, whose categories are too small on their own in most forces.
ETHNIC_GROUPS = [("white", "White"), ("mixed", "Mixed or multiple ethnic groups"),
                 ("asian", "Asian or Asian British"),
                 ("black", "Black, Black British, Caribbean or African"),
                 ("other", "Other ethnic group")]
AGE_BANDS = [("under_12", "Under 12", 0, 11), ("12_13", "12 to 13", 12, 13),
             ("14_15", "14 to 15", 14, 15), ("16_17", "16 to 17", 16, 17)]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Filters:
    """Which of the period's episodes the figures are about (all when empty). Team and area are
    the episode's; age band and looked after the child's at the report; sex and self-defined
    ethnicity (a census category or a group code) the child's record now; grade the initial
    grade (the first assessment's effective grade, NOT_GRADED when there is none)."""

    team_id: int | None = None
    area_id: int | None = None
    age_band: str = ""
    sex: str = ""
    looked_after: bool | None = None
    missing_from: str = ""
    ethnicity: str = ""
    grade: str = ""

    def apply(self, episodes):
        """The filters SQL can apply alone; the ones that need the first assessment (age band,
        looked after, grade) are applied by `force_figures` on the rows."""
        if self.team_id:
            episodes = episodes.filter(team_id=self.team_id)
        if self.area_id:
            episodes = episodes.filter(area_id=self.area_id)
        if self.sex:
            episodes = episodes.filter(child__sex=self.sex)
        if self.missing_from:
            episodes = episodes.filter(missing_from=self.missing_from)
        if self.ethnicity in dict(ETHNIC_GROUPS):
            episodes = episodes.filter(child__ethnicity__startswith=f"{self.ethnicity}_")
        elif self.ethnicity:
            episodes = episodes.filter(child__ethnicity=self.ethnicity)
        return episodes

    @property
    def on_first_assessment(self) -> bool:
        return bool(self.age_band or self.grade) or self.looked_after is not None


NO_FILTERS = Filters()


@dataclass(frozen=True)
class Share:
    """A count out of a denominator; `rate` is None when there is nothing to divide by."""

    count: int
    of: int

    @property
    def rate(self) -> float | None:
        return self.count / self.of if self.of else None


@dataclass
class Figures:
    """Every figure of one force and one period (docs/insight-definitions.md)."""

    period: Period
    incidents: int = 0
    individuals: int = 0
    repeat_incidents: int = 0
    initial_grade: dict = field(default_factory=dict)
    highest_grade: dict = field(default_factory=dict)
    final_grade: dict = field(default_factory=dict)
    no_apparent_risk: Share = Share(0, 0)
    time_missing: dict = field(default_factory=dict)
    found_by: dict = field(default_factory=dict)
    condition: dict = field(default_factory=dict)
    harm: dict = field(default_factory=dict)
    missing_from: dict = field(default_factory=dict)
    looked_after: int = 0
    # Looked after, placed by a local authority outside the force's area; None when the force's
    # authorities are not listed (data/force_authorities.toml).
    placed_by_another: int | None = None
    prevention_interview_in_time: Share = Share(0, 0)
    rhi_offered_in_72h: Share = Share(0, 0)
    rhi_accepted: Share = Share(0, 0)
    rhi_completed: Share = Share(0, 0)
    reviews_on_time: Share = Share(0, 0)
    concentration: Share = Share(0, 0)
    top_children: int = 0
    by_month: dict = field(default_factory=dict)     # "2026-03" -> incidents
    # Places (issue 11's records): (name, kind, provider, incidents, children) most first.
    missing_from_places: list = field(default_factory=list)
    found_places: list = field(default_factory=list)
    # The concentration curve: (share of children, share of incidents), children with the most
    # incidents first, at each tenth of the children.
    concentration_curve: list = field(default_factory=list)
    hour_by_day: dict = field(default_factory=dict)  # (weekday 0-6, hour 0-23) -> incidents

    @property
    def episodes_per_child(self) -> float | None:
        return self.incidents / self.individuals if self.individuals else None

    @property
    def missing_from_care(self) -> int:
        return self.missing_from.get(MissingFrom.CARE, 0)


@lru_cache(maxsize=256)  # a few dozen combinations; a model instance per row is slow at scale
def _effective(status: str, chosen: str, recommended: str) -> str:
    # The rule lives on the model (a downgrade governs only once ratified): ask it.
    return Assessment(status=status, chosen_grade=chosen,
                      recommended_grade=recommended).effective_grade


def _band(missing: dt.timedelta | None) -> str:
    if missing is None:
        return "still_missing"
    hours = missing.total_seconds() / 3600
    if hours < 24:
        return "under_24h"
    if hours < 48:
        return "24_48h"
    if hours < 7 * 24:
        return "2_7d"
    return "over_7d"


@cache
def _authorities() -> dict[str, frozenset[str]]:
    path = Path(__file__).resolve().parent / "data" / "force_authorities.toml"
    return {force: frozenset(names) for force, names in
            tomllib.loads(path.read_text(encoding="utf-8"))["authorities"].items()}


def force_authorities(force_id) -> frozenset[str] | None:
    """The local authorities of the force's area, or None where they are not listed."""
    return _authorities().get(str(force_id))


def counted_episodes(*, force_id, period: Period):
    """The period's counted episodes of the force (not withdrawn), reported in [start, end)."""
    return (Episode.objects.filter(force_id=force_id, reported_at__gte=period.start,
                                   reported_at__lt=period.end)
            .exclude(state=Episode.State.WITHDRAWN))


def _age_on(born: dt.date | None, estimated: int | None, estimated_on: dt.date | None,
            day: dt.date) -> int | None:
    # The rule lives on the model (a date of birth, or an estimate aged since): ask it.
    return Child(date_of_birth=born, estimated_age=estimated,
                 estimated_age_on=estimated_on).age_on(day)


def _age_band(age: int | None) -> str:
    for code, _label, low, high in AGE_BANDS:
        if age is not None and low <= age <= high:
            return code
    return ""


def _id(column: str) -> Cast:
    """A key read as text: the ids are only compared with each other here, and turning
    hundreds of thousands of them into UUID objects took a third of a large period's time."""
    return Cast(column, output_field=CharField())


def _as_stored(column: str) -> str:
    return column


def _filtered_rows(scope, filters: Filters, key=_as_stored) -> list[tuple]:
    """(id, child id, reported at, missing from) of `scope`'s episodes that also pass the
    filters SQL does not apply (those on the first assessment), the ids read through `key`."""
    rows = list(scope.values_list(
        key("id"), key("child_id"), "reported_at", "missing_from", "child__date_of_birth",
        "child__estimated_age", "child__estimated_age_on", "child__looked_after"))
    if filters.on_first_assessment:
        # Filters on the child at the report (age then, looked after as first assessed) and
        # on the initial grade: the first assessment's.
        first = {episode_id: (looked_after, _effective(status, chosen, recommended))
                 for episode_id, looked_after, status, chosen, recommended in
                 Assessment.objects.filter(episode__in=scope.values("id"), sequence=1)
                 .values_list(key("episode_id"), "looked_after", "status", "chosen_grade",
                              "recommended_grade")}
        rows = [r for r in rows
                if (not filters.age_band or _age_band(_age_on(
                    r[4], r[5], r[6], timezone.localdate(r[2]))) == filters.age_band)
                and (filters.looked_after is None
                     or first.get(r[0], (r[7],))[0] == filters.looked_after)
                and (not filters.grade
                     or first.get(r[0], (None, NOT_GRADED))[1] == filters.grade)]
    return [r[:4] for r in rows]


def episode_rows(*, force_id, period: Period, filters: Filters = NO_FILTERS) -> list[tuple]:
    """(id, child id, reported at, missing from) of the period's counted episodes that pass the
    filters: the one set every figure of the force picture is about."""
    return _filtered_rows(filters.apply(counted_episodes(force_id=force_id, period=period)),
                          filters)


def force_figures(*, force_id, period: Period, now: dt.datetime,
                  filters: Filters = NO_FILTERS) -> Figures:
    """Every figure of docs/insight-definitions.md for one force and period, as they stand at
    `now` (a review not yet done counts as late once its due time has passed), except "overdue
    now" (a figure of the moment: `overdue_now`)."""
    figures = Figures(period=period)
    # The related rows are read through this query as a subquery rather than a list of
    # thousands of ids (slow to build and bind), then kept when their episode is counted.
    scope = filters.apply(counted_episodes(force_id=force_id, period=period))
    episodes = _filtered_rows(scope, filters, key=_id)
    if not episodes:
        figures.time_missing = {code: 0 for code, _ in BANDS}
        return figures
    ids = [row[0] for row in episodes]
    counted = set(ids)
    in_scope = scope.values("id")
    children = {row[1] for row in episodes}
    figures.incidents = len(episodes)
    figures.individuals = len(children)
    figures.missing_from = dict(Counter(row[3] for row in episodes))
    local = [timezone.localtime(row[2]) for row in episodes]
    figures.by_month = dict(sorted(Counter(f"{when:%Y-%m}" for when in local).items()))
    figures.hour_by_day = dict(Counter((when.weekday(), when.hour) for when in local))

    # Repeat incidents: another counted episode of the child in the 365 days before.
    earlier = defaultdict(list)
    for child_id, reported in (Episode.objects.filter(
            child_id__in=scope.values("child_id"),
            reported_at__gte=period.start - dt.timedelta(days=REPEAT_DAYS),
            reported_at__lt=period.end).exclude(state=Episode.State.WITHDRAWN)
            .values_list(_id("child_id"), "reported_at")):
        earlier[child_id].append(reported)
    figures.repeat_incidents = sum(
        any(reported - dt.timedelta(days=REPEAT_DAYS) <= other < reported
            for other in earlier[child_id])
        for _, child_id, reported, _ in episodes)

    # Grades, and the looked-after status at the report, from the assessments.
    assessed = defaultdict(list)
    for episode_id, _seq, status, chosen, recommended, looked_after in (
            Assessment.objects.filter(episode__in=in_scope).order_by("episode_id", "sequence")
            .values_list(_id("episode_id"), "sequence", "status", "chosen_grade",
                         "recommended_grade", "looked_after")):
        if episode_id not in counted:
            continue
        assessed[episode_id].append((_effective(status, chosen, recommended), looked_after))
    child_looked_after, child_authority = {}, {}
    for child_id, looked_after, authority in (Child.objects.filter(
            pk__in=scope.values("child_id")).values_list(_id("id"), "looked_after",
                                                         "local_authority")):
        child_looked_after[child_id], child_authority[child_id] = looked_after, authority
    own = force_authorities(force_id)
    if own is not None:
        figures.placed_by_another = 0
    initial, highest, final = Counter(), Counter(), Counter()
    for episode_id, child_id, _reported, _from in episodes:
        grades = [grade for grade, _ in assessed.get(episode_id, [])]
        if grades:
            initial[grades[0]] += 1
            highest[max(grades, key=grade_rank)] += 1
            final[grades[-1]] += 1
            looked_after = assessed[episode_id][0][1]
        else:
            for counter in (initial, highest, final):
                counter[NOT_GRADED] += 1
            looked_after = child_looked_after.get(child_id, False)
        figures.looked_after += bool(looked_after)
        if own is not None and looked_after and child_authority.get(child_id) \
                and child_authority[child_id] not in own:
            figures.placed_by_another += 1
    figures.initial_grade, figures.highest_grade, figures.final_grade = (
        dict(initial), dict(highest), dict(final))
    graded = figures.incidents - initial.get(NOT_GRADED, 0)
    figures.no_apparent_risk = Share(initial.get(Grade.NO_APPARENT_RISK, 0), graded)

    # The return.
    found = {episode_id: (found_at, found_by, condition, harms) for
             episode_id, found_at, found_by, condition, harms in
             FoundRecord.objects.filter(episode__in=in_scope).values_list(
                 _id("episode_id"), "found_at", "found_by", "condition", "harms")
             if episode_id in counted}
    reported_at = {row[0]: row[2] for row in episodes}
    figures.time_missing = {code: 0 for code, _ in BANDS}
    for episode_id in ids:
        record = found.get(episode_id)
        band = _band(record[0] - reported_at[episode_id] if record else None)
        figures.time_missing[band] += 1
    figures.found_by = dict(Counter(record[1] for record in found.values()))
    figures.condition = dict(Counter(record[2] for record in found.values()))
    figures.harm = dict(Counter(harm for record in found.values() for harm in record[3] or ()))

    # The prevention interview: held, not waived, by its deadline.
    alive = [episode_id for episode_id, record in found.items()
             if record[2] != Condition.DECEASED]
    living = set(alive)
    held = {episode_id: held_at for episode_id, held_at in
            PreventionInterview.objects.filter(episode__in=in_scope)
            .values_list(_id("episode_id"), "held_at") if episode_id in living}
    due = {}
    for episode_id, due_at in (Deadline.objects.filter(
            episode__in=in_scope, kind=Deadline.Kind.PREVENTION_INTERVIEW)
            .order_by("episode_id", "id").values_list(_id("episode_id"), "due_at")):
        if episode_id in living:
            due.setdefault(episode_id, due_at)
    waived = {episode_id for episode_id in PreventionWaiver.objects.filter(
        episode__in=in_scope).values_list(_id("episode_id"), flat=True)
        if episode_id in living}
    in_time = sum(1 for episode_id in alive if episode_id in held and episode_id not in waived
                  and (episode_id not in due or held[episode_id] <= due[episode_id]))
    figures.prevention_interview_in_time = Share(in_time, len(alive))

    # The return-home interview: offered within 72 hours of the return; accepted; completed.
    referred = [row for row in ReturnHomeInterview.objects.filter(episode__in=in_scope)
                .values_list(_id("episode_id"), "offered_at", "response", "completed_at")
                if row[0] in counted]
    offered = sum(1 for episode_id, offered_at, _r, _c in referred
                  if offered_at is not None and episode_id in found
                  and offered_at - found[episode_id][0]
                  <= dt.timedelta(hours=RHI_OFFER_HOURS))
    figures.rhi_offered_in_72h = Share(offered, len(referred))
    figures.rhi_accepted = Share(sum(1 for row in referred
                                     if row[2] == ReturnHomeInterview.Response.ACCEPTED),
                                 len(referred))
    figures.rhi_completed = Share(sum(1 for row in referred if row[3] is not None),
                                  len(referred))

    # Supervisory reviews met on time, of those met or still overdue now.
    on_time = late = 0
    for episode_id, due_at, status, closed_at in Deadline.objects.filter(
            episode__in=in_scope, kind__in=REVIEW_KINDS,
            status__in=[Deadline.Status.MET, Deadline.Status.PENDING]).values_list(
            _id("episode_id"), "due_at", "status", "closed_at"):
        if episode_id not in counted:
            continue
        if status == Deadline.Status.MET:
            if closed_at is not None and closed_at <= due_at:
                on_time += 1
            else:
                late += 1
        elif due_at < now:
            late += 1
    figures.reviews_on_time = Share(on_time, on_time + late)

    # Places: where the period's episodes went missing from and were found.
    figures.missing_from_places = _places(
        row[1:] for row in Episode.objects.filter(pk__in=in_scope,
                                                  missing_from_place__isnull=False)
        .values_list(_id("id"), _id("missing_from_place_id"), "missing_from_place__name",
                     "missing_from_place__kind", "missing_from_place__provider__name",
                     _id("child_id")) if row[0] in counted)
    figures.found_places = _places(
        row[1:] for row in FoundRecord.objects.filter(episode__in=in_scope,
                                                      found_place__isnull=False)
        .values_list(_id("episode_id"), _id("found_place_id"), "found_place__name",
                     "found_place__kind", "found_place__provider__name",
                     _id("episode__child_id")) if row[0] in counted)

    # Concentration: the top 5% of children by incidents.
    per_child = Counter(row[1] for row in episodes)
    _children, _total, top_episodes, _share = concentration(per_child.values())
    figures.top_children = top_children(len(per_child))
    figures.concentration = Share(top_episodes, figures.incidents)
    ordered = sorted(per_child.values(), reverse=True)
    curve, running = [], 0
    marks = {max(1, round(len(ordered) * tenth / 10)) for tenth in range(1, 11)}
    for index, count in enumerate(ordered, start=1):
        running += count
        if index in marks:
            curve.append((round(index / len(ordered), 3), round(running / figures.incidents, 3)))
    figures.concentration_curve = curve
    return figures


PLACES_SHOWN = 10


def _places(rows) -> list[tuple]:
    """(name, kind, provider, incidents, children, placed there now) per place, most incidents
    first; "placed there now" counts the children whose placement is the place (a children's
    home or foster placement), so that incidents per child placed there can be read."""
    incidents, children, about = Counter(), defaultdict(set), {}
    for place_id, name, kind, provider, child_id in rows:
        incidents[place_id] += 1
        children[place_id].add(child_id)
        about[place_id] = (name, kind, provider or "")
    ranked = sorted(incidents, key=lambda key: (-incidents[key], about[key][0]))[:PLACES_SHOWN]
    # Ids here may be text (the engine reads them so; SQLite without hyphens): compare UUIDs.
    placed = Counter(uuid.UUID(str(place_id)) for place_id in Child.objects.filter(
        placement_id__in=ranked, merged_into__isnull=True).values_list("placement_id",
                                                                        flat=True))
    return [(*about[key], incidents[key], len(children[key]), placed[uuid.UUID(str(key))])
            for key in ranked]


def overdue_now(*, force_id, now: dt.datetime) -> int:
    """Pending deadlines of the force past their due time now."""
    return Deadline.objects.filter(episode__force_id=force_id, status=Deadline.Status.PENDING,
                                   due_at__lt=now).count()


LABELS = {
    **{grade.value: grade.label for grade in Grade}, NOT_GRADED: "Not graded",
    **dict(BANDS), **dict(FoundBy.choices), **dict(Condition.choices), **dict(Harm.choices),
    **dict(MissingFrom.choices),
}
