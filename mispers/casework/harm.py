"""What a harmful return, a disclosure or a death sets in motion (issue 10, ADR 26). Called by the
found and interview workflows inside their transaction.

A child found harmed, a victim of crime or of a sexual offence, or who discloses harm or
exploitation at the prevention or the return-home interview: the officer in the case and their
supervisors (the sergeants of the officer's team, or the force's supervisors when the team has
none) are told at once, and the tasks that follow are actions with deadlines from the policy's
`[harm]` section: the crime recorded with its reference (open actions block closure), a
safeguarding referral, the child's risk assessed again, a strategy meeting considered.

A child found deceased follows its own route: the force's superintendents are told as well, and
the critical-incident procedure and informing the coroner's officer are the tasks.

Only police users are ever told: a disclosure's words are police-only."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from mispers.accounts.models import User
from mispers.accounts.roles import READ_ROLES, Rank, Role
from mispers.episodes.models import Action, Episode, TimelineEvent
from mispers.episodes.services import episode_lock, timeline_record
from mispers.returns.models import Condition, Harm, Indicator
from mispers.reviews.clocks import hours
from mispers.reviews.models import Deadline, Notification
from mispers.reviews.services import action_create, deadlines_close
from mispers.risk.selectors import policy_for_force

HARM_CONDITIONS = frozenset({Condition.HARMED, Condition.CRIME_VICTIM,
                             Condition.SEXUAL_OFFENCE_VICTIM})
SOURCES = {"prevention_interview": "prevention interview",
           "return_home_interview": "return-home interview"}
# Every action this module creates has one of these codes (the child's page lists them).
HARM_TASKS = {
    "harm_crime_record": "Record the crime and put its crime reference on the case",
    "harm_safeguarding_referral": "Make a safeguarding referral to children's services",
    "harm_risk_reassessment": "Assess the child's risk again in the light of the harm",
    "harm_strategy_meeting": "Consider a multi-agency strategy meeting",
}
DEATH_TASKS = {
    "death_critical_incident": "Start the critical-incident procedure (child found deceased)",
    "death_coroner_officer": "Inform the coroner's officer",
}
TASK_CODES = frozenset({*HARM_TASKS, *DEATH_TASKS})
_HARM_HOURS = {"harm_crime_record": "crime_record_due_hours",
               "harm_safeguarding_referral": "safeguarding_referral_due_hours",
               "harm_risk_reassessment": "risk_reassessment_due_hours",
               "harm_strategy_meeting": "strategy_meeting_due_hours",
               "death_critical_incident": "critical_incident_due_hours",
               "death_coroner_officer": "coroner_officer_due_hours"}


# --- who is told --------------------------------------------------------------------------------

def _police(episode: Episode):
    """Active police users of the episode's force (never a partner's user)."""
    return (User.objects.filter(force_id=episode.force_id, is_active=True,
                                roles__role__in=READ_ROLES)
            .distinct().order_by("last_name", "first_name", "id"))


def officer_in_case(episode: Episode) -> User | None:
    owner = episode.owner
    if owner is None or not owner.is_active or owner.force_id != episode.force_id:
        return None
    return owner if owner.role_codes & READ_ROLES else None


def supervisors_for(episode: Episode) -> list[User]:
    """The sergeants of the officer in the case's team; the force's supervisors when the case has
    no officer, the officer no team, or the team no sergeant."""
    owner = officer_in_case(episode)
    supervisors = _police(episode).filter(roles__role=Role.SUPERVISOR)
    if owner is not None and owner.team_id is not None:
        team = list(supervisors.filter(team_id=owner.team_id, rank=Rank.SERGEANT)
                    .exclude(pk=owner.pk))
        if team:
            return team
    return [user for user in supervisors if owner is None or user.pk != owner.pk]


def superintendents_for(episode: Episode) -> list[User]:
    return list(_police(episode).filter(roles__role=Role.SUPERINTENDENT))


def _notify(*, episode: Episode, now: dt.datetime, kind: str, subject: str, body: str,
            people: Iterable[User]) -> list[User]:
    """One notification per person (each once), emailed once the transaction commits."""
    told: dict = {}
    for person in people:
        told.setdefault(person.pk, person)
    Notification.objects.bulk_create(
        Notification(recipient=person, episode=episode, kind=kind, subject=subject[:300],
                     body=body, created_at=now) for person in told.values())
    messages = [(subject[:300], f"{body}\n\nSign in to Mispers to act on it and acknowledge it.",
                 settings.DEFAULT_FROM_EMAIL, [person.email])
                for person in told.values() if person.email]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return list(told.values())


# --- the tasks ----------------------------------------------------------------------------------

def _tasks(*, actor, now: dt.datetime, episode: Episode, tasks: dict[str, str],
           assignees: dict[str, User | None], why: str) -> list[Action]:
    """An action per task, unless the same task is still open on the episode (a child found
    harmed who then discloses at interview has one crime-record task, not two)."""
    if episode.state in {Episode.State.CLOSED, Episode.State.WITHDRAWN}:
        return []
    clocks = policy_for_force(episode.force).harm
    open_codes = set(Action.objects.filter(episode=episode, code__in=tasks, done_at__isnull=True)
                     .values_list("code", flat=True))
    created = []
    for code, title in tasks.items():
        if code in open_codes:
            continue
        due_at = now + hours(getattr(clocks, _HARM_HOURS[code]))
        created.append(action_create(actor=actor, now=now, episode=episode, code=code,
                                     title=f"{title} ({why})"[:300], due_at=due_at,
                                     assigned_to=assignees.get(code), source="harm"))
    return created


def _names(people: list[User]) -> str:
    return ", ".join(person.display_with_rank for person in people) or "nobody"


def _harm_route(*, actor, now: dt.datetime, episode: Episode, kind: str, why: str,
                detail: str) -> None:
    owner = officer_in_case(episode)
    supervisors = supervisors_for(episode)
    subject = f"{episode.reference}: {why} – act now"
    closed = episode.state in {Episode.State.CLOSED, Episode.State.WITHDRAWN}
    body = (f"{episode.child.full_name} ({episode.reference}): {why}.\n{detail}\n\n"
            + ("The case is closed: decide whether to reopen it or act under a new case."
               if closed else
               "Tasks set: " + "; ".join(HARM_TASKS.values()) + "."))
    told = _notify(episode=episode, now=now, kind=kind, subject=subject, body=body,
                   people=[*([owner] if owner else []), *supervisors])
    who = (f"Officer in the case {owner.display_with_rank}" if owner
           else "No officer in the case")
    timeline_record(episode=episode, at=now, actor=actor, code=TimelineEvent.Code.HARM_NOTIFIED,
                    summary=f"{why[:1].upper()}{why[1:]}: {who}; supervisors "
                            f"{_names(supervisors)} told at once",
                    data={"kind": kind, "told": [str(person.pk) for person in told]})
    lead = supervisors[0] if supervisors else None
    _tasks(actor=actor, now=now, episode=episode, tasks=HARM_TASKS, why=why,
           assignees={"harm_crime_record": owner, "harm_safeguarding_referral": owner,
                      "harm_risk_reassessment": owner, "harm_strategy_meeting": lead or owner})


def _death_route(*, actor, now: dt.datetime, episode: Episode, record) -> None:
    owner = officer_in_case(episode)
    supervisors = supervisors_for(episode)
    superintendents = superintendents_for(episode)
    why = "child found deceased"
    subject = f"{episode.reference}: {episode.child.full_name} found deceased"
    body = (f"{episode.child.full_name} ({episode.reference}) was found deceased at "
            f"{record.found_where} on {record.found_at:%d %b %Y %H:%M}.\n\n"
            "Tasks set: " + "; ".join(DEATH_TASKS.values()) + ".")
    told = _notify(episode=episode, now=now, kind="deceased", subject=subject, body=body,
                   people=[*superintendents, *([owner] if owner else []), *supervisors])
    timeline_record(episode=episode, at=now, actor=actor,
                    code=TimelineEvent.Code.DEATH_NOTIFIED,
                    summary=f"Found deceased: superintendents {_names(superintendents)}, "
                            + (f"officer in the case {owner.display_with_rank}, " if owner
                               else "no officer in the case, ")
                            + f"supervisors {_names(supervisors)} told at once",
                    data={"kind": "deceased", "told": [str(person.pk) for person in told]})
    # No prevention interview and no return-home interview for a child who has died: the
    # found workflow opens neither; close any that a caller opened regardless.
    deadlines_close(episode=episode, kinds=[Deadline.Kind.PREVENTION_INTERVIEW,
                                            Deadline.Kind.RETURN_HOME_INTERVIEW],
                    now=now, actor=actor, status=Deadline.Status.CANCELLED,
                    note="Child found deceased")
    senior = superintendents[0] if superintendents else None
    _tasks(actor=actor, now=now, episode=episode, tasks=DEATH_TASKS, why=why,
           assignees={"death_critical_incident": senior, "death_coroner_officer": owner})


# --- the entry points ---------------------------------------------------------------------------

def after_found(*, actor, now: dt.datetime, episode, record) -> None:
    """Called by the found workflow after the found record is saved: for a harmed, victim-of-crime
    or sexual-offence condition, or a child found deceased, notify and create the tasks."""
    if record.condition != Condition.DECEASED and record.condition not in HARM_CONDITIONS:
        return
    episode = episode_lock(episode=episode)
    if record.condition == Condition.DECEASED:
        _death_route(actor=actor, now=now, episode=episode, record=record)
        return
    condition = record.get_condition_display().lower()
    kinds = dict(Harm.choices)
    harms = ", ".join(kinds.get(code, code).lower() for code in record.harms)
    _harm_route(actor=actor, now=now, episode=episode, kind="harm_found",
                why=f"found: {condition}",
                detail=f"Found {record.found_at:%d %b %Y %H:%M} at {record.found_where}. "
                       f"Harm: {harms or 'not stated'}.")


def after_disclosure(*, actor, now: dt.datetime, episode, source: str, indicators: list[str],
                     summary: str) -> None:
    """Called when a prevention or return-home interview records a disclosure (indicators of
    exploitation or harm): notify the officer in the case and their supervisor at once and
    create the tasks. `source` is "prevention_interview" or "return_home_interview"."""
    if not indicators and not summary.strip():
        return
    episode = episode_lock(episode=episode)
    where = SOURCES.get(source, source.replace("_", " "))
    names = dict(Indicator.choices)
    shown = ", ".join(names.get(code, code).lower() for code in indicators)
    detail = "\n".join(line for line in [
        f"Indicators: {shown}." if shown else "",
        f"What was disclosed: {summary.strip()}" if summary.strip() else ""] if line)
    _harm_route(actor=actor, now=now, episode=episode, kind="disclosure",
                why=f"disclosure at the {where}", detail=detail)


def disclosure_of(*, indicators_before: Iterable[str] = (), indicators_after: Iterable[str],
                  harm_before: str = "", harm_after: str = "") -> tuple[list[str], str]:
    """What an interview write newly disclosed: indicators not recorded before, and the harm
    text when it is new or changed (empty when nothing new)."""
    before = set(indicators_before)
    new = [code for code in indicators_after if code not in before]
    harm = harm_after.strip() if harm_after.strip() != harm_before.strip() else ""
    return new, harm


# --- the child's page ---------------------------------------------------------------------------

def harm_panel(*, episodes: Iterable[Episode], now: dt.datetime) -> dict:
    """What the child's "Harm and disclosures" panel shows, for episodes the user may already
    see: who was told of harm, a disclosure or a death, and the tasks that followed (two
    queries, however long the history)."""
    ids = [episode.pk for episode in episodes]
    events = list(TimelineEvent.objects.filter(
        episode_id__in=ids,
        code__in=[TimelineEvent.Code.HARM_NOTIFIED, TimelineEvent.Code.DEATH_NOTIFIED])
        .select_related("episode").order_by("-at", "-id"))
    actions = list(Action.objects.filter(episode_id__in=ids, code__in=TASK_CODES)
                   .select_related("episode", "assigned_to").order_by("done_at", "due_at"))
    for action in actions:
        action.overdue = action.done_at is None and action.due_at < now
    return {"harm_events": events, "harm_actions": actions}
