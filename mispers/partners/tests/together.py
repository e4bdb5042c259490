"""Test set-up for working together (alerts, interviews, sharing, the partner API), through the
services: a child of the force with a placing authority, a home and a return-interview provider,
a user of each, and an organisation of each kind that is not responsible for the child."""

import datetime as dt
from types import SimpleNamespace

from mispers.accounts.roles import Rank
from mispers.accounts.services import user_create
from mispers.casework.children import child_create
from mispers.casework.found import return_record
from mispers.casework.grade import assessment_record
from mispers.casework.report import episode_report
from mispers.partners.models import PartnerOrganisation, Responsibility
from mispers.partners.services import organisation_create, responsibility_start
from mispers.risk import policy as risk_policy
from mispers.risk.services import AnswerInput

PASSWORD = "correct-horse-battery"
Kind = PartnerOrganisation.Kind


def partner_user(organisation, username, role, email=""):
    """A user of `organisation` working for every force it works with (ADR 0014)."""
    from django.utils import timezone

    from mispers.partners.services import partner_user_create

    return partner_user_create(actor=None, now=timezone.now(), organisation=organisation,
                               username=username, password=PASSWORD, roles=[role],
                               first_name=username.split("-")[0].title(),
                               last_name="Partner", email=email)


def world(*, force, now, child_details, prefix="", responsible_from=None):
    """Organisations, users and a looked-after child they are responsible for."""
    coordinator = user_create(username=f"{prefix}coordinator", password=PASSWORD, force=force,
                              roles=["coordinator"], rank=Rank.SERGEANT, first_name="Casey",
                              last_name="Coordinator")
    start = responsible_from or (now - dt.timedelta(days=400)).date()
    orgs = {}
    for key, kind, name in [
        ("la", Kind.CHILDRENS_SERVICES, "Plymouth Children's Services"),
        ("home", Kind.CARE_PROVIDER, "Harbour View Children's Home"),
        ("rhi", Kind.RHI_PROVIDER, "Safe Return Interviews"),
        ("other_la", Kind.CHILDRENS_SERVICES, "Torbay Children's Services"),
        ("other_home", Kind.CARE_PROVIDER, "Moorside Home"),
        ("other_rhi", Kind.RHI_PROVIDER, "Elsewhere Interviews"),
    ]:
        orgs[key] = organisation_create(actor=coordinator, now=now, name=f"{prefix}{name}",
                                        kind=kind, forces=[force],
                                        email=f"{key}@{prefix}partners.example")
    child = child_create(actor=coordinator, now=now, force=force, details=child_details(
        given_name="Kayla", family_name="Partnerchild"))
    for key, kind in [("la", Responsibility.Kind.PLACING_AUTHORITY),
                      ("home", Responsibility.Kind.HOME),
                      ("rhi", Responsibility.Kind.RHI_PROVIDER)]:
        responsibility_start(actor=coordinator, now=now, child=child, organisation=orgs[key],
                             kind=kind, starts_on=start)
    users = SimpleNamespace(
        social_worker=partner_user(orgs["la"], f"{prefix}social-worker", "social_worker",
                                   email="sw@partners.example"),
        la_admin=partner_user(orgs["la"], f"{prefix}la-admin", "partner_admin"),
        care_worker=partner_user(orgs["home"], f"{prefix}care-worker", "care_worker",
                                 email="cw@partners.example"),
        rhi_worker=partner_user(orgs["rhi"], f"{prefix}rhi-worker", "rhi_worker",
                                email="rw@partners.example"),
        other_social_worker=partner_user(orgs["other_la"], f"{prefix}other-social-worker",
                                         "social_worker"),
        other_care_worker=partner_user(orgs["other_home"], f"{prefix}other-care-worker",
                                       "care_worker"),
        other_rhi_worker=partner_user(orgs["other_rhi"], f"{prefix}other-rhi-worker",
                                      "rhi_worker"),
    )
    return SimpleNamespace(coordinator=coordinator, child=child, users=users,
                           **orgs)


def graded_episode(*, actor, now, child, grader, reported_at=None):
    reported_at = reported_at or now - dt.timedelta(hours=5)
    from mispers.episodes.services import ReportDetails

    episode = episode_report(actor=actor, now=reported_at, child=child, details=ReportDetails(
        reported_at=reported_at, reported_by_name="A Carer", last_seen_at=reported_at
        - dt.timedelta(hours=1), last_seen_where="Harbour View", missing_from="care"))
    assessment_record(actor=grader, now=reported_at + dt.timedelta(minutes=5), episode=episode,
                      chosen_grade="high", rationale="",
                      answers={code: AnswerInput(answer="unknown")
                               for code in risk_policy.FACTORS})
    return episode


def found(*, actor, now, episode, found_at=None):
    return return_record(actor=actor, now=now, episode=episode,
                         found_at=found_at or now - dt.timedelta(hours=1),
                         found_where="Plymouth bus station", found_by="police",
                         condition="safe_and_well")
