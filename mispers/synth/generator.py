"""Write a force's synthetic history through the services, in the order it happened.

`generate_force` plans the history (plan.py: pure, seeded, no clock) and then replays it event by
event: the force's places first (place_create; places.py plans them), then child_create,
marker_add, episode_report, assessment_record, assessment_ratify or assessment_decline, then
return_record, the interviews, the actions done and episode_close; `now` for each call is the
simulated time of that event. A child's own places (a home, a relative's) are recorded by the
first report or return that names them, as a call handler records a new place at intake.
Everything it makes is created by (or for) the force's synthetic system user "synth-<force>"
(its places by the synthetic staff "synth-<force>-…"), which is how the generator recognises its
own data (idempotency, --reset).

The whole history is one transaction. While it is written, Django's debug query log is off (the
dev settings keep every query's SQL in memory and, on SQLite, ask the database to quote every
parameter for that log: about a seventh of the time) and Python's cyclic garbage collector runs
less often (the ORM makes millions of short-lived objects); neither changes what is written.
ADR 31 has the figures.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from mispers.accounts.models import Force, User
from mispers.accounts.services import user_create
from mispers.casework.children import child_create
from mispers.casework.close import episode_close
from mispers.casework.found import return_record
from mispers.casework.grade import assessment_decline, assessment_ratify, assessment_record
from mispers.casework.interviews import prevention_interview_workflow, return_interview_workflow
from mispers.casework.report import episode_report
from mispers.core.errors import DomainError
from mispers.core.history import history_rows_batched
from mispers.episodes.models import Episode
from mispers.episodes.services import ReportDetails
from mispers.partners.models import PartnerOrganisation
from mispers.people.models import Child, Marker
from mispers.people.services import ChildDetails, marker_add
from mispers.places.models import Place
from mispers.places.services import place_create
from mispers.returns.models import (
    MarkerProposal,
    ReturnHomeInterview,
)
from mispers.returns.services import ClosingDetails, marker_proposal_decide
from mispers.reviews.services import action_complete
from mispers.risk.models import Assessment
from mispers.risk.services import AnswerInput, policy_for_force

from .people import observed_ethnicity, system_username
from .places import found_place_for
from .plan import WINDOW, EpisodePlan, Plan, Planner
from .repeats import RepeatsReplay

DEFAULT_UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
DEFAULT_CHILDREN, DEFAULT_EPISODES, DEFAULT_OPEN = 300, 1000, 30
DEMO_FORCE = "devon-and-cornwall"
GRADE_ORDER = ("high", "medium", "low", "no_apparent_risk")


class SynthRefused(DomainError):
    """The generator will not do this (e.g. reset a force holding data it did not make)."""


@dataclass(frozen=True)
class SynthResult:
    force: str
    created: bool  # False when the force already had synthetic data and nothing was done
    children: int
    episodes: int
    open: int
    recommended: dict[str, int] = field(default_factory=dict)
    chosen: dict[str, int] = field(default_factory=dict)
    below_recommendation: int = 0
    ratified: int = 0
    declined: int = 0
    pending: int = 0

    def summary(self) -> str:
        total = max(1, sum(self.recommended.values()))
        mix = ", ".join(
            f"{grade.replace('_', ' ')} {100 * self.recommended.get(grade, 0) / total:.0f}%"
            for grade in GRADE_ORDER)
        lead = "Synthetic data created" if self.created else "Synthetic data already present"
        return (f"{lead} for {self.force}: {self.children} children, {self.episodes} episodes "
                f"({self.open} open); recommended grades {mix}; {self.below_recommendation} "
                f"graded below the recommendation ({self.ratified} ratified, {self.declined} "
                f"declined, {self.pending} pending)")


def system_user(force: Force) -> User | None:
    return User.objects.filter(username=system_username(force.code)).first()


def synthetic_children(force: Force):
    user = system_user(force)
    if user is None:
        return Child.objects.none()
    return Child.objects.filter(force=force, created_by=user)


def summarise(force: Force, *, created: bool = False) -> SynthResult:
    """What the generator's data in `force` looks like now, read from the records."""
    children = synthetic_children(force)
    episodes = Episode.objects.filter(force=force, child__in=children)
    assessments = Assessment.objects.filter(episode__in=episodes, sequence=1)
    statuses = Counter(assessments.exclude(status=Assessment.Status.ACCEPTED)
                       .values_list("status", flat=True))
    return SynthResult(
        force=force.code, created=created, children=children.count(),
        episodes=episodes.count(),
        open=episodes.filter(state__in=[Episode.State.REPORTED, Episode.State.OPEN]).count(),
        recommended=dict(Counter(assessments.values_list("recommended_grade", flat=True))),
        chosen=dict(Counter(assessments.values_list("chosen_grade", flat=True))),
        below_recommendation=sum(statuses.values()),
        ratified=statuses[Assessment.Status.RATIFIED],
        declined=statuses[Assessment.Status.DECLINED],
        pending=statuses[Assessment.Status.PENDING],
    )


def _ensure_user(*, username: str, force: Force, roles, rank: str, first_name: str,
                 last_name: str) -> User:
    user = User.objects.filter(username=username).select_related("force").first()
    if user is None:
        user = user_create(username=username, password=None, force=force, roles=roles, rank=rank,
                           first_name=first_name, last_name=last_name)
    user.force = force  # share one Force instance: the services read actor.force
    return user


class _Replay:
    """Apply a plan through the services, one simulated event at a time."""

    def __init__(self, *, force: Force, plan: Plan, system: User, staff: list[User],
                 until: dt.datetime, providers: list[PartnerOrganisation]) -> None:
        self.force, self.plan, self.system, self.staff = force, plan, system, staff
        self.providers = providers
        self.sergeant = next(u for u in staff if u.rank == "sergeant")
        self.inspector = next(u for u in staff if u.rank == "inspector")
        self.coordinator = self.sergeant  # records the local authority's interviews
        self.children: dict[int, Child] = {}
        self.episodes: dict[int, Episode] = {}
        self.assessments: dict[int, Assessment] = {}
        self.repeats = RepeatsReplay(force=force, coordinator=self.coordinator, until=until)
        self.until = until
        self.places: dict[int, Place] = {}  # plan key -> the place recorded

    def events(self):
        """(time, order, action, item): everything that happens, in time order."""
        yield self.until - WINDOW - dt.timedelta(days=1), -1, self.record_places, None
        for child in self.plan.children:
            first = child.times[0] - dt.timedelta(minutes=2)
            yield first, 0, self.create_child, child
            if child.marker_at is not None:
                yield child.marker_at, 1, self.add_marker, child
        for number, ep in enumerate(self.plan.episodes):
            yield ep.reported_at, 2, self.report, (number, ep)
            yield ep.assessed_at, 3, self.assess, (number, ep)
            if ep.review:
                yield ep.reviewed_at, 4, self.review, (number, ep)
            if ep.closed_at is not None:
                yield ep.closed_at, 5, self.close, (number, ep)

    def run(self, progress: Progress | None = None) -> None:
        events = sorted(self.events(), key=lambda e: (e[0], e[1]))
        reported = 0
        for done, (at, order, action, item) in enumerate(events, start=1):
            self.repeats.before(at)  # strategy meetings and their actions due by now
            action(at, item)
            reported += order == 2
            if progress is not None:
                progress(done, len(events), reported)
        self.repeats.finish()

    def record_places(self, at: dt.datetime, _item) -> None:
        """The force's places, before the history starts: recorded by a sergeant; a children's
        home is run by one of the force's care providers (none when it has none)."""
        for place in self.plan.places:
            if not place.shared:
                continue
            provider = (self.providers[place.provider_slot % len(self.providers)]
                        if self.providers and place.provider_slot is not None else None)
            self.places[place.key] = place_create(
                actor=self.sergeant, now=at,
                details=place.details(provider_id=provider.pk if provider else None))

    def place(self, key: int | None):
        """The place of a plan key: the recorded Place, or the details of a child's own place
        not recorded yet (the workflow it is passed to records it)."""
        if key is None:
            return None
        return self.places.get(key) or self.plan.places[key].details()

    def create_child(self, at: dt.datetime, child) -> None:
        identity = child.identity
        details = ChildDetails(
            given_name=identity["given_name"], family_name=identity["family_name"],
            date_of_birth=child.date_of_birth, sex=child.sex, ethnicity=child.ethnicity,
            observed_ethnicity=observed_ethnicity(child.ethnicity),
            description=identity["description"], looked_after=child.looked_after,
            local_authority=identity["local_authority"],
            placement_address=identity["placement_address"],
            placement=self.places.get(child.placement),
            home_address=identity["home_address"], aliases=identity["aliases"])
        self.children[child.index] = child_create(actor=self.system, now=at, force=self.force,
                                                  details=details)

    def add_marker(self, at: dt.datetime, child) -> None:
        note = child.marker_note.lower()
        # The demo's notes say which exploitation and who raised it; the marker records both.
        subtype = ("criminal" if "criminal" in note else "sexual" if "sexual" in note
                   else "other")
        source = ("return_home_interview" if "return interview" in note
                  else "childrens_services" if "children's services" in note else "police")
        marker_add(actor=self.system, now=at, child=self.children[child.index],
                   kind=Marker.Kind.EXPLOITATION, subtype=subtype, source=source,
                   active_from=at.date(), note=child.marker_note)

    def report(self, at: dt.datetime, item: tuple[int, EpisodePlan]) -> None:
        number, ep = item
        details = ReportDetails(reported_at=ep.reported_at, **ep.report,
                                missing_from_place=self.place(ep.missing_from_place),
                                last_seen_place=self.place(ep.last_seen_place))
        episode = episode_report(actor=self.staff[ep.assessor], now=at, details=details,
                                 child=self.children[ep.child.index])
        self.episodes[number] = episode
        # A child's own place named for the first time is recorded now: later episodes name it.
        for key, place in ((ep.missing_from_place, episode.missing_from_place),
                           (ep.last_seen_place, episode.last_seen_place)):
            if key is not None:
                self.places.setdefault(key, place)
        self.repeats.after_report(at, episode)

    def assess(self, at: dt.datetime, item: tuple[int, EpisodePlan]) -> None:
        number, ep = item
        answers = {code: AnswerInput(answer=a.answer, source=a.source, obtained_at=a.obtained_at,
                                     note=a.note) for code, a in ep.answers.items()}
        self.assessments[number] = assessment_record(
            actor=self.staff[ep.assessor], now=at, episode=self.episodes[number],
            answers=answers, chosen_grade=ep.choice.grade, rationale=ep.choice.rationale)

    def review(self, at: dt.datetime, item: tuple[int, EpisodePlan]) -> None:
        number, ep = item
        reviewer = self.staff[ep.reviewer]
        if ep.review == "decline":
            assessment_decline(actor=reviewer, now=at, assessment=self.assessments[number],
                               note=ep.review_note)
        else:
            assessment_ratify(actor=reviewer, now=at, assessment=self.assessments[number],
                              note=ep.review_note)

    def close(self, at: dt.datetime, item: tuple[int, EpisodePlan]) -> None:
        """The child comes back: found, prevention interview, the actions done, the return-home
        interview, then closed by a supervisor with a closing summary (issue 10: nothing is
        dropped at closure, so the case closes once everything is done; an episode whose
        return-home interview is still running at the end of the history stays found)."""
        number, ep = item
        episode = self.episodes[number]
        episode.refresh_from_db()  # assessments and ratifications moved the version on
        pick = random.Random(f"{self.force.code}-{number}")  # deterministic per episode
        officer = self.staff[ep.assessor]
        found_by = pick.choices(["own_accord", "police", "family_friend", "carer_agency",
                                 "other"], [43, 29, 15, 10, 3])[0]
        harmed = pick.random() < 0.03
        found_key, found_where = found_place_for(pick, found_by=found_by, ep=ep,
                                                 places=self.plan.places)
        record = return_record(actor=officer, now=at, episode=episode, found_at=at,
                               found_where=found_where, found_by=found_by,
                               condition="harmed" if harmed else "safe_and_well",
                               harms=["physical"] if harmed else [],
                               found_place=self.place(found_key))
        if found_key is not None:
            self.places.setdefault(found_key, record.found_place)
        # Where the child was while away (the interviews ask), also when they came back alone.
        where = ep.found_away[1] if found_where.startswith("Returned") else found_where
        interviewed = at + dt.timedelta(hours=pick.choice([1, 2, 3, 5, 20]))
        why_left = pick.choice(WHY_LEFT)
        if interviewed > self.until:
            return  # found just before the end of the history: the interview is still to come
        prevention_interview_workflow(
            actor=officer, now=interviewed, episode=episode, held_at=interviewed,
            where_child_was=where, why_left=why_left,
            child_account=pick.choice(CHILD_WORDS))
        if not self._actions_done(pick, episode=episode, officer=officer, after=interviewed):
            return  # an action still open at the end of the history: not closable yet
        resolved = self._return_home_interview(pick, episode=episode, found_at=at,
                                               where=where)
        closed_at = max(interviewed, resolved) + dt.timedelta(hours=1)
        if closed_at > self.until:
            return  # the return-home interview is still running: the case stays found
        self._hub_proposals_decided(episode=episode, at=closed_at)
        closer = self.inspector if episode.assessments.filter(
            recommended_grade="high").exists() or episode.current_grade == "high" \
            else self.sergeant
        episode_close(actor=closer, now=closed_at, episode=episode, summary=ClosingDetails(
            what_happened=f"Found by {found_by.replace('_', ' ')}; prevention interview held.",
            why_went=why_left, risks_found="Harm recorded at the return." if harmed
            else "No new risks found.",
            what_next="Trigger plan and partners informed as agreed."))

    def _hub_proposals_decided(self, *, episode: Episode, at: dt.datetime) -> None:
        """The marker a hub alert proposed (ADR 51) is reviewed before the case closes. The
        demo's hubs of found places are mostly public places (bus stations, parks), and the
        history's grades are planned without markers it did not plan, so the coordinator
        records each as reviewed and not confirmed, with the reason. (The planted ring of
        synth/ring.py is recorded after the history, so its alerts' proposals are left for the
        coordinator to decide.)"""
        for proposal in episode.marker_proposals.filter(status=MarkerProposal.Status.PROPOSED):
            marker_proposal_decide(
                actor=self.sergeant, now=at, proposal=proposal, confirm=False,
                note="Reviewed: a place where many children are found, not an exploitation "
                     "concern for this child; the hub stays under watch")

    def _actions_done(self, pick: random.Random, *, episode: Episode, officer: User,
                      after: dt.datetime) -> bool:
        """Every open action done by the officer in the case (or the officer who took it)
        within hours of the interview, if that is before the end of the history. Whether all
        are done."""
        doer = episode.owner or officer
        all_done = True
        for action in list(episode.actions.filter(done_at__isnull=True)):
            when = max(after, action.created_at) + dt.timedelta(minutes=pick.randint(10, 240))
            if when > self.until:
                all_done = False
                continue
            action_complete(actor=doer, now=when, action=action,
                            result=pick.choice(ACTION_RESULTS))
        return all_done

    def _return_home_interview(self, pick: random.Random, *, episode: Episode,
                               found_at: dt.datetime, where: str) -> dt.datetime:
        """The local authority's interview: most offered and accepted, about 63% completed
        within 72 hours nationally; some declined. Answers when it was resolved."""
        interview = ReturnHomeInterview.objects.get(episode=episode)
        worker = self.coordinator
        offered = found_at + dt.timedelta(hours=pick.choice([4, 12, 24, 30]))
        declined = pick.random() < 0.15
        late = pick.random() > 0.63
        done = max(offered + dt.timedelta(hours=2),
                   found_at + dt.timedelta(hours=pick.randint(80, 140) if late
                                           else pick.randint(20, 70)))
        # Nothing is recorded after `until`: an interview not yet offered, or offered but not
        # yet held, by then is left as it stands (the case stays found).
        if offered > self.until:
            return offered
        if declined:
            return_interview_workflow(actor=worker, now=offered, interview=interview,
                                      offered_at=offered, response="declined")
            return offered
        if done > self.until:
            return_interview_workflow(actor=worker, now=offered, interview=interview,
                                      offered_at=offered, response="accepted")
            return done
        return_interview_workflow(
            actor=worker, now=done, interview=interview, offered_at=offered,
            response="accepted", completed_at=done, interviewer_name="Independent advocate",
            where_went=where, why_left=pick.choice(WHY_LEFT),
            child_words=pick.choice(CHILD_WORDS), share=True)
        return done


WHY_LEFT = ["An argument at home", "Wanted to see friends", "Unhappy with the placement",
            "Stayed out past curfew", "Went to see a boyfriend", "Bullying at school"]
ACTION_RESULTS = ["Done: no concerns", "Done and recorded on the case",
                  "Completed; nothing further", "Done: details on the enquiry log"]
CHILD_WORDS = ["I just needed to get away for a bit.", "I was at my mate's, I didn't think "
               "anyone would worry.", "I don't like it there, nobody listens.",
               "I lost track of time and my phone died.", "I wanted to see my mum."]


# progress(steps done, steps in all, episodes reported so far): called after each step of the
# history (a child recorded, a report, a grade, a ratification, a return and closure).
Progress = Callable[[int, int, int], None]


@contextmanager
def _writing_in_bulk() -> Iterator[None]:
    """No debug query log and fewer garbage collections while the history is written (see the
    module's docstring); both are put back afterwards, also when the generator fails."""
    target = connections[DEFAULT_DB_ALIAS]
    had_own = "make_debug_cursor" in vars(target)
    target.make_debug_cursor = target.make_cursor  # the plain cursor even when DEBUG is on
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()  # what exists now (Django, the apps, the plan) is never collected again
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        if not had_own:
            del target.make_debug_cursor


@transaction.atomic
def generate_force(*, force: Force, seed: int, children: int = DEFAULT_CHILDREN,
                   episodes: int = DEFAULT_EPISODES, until: dt.datetime = DEFAULT_UNTIL,
                   open_recent: int = DEFAULT_OPEN,
                   progress: Progress | None = None,
                   providers: list[PartnerOrganisation] | None = None) -> SynthResult:
    """Make `force`'s synthetic history: `children` children and `episodes` episodes over the
    two years before `until`, the latest `open_recent` or so still open. Does nothing (and says
    so in the result) when the force already has synthetic data. `progress`, when given, is
    told after each step of the history. `providers`: the care providers running the force's
    children's homes, the first running the most (default: the force's care providers by
    name; the homes have no provider when it has none)."""
    if synthetic_children(force).exists():
        return summarise(force, created=False)
    policy = policy_for_force(force)
    plan = Planner(seed=seed, force_code=force.code, force_name=force.name, children=children,
                   episodes=episodes, until=until, open_recent=open_recent, policy=policy).plan()
    system = _ensure_user(username=system_username(force.code), force=force, roles=[],
                          rank="staff", first_name="Synthetic", last_name="data generator")
    staff = [_ensure_user(username=s.username, force=force, roles=s.roles, rank=s.rank,
                          first_name=s.first_name, last_name=s.last_name) for s in plan.staff]
    if providers is None:
        providers = care_providers(force)
    with _writing_in_bulk(), history_rows_batched():
        _Replay(force=force, plan=plan, system=system, staff=staff, until=until,
                providers=providers).run(progress)
    return summarise(force, created=True)


def care_providers(force: Force) -> list[PartnerOrganisation]:
    """The care providers working with the force, by name."""
    return list(PartnerOrganisation.objects.working_with(force).filter(
        kind=PartnerOrganisation.Kind.CARE_PROVIDER, active=True).order_by("name"))


def synthetic_places(force: Force):
    """The places the generator recorded in `force` (by its sergeant, or by its officers and
    call handlers when a report or return first named a child's own place)."""
    return Place.objects.filter(force=force,
                                created_by__username__startswith=system_username(force.code))
