"""Plan a force's synthetic history: who the children are, when each goes missing, what the call
handler is told and what grade is chosen. Pure and deterministic: everything comes from one
`random.Random(seed)` and the anchor date `until`; nothing here reads the clock or the database.
`generator.py` then writes the plan through the services, in time order.

Calibration targets are DOMAIN.md section 8; docs/adr/0004 explains the choices.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field, replace

from mispers.risk import policy as risk_policy

from . import names
from .answers import Answer, Choice, EpisodeFacts, Traits, answers_for, choose_grade, traits_for
from .people import (
    ETHNICITY_WEIGHTS,
    StaffPlan,
    age_on,
    child_identity,
    date_of_birth_for,
    local_authorities,
    pick,
    plan_staff,
)
from .places import Haunts, PlacePlan, PlacesPlanner

WINDOW = dt.timedelta(days=730)
OPEN_WINDOW = dt.timedelta(days=3)
CONTEXT_WINDOW = dt.timedelta(days=90)
HOUR = dt.timedelta(hours=1)

# Age of a child at their first episode in the window (children, not incidents: heavy
# repeaters are mostly 14 to 16, which moves the incident mix older).
AGE_WEIGHTS = {8: 1.5, 9: 2.0, 10: 3.0, 11: 4.0, 12: 3.0, 13: 13.0, 14: 21.0, 15: 21.0,
               16: 19.0, 17: 11.0}
LOOKED_AFTER = 0.19  # of children; they repeat more (about 36% of incidents)
LOOKED_AFTER_REPEAT = 3.2
PARETO_ALPHA = 1.25
# Reports by hour of day: most come in the evening and at night.
HOUR_WEIGHTS = [3, 2, 2, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 10, 8, 5]
MISSING_FROM_LAC = [("care", 0.85), ("school", 0.07), ("other", 0.05), ("hospital", 0.03)]
MISSING_FROM_HOME = [("home", 0.86), ("school", 0.07), ("other", 0.05), ("hospital", 0.02)]
EXPLOITED_GIRLS = 0.69
EXPLOITATION_SHARE = 0.09


@dataclass
class ChildPlan:
    index: int
    identity: dict
    sex: str
    ethnicity: str
    looked_after: bool
    age_first: int
    traits: Traits
    weight: float
    count: int = 1
    times: list[dt.datetime] = field(default_factory=list)
    date_of_birth: dt.date | None = None
    marker_after: int | None = None
    marker_at: dt.datetime | None = None
    marker_note: str = ""
    # Places (keys into Plan.places; places.py): a looked-after child's placement, the child's
    # home (not a looked-after child's), a relative's, a school and, for a repeat child, the
    # places they keep going back to.
    home_town: str = ""
    placement: int | None = None
    home: int | None = None
    relative: int | None = None
    school: int | None = None
    haunts: Haunts | None = None


@dataclass
class EpisodePlan:
    child: ChildPlan
    index: int
    reported_at: dt.datetime
    report: dict
    assessor: int
    assessed_at: dt.datetime
    answers: dict[str, Answer]
    context: risk_policy.Context
    recommended: str
    choice: Choice
    review: str = ""  # "ratify", "decline" or "" (none needed, or left pending)
    reviewer: int | None = None
    reviewed_at: dt.datetime | None = None
    review_note: str = ""
    closed_at: dt.datetime | None = None
    seen: str = ""  # the names.PLACES_SEEN phrase the caller used
    missing_from_place: int | None = None
    last_seen_place: int | None = None
    # Where the child is found unless they came back home or to the placement: a place key
    # (or None) and the note.
    found_away: tuple[int | None, str] = (None, "")


@dataclass
class Plan:
    staff: list[StaffPlan]
    children: list[ChildPlan]
    episodes: list[EpisodePlan]  # in order of report
    places: list[PlacePlan] = field(default_factory=list)


def _weighted_allocation(rng: random.Random, weights: list[float], total: int,
                         cap: int) -> list[int]:
    """Split `total` into whole shares proportional to `weights`, none above `cap`."""
    shares = [0] * len(weights)
    remaining, active = total, list(range(len(weights)))
    while remaining > 0 and active:
        weight_sum = sum(weights[i] for i in active)
        exact = {i: remaining * weights[i] / weight_sum for i in active}
        given = {i: min(cap - shares[i], math.floor(exact[i])) for i in active}
        leftover = remaining - sum(given.values())
        # Largest remainders first; ties broken by the generator, never by hash order.
        order = sorted(active, key=lambda i: (exact[i] - math.floor(exact[i]), rng.random()),
                       reverse=True)
        for i in order:
            if leftover <= 0:
                break
            if shares[i] + given[i] < cap:
                given[i] += 1
                leftover -= 1
        for i in active:
            shares[i] += given[i]
        remaining = total - sum(shares)
        active = [i for i in active if shares[i] < cap]
    return shares


class Planner:
    def __init__(self, *, seed: int, force_code: str, force_name: str, children: int,
                 episodes: int, until: dt.datetime, open_recent: int, policy) -> None:
        if children < 1 or episodes < children:
            raise ValueError("Need at least one child and at least one episode per child")
        self.rng = random.Random(seed)
        self.force_code, self.force_name = force_code, force_name
        self.n_children, self.n_episodes = children, episodes
        self.until, self.open_recent, self.policy = until, open_recent, policy
        self.start = until - WINDOW
        # Places draw from their own Random: the rest of the plan is as it was without them.
        self.places = PlacesPlanner(random.Random(f"{seed}-places"), force_code=force_code,
                                    force_name=force_name)

    def plan(self) -> Plan:
        staff = self.staff = plan_staff(self.rng, force_code=self.force_code)
        children = self._children()
        self._allocate(children)
        for child in children:
            child.times = self._times(child.count)
        self._open_recent(children)
        for child in children:
            child.date_of_birth = date_of_birth_for(self.rng, child.age_first, child.times)
        self._markers(children)
        self.places.settle(children, authorities=local_authorities(self.force_code,
                                                                   self.force_name))
        episodes = [self._episode(child, index, staff)
                    for child in children for index in range(child.count)]
        episodes.sort(key=lambda ep: ep.reported_at)
        self.places.place_episodes(episodes)
        self._closures(episodes)
        return Plan(staff=staff, children=children, episodes=episodes,
                    places=self.places.places)

    # --- children ----------------------------------------------------------------------

    def _quota(self, pairs, n: int) -> list:
        """`n` values in the proportions of (value, weight) pairs, shuffled: small runs keep
        the calibrated shares instead of drifting with independent draws."""
        counts = _weighted_allocation(self.rng, [w for _, w in pairs], n, n)
        values = [value for (value, _), count in zip(pairs, counts, strict=True)
                  for _ in range(count)]
        self.rng.shuffle(values)
        return values

    def _children(self) -> list[ChildPlan]:
        n = self.n_children
        sexes = self._quota([("female", 0.5), ("male", 0.5)], n)
        looked_after = self._quota([(True, LOOKED_AFTER), (False, 1 - LOOKED_AFTER)], n)
        ages = self._quota(list(AGE_WEIGHTS.items()), n)
        # Heavy tail of repeat missing: Pareto quantiles, dealt out at random.
        tail = [min((1 - (i + 0.5) / n) ** (-1 / PARETO_ALPHA), 60.0) for i in range(n)]
        self.rng.shuffle(tail)
        return [self._child(i, sexes[i], looked_after[i], ages[i], tail[i]) for i in range(n)]

    def _child(self, index: int, sex: str, looked_after: bool, age_first: int,
               weight: float) -> ChildPlan:
        rng = self.rng
        ethnicity = pick(rng, ETHNICITY_WEIGHTS)
        chance = (0.075 if sex == "female" else 0.034) * (2.5 if looked_after else 0.8)
        exploited = age_first >= 13 and rng.random() < chance
        weight *= LOOKED_AFTER_REPEAT if looked_after else 1.0
        weight *= 2.0 if exploited else 1.0
        weight *= 0.6 if age_first <= 11 else 1.0
        identity = child_identity(rng, sex=sex, ethnicity=ethnicity, looked_after=looked_after,
                                  force_code=self.force_code, force_name=self.force_name)
        return ChildPlan(index=index, identity=identity, sex=sex, ethnicity=ethnicity,
                         looked_after=looked_after, age_first=age_first,
                         traits=traits_for(rng, looked_after=looked_after, exploited=exploited),
                         weight=weight)

    def _allocate(self, children: list[ChildPlan]) -> None:
        fair = math.ceil(self.n_episodes / self.n_children)
        cap = max(min(80, self.n_episodes // 12), 3 * fair) - 1
        extras = _weighted_allocation(self.rng, [c.weight for c in children],
                                      self.n_episodes - len(children), cap)
        for child, extra in zip(children, extras, strict=True):
            child.count = 1 + extra

    def _report_time(self, day: dt.datetime) -> dt.datetime:
        hour = self.rng.choices(range(24), HOUR_WEIGHTS)[0]
        return day.replace(hour=0, minute=0, second=0) + dt.timedelta(
            hours=hour, minutes=self.rng.randrange(60))

    def _times(self, count: int) -> list[dt.datetime]:
        """Report times of one child's episodes: gaps are a mix of short (over half of first
        repeats within four weeks) and long, squeezed into the window for heavy repeaters."""
        rng = self.rng
        gaps = []
        for _ in range(count - 1):
            median = 6.0 if rng.random() < 0.6 else 50.0
            gaps.append(max(1.0, rng.lognormvariate(math.log(median), 0.8)))
        span = sum(gaps)
        limit = WINDOW.days - 5
        if span > limit:
            factor = limit * rng.uniform(0.6, 1.0) / span
            gaps = [max(1.0, gap * factor) for gap in gaps]
            span = sum(gaps)
        offset = rng.uniform(0, max(0.0, WINDOW.days - 4 - span))
        days = [offset]
        for gap in gaps:
            days.append(days[-1] + max(1, round(gap)))
        return [self._report_time(self.start + dt.timedelta(days=int(d))) for d in days]

    def _open_recent(self, children: list[ChildPlan]) -> None:
        """Make sure about `open_recent` children have an episode in the last three days."""
        edge = self.until - OPEN_WINDOW
        recent = [c for c in children if c.times[-1] >= edge]
        need = self.open_recent - len(recent)
        if need <= 0:
            return
        others = sorted((c for c in children if c.times[-1] < edge),
                        key=lambda c: c.times[-1], reverse=True)
        pool = others[: max(need * 3, need)]
        for child in self.rng.sample(pool, min(need, len(pool))):
            back = dt.timedelta(minutes=self.rng.randrange(4 * 60, 70 * 60))
            child.times[-1] = self.until - back

    def _markers(self, children: list[ChildPlan]) -> None:
        """Add exploitation markers until about 9% of incidents carry one, about 69% of those
        incidents being girls'. A marker is added after the episode at which concerns come to
        light (usually the first in the window) and is active for every later episode."""
        rng = self.rng
        target = round(EXPLOITATION_SHARE * self.n_episodes)
        marked = [c for c in children if c.traits.exploited and c.count >= 2]
        spare = [c for c in children if not c.traits.exploited and c.count >= 2
                 and c.age_first >= 13]
        rng.shuffle(marked)
        rng.shuffle(spare)
        for child in marked:
            child.marker_after = 0

        def tally(sex: str | None = None) -> int:
            return sum(c.count - c.marker_after - 1 for c in marked if sex in (None, c.sex))

        for _ in range(4 * len(children)):
            total, girls = tally(), tally("female")
            share = girls / total if total else EXPLOITED_GIRLS
            girls_short = share < EXPLOITED_GIRLS
            balanced = abs(share - EXPLOITED_GIRLS) < 0.05
            if total < target or (not balanced and total <= target * 1.1):
                want = "female" if girls_short else "male"
                child = next((c for c in spare if c.sex == want), None)
                if child is None:
                    break
                spare.remove(child)
                child.traits = replace(child.traits, exploited=True)
                child.marker_after = 0
                marked.append(child)
            elif total > target:
                drop = "male" if girls_short else "female"
                child = next((c for c in marked if c.sex == drop), marked[0])
                child.marker_after = min(child.count - 1, child.marker_after + total - target)
                if child.marker_after >= child.count - 1:
                    marked.remove(child)
                    child.marker_after = None
            else:
                break
        for child in marked:
            k = child.marker_after
            latest = min(child.times[k + 1] - HOUR, self.until - HOUR)
            child.marker_at = min(child.times[k] + dt.timedelta(
                minutes=rng.randrange(5 * 60, 20 * 60)), latest)
            child.marker_note = rng.choice(names.MARKER_NOTES)

    # --- episodes ----------------------------------------------------------------------

    def _episode(self, child: ChildPlan, index: int, staff: list[StaffPlan]) -> EpisodePlan:
        rng = self.rng
        reported_at = child.times[index]
        missing_from = pick(rng, MISSING_FROM_LAC if child.looked_after else MISSING_FROM_HOME)
        graders = [i for i, s in enumerate(staff) if s.grades]
        assessor = rng.choices(graders, [staff[i].busy for i in graders])[0]
        assessed_at = reported_at + dt.timedelta(minutes=rng.randrange(4, 40))
        marker_active = child.marker_at is not None and child.marker_at < assessed_at
        facts = EpisodeFacts(
            missing_from=missing_from, index=index, marker_active=marker_active,
            concern_raised=child.marker_after == index, month=reported_at.month,
            ethnicity=child.ethnicity)
        answers = answers_for(rng, traits=child.traits, facts=facts, reported_at=reported_at,
                              assessed_at=assessed_at)
        earlier = sum(1 for t in child.times[:index] if t >= reported_at - CONTEXT_WINDOW)
        context = risk_policy.Context(
            age=age_on(child.date_of_birth, reported_at.date()),
            looked_after=child.looked_after, missing_from=missing_from,
            earlier_episodes_90d=earlier, exploitation_marker=marker_active)
        recommendation = risk_policy.recommend(
            {code: a.answer for code, a in answers.items()}, context, self.policy)
        choice = choose_grade(rng, recommendation=recommendation, policy=self.policy,
                              downgrader=staff[assessor].downgrader, repeat=index > 0)
        report, seen = self._report(child, missing_from, reported_at)
        return EpisodePlan(child=child, index=index, reported_at=reported_at, report=report,
                           assessor=assessor, assessed_at=assessed_at, answers=answers,
                           context=context, recommended=recommendation.grade, choice=choice,
                           seen=seen)

    def _report(self, child: ChildPlan, missing_from: str,
                reported_at: dt.datetime) -> tuple[dict, str]:
        """What the caller says, and the names.PLACES_SEEN phrase they used for where the child
        was last seen (places.py turns it into a place)."""
        rng = self.rng
        town = child.identity["town"]
        delay = dt.timedelta(minutes=rng.randrange(60, 6 * 60 if child.looked_after else 12 * 60))
        relationship = pick(rng, names.REPORTERS[missing_from])
        given = rng.choice(names.STAFF_GIVEN)
        family = (child.identity["family_name"]
                  if missing_from == "home" and relationship != "Grandparent"
                  else rng.choice(names.FAMILY["white"]))
        hour = f"{rng.choice([20, 21, 22, 23])}:00"
        contact = f"07700 900{rng.randrange(1000):03d}"
        seen = rng.choice(names.PLACES_SEEN)
        return {
            "reported_by_name": f"{given} {family}",
            "reported_by_relationship": relationship,
            "reported_by_contact": contact,
            "last_seen_at": reported_at - delay,
            "last_seen_where": f"{seen.capitalize()}, {town}",
            "missing_from": missing_from,
            "circumstances": rng.choice(names.CIRCUMSTANCES[missing_from]).format(hour=hour),
            "clothing": f"{rng.choice(names.TOPS).capitalize()}, {rng.choice(names.BOTTOMS)}, "
                        f"{rng.choice(names.SHOES)}",
            "possible_whereabouts": rng.choice(names.WHEREABOUTS).format(
                town=town, place=rng.choice(names.PLACES_SEEN)),
        }, seen

    def _closures(self, episodes: list[EpisodePlan]) -> None:
        """Reviews of downgrades, and closure of everything but the latest episodes."""
        rng = self.rng
        edge = self.until - OPEN_WINDOW
        latest = {}
        for ep in episodes:
            latest[ep.child.index] = ep
        recent = sorted((ep for ep in latest.values() if ep.reported_at >= edge),
                        key=lambda ep: ep.reported_at, reverse=True)
        stay_open = {id(ep) for ep in recent[: self.open_recent]}
        for ep in episodes:
            open_now = id(ep) in stay_open
            self._review(ep, open_now=open_now)
            if open_now:
                continue
            nxt = ep.index + 1
            next_report = ep.child.times[nxt] if nxt < ep.child.count else self.until
            band = rng.choices([(1, 24), (24, 48), (48, 168), (168, 400)],
                               [0.75, 0.10, 0.13, 0.02])[0]
            closed = ep.reported_at + dt.timedelta(minutes=rng.randrange(band[0] * 60,
                                                                          band[1] * 60))
            floor = (ep.reviewed_at or ep.assessed_at) + dt.timedelta(minutes=5)
            ceiling = min(next_report - dt.timedelta(minutes=30), self.until - HOUR / 60)
            ep.closed_at = max(floor, min(closed, ceiling))

    def _review(self, ep: EpisodePlan, *, open_now: bool) -> None:
        if ep.choice.grade == ep.recommended or risk_policy.grade_rank(
                ep.choice.grade) > risk_policy.grade_rank(ep.recommended):
            return
        rng = self.rng
        draw = rng.random()
        if open_now and draw < 0.7:
            return  # still waiting for a supervisor: the demo's ratification queue
        ep.review = "decline" if draw > 0.86 else "ratify"
        needed = self.policy.required_ratification_rank(ep.recommended)
        rank = "inspector" if needed == "inspector" or rng.random() < 0.1 else "sergeant"
        ep.reviewer = rng.choice([i for i, s in enumerate(self.staff) if s.rank == rank])
        ep.reviewed_at = ep.assessed_at + dt.timedelta(minutes=rng.randrange(20, 180))
        ep.review_note = rng.choice(names.DECLINE_NOTES if ep.review == "decline"
                                    else names.RATIFY_NOTES)
