"""Data quality (issue 12, ADR 39): the rules as data, and the reference computation of their
scores, exactly as docs/insight-definitions.md ("Data quality") defines them.

Every rule is about one kind of record (an episode, a child or a place), all reached from the
period's counted episodes (`measures.counted_episodes`): the episodes themselves, their children
and the places they name. For each rule a record is either *checked* (the rule applies to it) or
not, and a checked record either passes or is *to fix*. A score is the share of checked records
that pass. Records are judged as they stand at `now`, so a month's score rises as its records are
put right.

Like `measures.py`: a fixed number of queries reading values (no model instances), plain Python
over them. The fix list (`fix_rows`) is the one part that reads records, through the selectors
of the app that owns each, so it only ever shows what the viewer may open."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from mispers.accounts.rules import is_police_user
from mispers.episodes.models import Episode
from mispers.episodes.selectors import episodes_visible_to
from mispers.matching.models import DuplicateSuggestion
from mispers.matching.permissions import can_merge
from mispers.people.models import Child, Ethnicity
from mispers.people.selectors import children_visible_to
from mispers.places.models import Place
from mispers.places.permissions import can_use_places
from mispers.places.selectors import places_visible_to
from mispers.returns.models import ClosingSummary, FoundRecord, ReturnHomeInterview
from mispers.reviews.models import Review

from .measures import RHI_OFFER_HOURS, counted_episodes
from .period import Period

EPISODE, CHILD, PLACE = "episode", "child", "place"
IMPLAUSIBLE_DAYS = 90  # found more than this many days after the report
REVIEW_DAYS = 28  # still missing this long, with no supervisory review in as many days
STILL_MISSING = (Episode.State.REPORTED, Episode.State.OPEN)
FIX_PAGE_SIZE = 50


@dataclass(frozen=True)
class Rule:
    """One data-quality rule: what it checks and counts, who puts it right and where."""

    code: str
    label: str
    unit: str  # the kind of record: episode, child or place
    checks: str  # the records the rule applies to
    counts: str  # the records to fix, among them
    fixer: str  # who puts it right
    link: str  # the page each record of the fix list links to (a URL name)


RULES: tuple[Rule, ...] = (
    Rule("date_of_birth_missing", "Date of birth missing", CHILD,
         "children of the period's episodes",
         "no date of birth recorded (an estimated age is not a date of birth)",
         "The officer in the case, or the missing persons coordinator", "people:detail"),
    Rule("ethnicity_not_stated", "Ethnicity not stated", CHILD,
         "children of the period's episodes",
         "self-defined ethnicity recorded as “Not stated”",
         "The officer in the case (ask the child at the prevention interview)",
         "people:detail"),
    Rule("found_without_place", "Found without a found place", EPISODE,
         "episodes with a found record",
         "the place found is not a recorded place (only the free-text note)",
         "The officer who recorded the return, or their supervisor", "episodes:detail"),
    Rule("closed_without_outcome", "Closed without an outcome", EPISODE,
         "closed episodes",
         "no found record (when, by whom, the child's condition) or no closing summary",
         "The supervisor who closed the case", "episodes:detail"),
    Rule("rhi_without_outcome", "Return-home interview without an outcome after 72 hours",
         EPISODE,
         "episodes whose return-home interview was referred and whose child was found more "
         "than 72 hours ago",
         "the interview is neither completed nor declined by the child",
         "The missing persons coordinator, with the local authority or provider",
         "episodes:detail"),
    Rule("impossible_times", "Impossible times", EPISODE,
         "every episode of the period",
         "found before the time of report, or last seen after it",
         "The officer in the case, or their supervisor", "episodes:detail"),
    Rule("implausible_duration", "Implausible time missing", EPISODE,
         "episodes with a found record",
         f"found more than {IMPLAUSIBLE_DAYS} days after the time of report",
         "The officer in the case, or their supervisor", "episodes:detail"),
    Rule("duplicate_pending", "Suggested duplicate waiting for a decision", CHILD,
         "children of the period's episodes",
         "in a suggested duplicate pair still waiting for a decision",
         "The missing persons coordinator (or an inspector)", "matching:suggestion"),
    Rule("open_without_review", f"Open more than {REVIEW_DAYS} days without a review", EPISODE,
         f"episodes still missing more than {REVIEW_DAYS} days after the report",
         f"no supervisory review recorded in the last {REVIEW_DAYS} days",
         "The duty inspector", "episodes:detail"),
    Rule("place_without_postcode", "Place without a postcode", PLACE,
         "places the period's episodes name (missing from, last seen, found)",
         "no postcode recorded",
         "A supervisor or the missing persons coordinator (who correct places)",
         "places:detail"),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
EPISODE_RULES = tuple(rule for rule in RULES if rule.unit == EPISODE)


@dataclass
class Tally:
    """Records checked by a rule (or rules) and how many of them are to fix."""

    checked: int = 0
    failing: int = 0

    @property
    def passed(self) -> int:
        return self.checked - self.failing

    @property
    def score(self) -> float | None:
        """The share of checked records that pass; None when nothing was checked."""
        return self.passed / self.checked if self.checked else None

    def add(self, other: Tally) -> None:
        self.checked += other.checked
        self.failing += other.failing


def overall(tallies) -> Tally:
    """Several rules together: every check of every rule, each counted once."""
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


@dataclass
class RuleResult:
    checked: set = field(default_factory=set)
    failing: list = field(default_factory=list)  # record ids, in fix-list order
    # For the duplicate rule: the child -> the strongest pending suggestion it is in.
    targets: dict = field(default_factory=dict)


@dataclass
class Quality:
    """The data quality of one force (and team) for one period, as the records stand now."""

    period: Period
    results: dict = field(default_factory=dict)  # rule code -> RuleResult
    totals: dict = field(default_factory=dict)  # rule code -> Tally
    by_month: dict = field(default_factory=dict)  # "2026-03" -> rule code -> Tally
    by_team: dict = field(default_factory=dict)  # team id (None: no team) -> code -> Tally

    @property
    def overall(self) -> Tally:
        return overall(self.totals.values())


def months_of(period: Period) -> list[str]:
    """Every calendar month the period touches, first to last ("2026-03")."""
    months, year, month = [], period.first.year, period.first.month
    while (year, month) <= (period.last.year, period.last.month):
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def force_quality(*, force_id, period: Period, now: dt.datetime,
                  team_id: int | None = None) -> Quality:
    """Each rule's records checked and to fix, in total, by month of report and by team (the
    episode's team, for the rules about episodes). With `team_id`, only that team's episodes,
    their children and the places they name."""
    episodes = counted_episodes(force_id=force_id, period=period)
    if team_id:
        episodes = episodes.filter(team_id=team_id)
    rows = sorted(episodes.values_list(
        "id", "child_id", "reported_at", "last_seen_at", "state", "team_id",
        "missing_from_place_id", "last_seen_place_id"), key=lambda r: r[2], reverse=True)
    ids = [r[0] for r in rows]
    month = {r[0]: f"{timezone.localtime(r[2]):%Y-%m}" for r in rows}
    team = {r[0]: r[5] for r in rows}
    found = {episode_id: (found_at, place_id) for episode_id, found_at, place_id in
             FoundRecord.objects.filter(episode_id__in=ids).values_list(
                 "episode_id", "found_at", "found_place_id")}
    summarised = set(ClosingSummary.objects.filter(episode_id__in=ids)
                     .values_list("episode_id", flat=True))
    referred = dict(
        (episode_id, completed is not None or response == ReturnHomeInterview.Response.DECLINED)
        for episode_id, completed, response in ReturnHomeInterview.objects.filter(
            episode_id__in=ids).values_list("episode_id", "completed_at", "response"))
    long_missing = [r[0] for r in rows if r[4] in STILL_MISSING
                    and r[2] <= now - dt.timedelta(days=REVIEW_DAYS)]
    reviewed = set(Review.objects.filter(
        episode_id__in=long_missing, reviewed_at__gte=now - dt.timedelta(days=REVIEW_DAYS))
        .values_list("episode_id", flat=True))

    results = {rule.code: RuleResult() for rule in RULES}

    def check(code: str, record_id, fails: bool) -> None:
        results[code].checked.add(record_id)
        if fails:
            results[code].failing.append(record_id)

    rhi_due = dt.timedelta(hours=RHI_OFFER_HOURS)
    implausible = dt.timedelta(days=IMPLAUSIBLE_DAYS)
    for episode_id, _child, reported, last_seen, state, *_ in rows:  # newest first
        record = found.get(episode_id)
        found_at = record[0] if record else None
        if record:
            check("found_without_place", episode_id, record[1] is None)
            check("implausible_duration", episode_id, found_at - reported > implausible)
        if state == Episode.State.CLOSED:
            check("closed_without_outcome", episode_id,
                  record is None or episode_id not in summarised)
        if episode_id in referred and record and found_at + rhi_due <= now:
            check("rhi_without_outcome", episode_id, not referred[episode_id])
        check("impossible_times", episode_id,
              last_seen > reported or (found_at is not None and found_at < reported))
    for episode_id in long_missing:  # newest first, as the rows
        check("open_without_review", episode_id, episode_id not in reviewed)

    # Children: of the period's episodes (after merges), the latest report first.
    child_months: dict = defaultdict(set)
    for episode_id, child_id, *_ in rows:
        child_months[child_id].add(month[episode_id])
    children = list(dict.fromkeys(r[1] for r in rows))
    about = {pk: (born, ethnicity) for pk, born, ethnicity in Child.objects.filter(
        pk__in=children).values_list("pk", "date_of_birth", "ethnicity")}
    pending: dict = {}
    for pk, a, b in (DuplicateSuggestion.objects.filter(
            force_id=force_id, status=DuplicateSuggestion.Status.PENDING,
            child_a__merged_into__isnull=True, child_b__merged_into__isnull=True)
            .filter(Q(child_a_id__in=children) | Q(child_b_id__in=children))
            .order_by("-match_weight", "id").values_list("pk", "child_a_id", "child_b_id")):
        pending.setdefault(a, pk)
        pending.setdefault(b, pk)
    for child_id in children:
        born, ethnicity = about[child_id]
        check("date_of_birth_missing", child_id, born is None)
        check("ethnicity_not_stated", child_id, ethnicity == Ethnicity.NOT_STATED)
        check("duplicate_pending", child_id, child_id in pending)
    results["duplicate_pending"].targets = {c: pending[c]
                                            for c in results["duplicate_pending"].failing}

    # Places: named by the period's episodes, the most used first.
    place_months: dict = defaultdict(set)
    uses: dict = defaultdict(int)
    for episode_id, _c, _r, _l, _s, _t, missing_from, last_seen_at in rows:
        named = {missing_from, last_seen_at, (found.get(episode_id) or (None, None))[1]}
        for place_id in named - {None}:
            place_months[place_id].add(month[episode_id])
            uses[place_id] += 1
    postcodes = dict(Place.objects.filter(pk__in=list(uses), merged_into__isnull=True)
                     .values_list("pk", "postcode"))
    for place_id in sorted(postcodes, key=lambda pk: (-uses[pk], str(pk))):
        check("place_without_postcode", place_id, not postcodes[place_id])

    quality = Quality(period=period, results=results)
    groups = {EPISODE: lambda pk: [month[pk]], CHILD: lambda pk: child_months[pk],
              PLACE: lambda pk: place_months[pk]}
    quality.by_month = {m: {rule.code: Tally() for rule in RULES} for m in months_of(period)}
    for rule in RULES:
        result = results[rule.code]
        failing = set(result.failing)
        quality.totals[rule.code] = Tally(len(result.checked), len(failing))
        for record_id in result.checked:
            for each in groups[rule.unit](record_id):
                tally = quality.by_month.setdefault(each, {r.code: Tally() for r in RULES})[
                    rule.code]
                tally.checked += 1
                tally.failing += record_id in failing
            if rule.unit == EPISODE:
                tally = quality.by_team.setdefault(
                    team[record_id], {r.code: Tally() for r in EPISODE_RULES})[rule.code]
                tally.checked += 1
                tally.failing += record_id in failing
    return quality


# --- the fix list -----------------------------------------------------------------------------

# Who may open the page each rule links to: the same predicates those pages ask.
OPENS = {"episodes:detail": is_police_user, "people:detail": is_police_user,
         "places:detail": can_use_places, "matching:suggestion": can_merge}


def may_open(user, rule: Rule) -> bool:
    """Whether the fix list of `rule` is for this user: it names records (children among them),
    so only those who may open them see it (not the analyst, ADR 18)."""
    return bool(OPENS[rule.link](user))


@dataclass(frozen=True)
class FixRow:
    """One record to put right: what it is, what is wrong, and where to put it right."""

    record: str  # the episode's reference and child, the child, or the place
    detail: str
    team: str
    link_name: str
    link_id: object
    object_type: str  # for the access log: episode or child (None: a place names no child)
    object_id: object
    child_id: object


def _when(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y %H:%M}" if moment else "–"


def _episode_detail(code: str, episode: Episode, now: dt.datetime) -> str:
    found = getattr(episode, "found", None)  # None when there is no found record
    reported = f"reported {_when(episode.reported_at)}"
    if code == "found_without_place":
        return f"Found {_when(found.found_at)}: no recorded place"
    if code == "closed_without_outcome":
        missing = [part for part, present in (
            ("found record", found is not None),
            ("closing summary", getattr(episode, "closing_summary", None) is not None))
            if not present]
        return "Closed with no " + " and no ".join(missing)
    if code == "rhi_without_outcome":
        return (f"Found {_when(found.found_at)}; the return-home interview is neither "
                "completed nor declined")
    if code == "impossible_times":
        if episode.last_seen_at > episode.reported_at:
            return f"Last seen {_when(episode.last_seen_at)}, after the report ({reported})"
        return f"Found {_when(found.found_at)}, before the report ({reported})"
    if code == "implausible_duration":
        return f"Found {(found.found_at - episode.reported_at).days} days after the report"
    if code == "open_without_review":
        return (f"Missing {(now - episode.reported_at).days} days; no review in the last "
                f"{REVIEW_DAYS} days")
    return reported


def _child_detail(code: str, child: Child) -> str:
    if code == "date_of_birth_missing":
        return (f"Estimated age {child.estimated_age}, no date of birth"
                if child.estimated_age is not None else "No date of birth or estimated age")
    if code == "ethnicity_not_stated":
        return (f"Self-defined: Not stated; officer-observed: "
                f"{child.get_observed_ethnicity_display()}")
    return "Suggested duplicate of another record: decide whether it is the same child"


def fix_rows(*, user, quality: Quality, rule: Rule, ids: list, now: dt.datetime
             ) -> list[FixRow]:
    """The rows of `ids` (a page of `rule`'s records to fix, in order) that `user` may open,
    read through the owning app's selector (their force only)."""
    if not may_open(user, rule) or not ids:
        return []
    code = rule.code
    if rule.unit == EPISODE:
        found = {e.pk: e for e in episodes_visible_to(user=user).filter(pk__in=ids)
                 .select_related("child", "team", "found", "closing_summary")}
        return [FixRow(f"{e.reference} · {e.child.full_name}", _episode_detail(code, e, now),
                       e.team.name if e.team_id else "", rule.link, e.pk, "episode", e.pk,
                       e.child_id)
                for e in (found.get(pk) for pk in ids) if e is not None]
    if rule.unit == CHILD:
        targets = quality.results[code].targets
        found = children_visible_to(user=user).in_bulk(ids)
        return [FixRow(c.full_name, _child_detail(code, c), "", rule.link,
                       targets.get(c.pk, c.pk), "child", c.pk, c.pk)
                for c in (found.get(pk) for pk in ids) if c is not None]
    found = places_visible_to(user=user).in_bulk(ids)
    return [FixRow(p.name, f"{p.get_kind_display()}: no postcode", "", rule.link, p.pk,
                   "", p.pk, None)
            for p in (found.get(pk) for pk in ids) if p is not None]
