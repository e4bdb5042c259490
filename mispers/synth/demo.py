"""The demo: the 43 forces, one sign-in per role in the demo force, and its synthetic history.

The demo password is printed on screen and is for a demo on one's own machine only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.db.models import F

from mispers.accounts.models import Area, Force, Team, User
from mispers.accounts.roles import NATIONAL_ROLES, Rank, Role
from mispers.accounts.services import user_create

DEMO_PASSWORD = "mispers-demo"

# username, role, rank, first name, last name (invented)
DEMO_USERS = [
    ("handler", Role.CALL_HANDLER, Rank.CALL_HANDLER, "Hannah", "Hale"),
    ("officer", Role.OFFICER, Rank.OFFICER, "Owen", "Pascoe"),
    ("sergeant", Role.SUPERVISOR, Rank.SERGEANT, "Sita", "Rahman"),
    ("inspector", Role.INSPECTOR, Rank.INSPECTOR, "Ian", "Okafor"),
    ("superintendent", Role.SUPERINTENDENT, Rank.SUPERINTENDENT, "Susan", "Penrose"),
    ("coordinator", Role.COORDINATOR, Rank.SERGEANT, "Chloe", "Marsh"),
    ("analyst", Role.ANALYST, Rank.STAFF, "Ade", "Bello"),
    ("admin", Role.FORCE_ADMIN, Rank.STAFF, "Alex", "Morgan"),
    ("dpo", Role.DATA_PROTECTION, Rank.STAFF, "Dana", "Price"),
    # Issue 12: the police and crime commissioner's office (aggregates, small numbers hidden).
    ("pcc", Role.COMMISSIONER, Rank.STAFF, "Priya", "Carne"),
    # Issue 10: more people so the teams have members (a control-room sergeant, a second
    # response officer, a missing-persons unit officer).
    ("control", Role.SUPERVISOR, Rank.SERGEANT, "Cara", "Tregear"),
    ("officer2", Role.OFFICER, Rank.OFFICER, "Ben", "Nankivell"),
    ("mpu", Role.OFFICER, Rank.OFFICER, "Morwenna", "Hicks"),
    # Issue 13: the national missing persons unit, a user of no force (the national hub).
    ("national", Role.NATIONAL_UNIT, Rank.STAFF, "Nadia", "Ellis"),
]

# Two areas and four teams; each demo user's team (None: not in a team).
DEMO_AREAS = ["Plymouth", "Exeter"]
DEMO_TEAMS = [  # name, area, is the control room
    ("Control room", None, True),
    ("Response Plymouth", "Plymouth", False),
    ("Response Exeter", "Exeter", False),
    ("Missing persons unit", None, False),
]
DEMO_USER_TEAMS = {
    "handler": "Control room", "control": "Control room",
    "officer": "Response Plymouth", "sergeant": "Response Plymouth",
    "officer2": "Response Exeter", "mpu": "Missing persons unit",
    "coordinator": "Missing persons unit",
}
# The officers demo cases are allocated to, in turn.
DEMO_ALLOCATED = ["officer", "officer2", "mpu"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    rank: str
    force: str
    created: bool
    password: str  # the demo password, or a note when the user has changed it


@transaction.atomic
def demo_users_ensure(*, force: Force) -> list[DemoLogin]:
    """One demo user per role in `force`. Users that already exist are left as they are
    (their passwords too)."""
    logins = []
    for username, role, rank, first, last in DEMO_USERS:
        user = User.objects.filter(username=username).select_related("force").first()
        created = user is None
        if created:
            user = user_create(username=username, password=DEMO_PASSWORD,
                               force=None if role in NATIONAL_ROLES else force, roles=[role],
                               rank=rank, first_name=first, last_name=last)
        roles = ", ".join(sorted(user.role_codes)) or "(no role)"
        password = (DEMO_PASSWORD if check_password(DEMO_PASSWORD, user.password)
                    else "(changed: not shown)")
        logins.append(DemoLogin(username=username, role=roles, rank=user.get_rank_display(),
                                force=user.force.name if user.force else "(no force)",
                                created=created, password=password))
    return logins


@transaction.atomic
def demo_teams_ensure(*, force: Force, now) -> int:
    """Issue 10: the demo force's areas and teams, its demo users in them, and an officer in the
    case on every open medium or high case but the newest (left for the control room to
    allocate). Safe to run again; returns how many cases it allocated."""
    from mispers.casework.allocate import episode_allocate
    from mispers.episodes.models import Episode

    areas = {name: Area.objects.get_or_create(force=force, name=name)[0] for name in DEMO_AREAS}
    teams = {}
    for name, area, control_room in DEMO_TEAMS:
        teams[name] = Team.objects.get_or_create(
            force=force, name=name,
            defaults={"area": areas.get(area), "is_control_room": control_room})[0]
    for username, team in DEMO_USER_TEAMS.items():
        User.objects.filter(username=username, force=force, team__isnull=True).update(
            team=teams[team])
    allocator = User.objects.filter(username="sergeant", force=force).first()
    officers = list(User.objects.filter(username__in=DEMO_ALLOCATED, force=force)
                    .select_related("team").order_by("username"))
    if allocator is None or not officers:
        return 0
    waiting = list(Episode.objects.filter(
        force=force, allocated_at__isnull=True, current_grade__in=["medium", "high"],
        state__in=[Episode.State.REPORTED, Episode.State.OPEN]).order_by("-reported_at"))
    for number, episode in enumerate(waiting[1:]):  # the newest stays unallocated
        officer = officers[number % len(officers)]
        episode_allocate(actor=allocator, now=now, episode=episode, officer=officer,
                         note="Allocated at the start of the demo")
        if officer.team and officer.team.area_id:
            # Every write of an episode bumps its version (episode_lock relies on it).
            Episode.objects.filter(pk=episode.pk).update(area_id=officer.team.area_id,
                                                         version=F("version") + 1)
    return len(waiting[1:])


DISCLOSURE_WORDS = ("Said an older man at the flat touched her and told her to keep it secret; "
                    "possible sexual assault")


def demo_disclosure_ensure(*, force: Force, now) -> str | None:
    """Issue 10: one of the demo officer's open cases has come back with a disclosure, so the
    demo shows what happens: the child is found, the prevention interview records the
    disclosure, and the officer in the case and their sergeant are told at once (their My work
    and the child's "Harm and disclosures"). Safe to run again; returns the case's reference when
    it made one."""
    from mispers.casework.found import return_record
    from mispers.casework.interviews import prevention_interview_workflow
    from mispers.episodes.models import Episode
    from mispers.reviews.models import Notification

    if Notification.objects.filter(episode__force=force, kind="disclosure").exists():
        return None
    officer = User.objects.filter(username="officer", force=force).first()
    episode = (Episode.objects.filter(force=force, owner=officer, state=Episode.State.OPEN)
               .order_by("-reported_at").first()) if officer else None
    if episode is None:
        return None
    found_at = max(now - dt.timedelta(hours=3), episode.last_seen_at + dt.timedelta(minutes=5))
    return_record(actor=officer, now=found_at, episode=episode, found_at=found_at,
                  found_where="A flat above a takeaway", found_by="police",
                  condition="safe_and_well")
    held = max(found_at, min(found_at + dt.timedelta(hours=1), now))
    prevention_interview_workflow(
        actor=officer, now=held, episode=episode, held_at=held,
        where_child_was="A flat above a takeaway with two older men",
        with_whom="Two men in their twenties she met online",
        why_left="They promised her a party and a phone",
        child_account="They were nice at first. Then one of them wouldn't let me leave.",
        harm_disclosed=DISCLOSURE_WORDS, indicators=["sexual_exploitation", "older_associates"])
    return episode.reference


def demo_national_ensure(*, force: Force, now) -> str | None:
    """Issue 13: the demo force's full extract, made with `mispers export`'s service and loaded
    into the national hub as `mispers hub import` loads it, so the `national` user sees a force
    that has sent its data. Nothing when the hub already holds the force's data."""
    import tempfile
    from pathlib import Path

    from mispers.exchange.services import extract_make
    from mispers.national.models import ForceFile
    from mispers.national.services import hub_import

    if ForceFile.objects.filter(force_code=force.pk, status=ForceFile.Status.LOADED).exists():
        return None
    with tempfile.TemporaryDirectory() as folder:
        extract = extract_make(actor=None, now=now, force=force, out_dir=Path(folder))
        outcome = hub_import(actor=None, now=now, path=Path(folder) / extract.file_name)
    return outcome.message
