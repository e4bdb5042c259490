"""Demo partners: a local authority's children's services, three care providers running the
force's children's homes and a return-interview provider working with the demo force, one
sign-in per partner role, responsibilities for looked-after demo children and a few Philomena
profiles (one of them out of date). Idempotent: run again, it finds what it made.

The organisations are recorded before the history (`demo_organisations_ensure`), so that the
generator's children's homes are run by the care providers; the responsibilities after it
(`demo_partners_ensure`), and they agree with the children's records by construction (issue 11):
the children's home is responsible for the children placed in its homes (`Child.placement`), and
the council for the children whose record names it as their local authority. The council is one
of the area's real local authorities (the name the children's records carry); the care
providers, the return-interview provider and every person are invented."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import check_password
from django.db import transaction

from mispers.accounts.models import Force, User
from mispers.accounts.roles import Role
from mispers.partners.models import PartnerOrganisation, PhilomenaProfile, Responsibility
from mispers.partners.services import (
    ProfileDetails,
    organisation_create,
    partner_user_create,
    profile_save,
    responsibility_start,
)
from mispers.people.models import Child

from .demo import DEMO_PASSWORD, DemoLogin

K = PartnerOrganisation.Kind
DEMO_ORGANISATIONS = [
    ("council", "Plymouth City Council", K.CHILDRENS_SERVICES),
    ("home", "Oakridge House Children's Home", K.CARE_PROVIDER),
    ("moorhaven", "Moorhaven Care Ltd", K.CARE_PROVIDER),
    ("seaglass", "Seaglass Children's Homes", K.CARE_PROVIDER),
    ("rhi", "Harbour Return Interviews", K.RHI_PROVIDER),
]
# The care providers running the demo force's children's homes, in the generator's order (the
# first runs three homes, Oakridge House among them; synth/places.py).
DEMO_PROVIDERS = ["home", "moorhaven", "seaglass"]
# username, organisation key, role, first name, last name (invented)
DEMO_PARTNER_USERS = [
    ("socialworker", "council", Role.SOCIAL_WORKER, "Sam", "Trelawny"),
    ("partneradmin", "council", Role.PARTNER_ADMIN, "Priya", "Nance"),
    ("careworker", "home", Role.CARE_WORKER, "Cal", "Jenkin"),
    ("rhiworker", "rhi", Role.RHI_WORKER, "Rosa", "Penhale"),
]
CHILDREN = 12
PROFILES = [  # (days since the last review, details): the last one is out of date
    (10, dict(physical_description="About 5ft 5, slim, shoulder-length brown hair, small scar "
                                   "on the left eyebrow",
              friends_and_associates="Tia (15, school friend); 'Deano' (about 19, drives a "
                                     "black hatchback)",
              places_frequented="Bus station; the skate park by the river; Tia's flat, Mill "
                                "Street", medical_needs="Asthma", medication="Inhaler (blue)",
              phone="07700 900101", social_media="Snapchat and TikTok (handle on file)",
              transport="Buses; lifts from older friends")),
    (30, dict(physical_description="Tall for age, short black hair, glasses",
              friends_and_associates="Older brother's friends in the town centre",
              places_frequented="Town centre arcade; McDonald's on the high street",
              phone="07700 900102", transport="Train to the city")),
    (120, dict(physical_description="Small build, long red hair usually tied back",
               places_frequented="Grandmother's house, Station Road",
               medical_needs="Type 1 diabetes", medication="Insulin pen, twice a day",
               phone="07700 900103", transport="Walks; bike")),
]


def _organisation(*, actor, now, force, name, kind) -> PartnerOrganisation:
    existing = PartnerOrganisation.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return organisation_create(actor=actor, now=now, name=name, kind=kind, forces=[force],
                               email="shared-inbox@example.org")


@transaction.atomic
def demo_organisations_ensure(*, force: Force, now: dt.datetime) -> dict[str, PartnerOrganisation]:
    """The demo's partner organisations, by key (recorded by the coordinator when new)."""
    coordinator = User.objects.get(username="coordinator")
    return {key: _organisation(actor=coordinator, now=now, force=force, name=name, kind=kind)
            for key, name, kind in DEMO_ORGANISATIONS}


def demo_providers(organisations: dict[str, PartnerOrganisation]) -> list[PartnerOrganisation]:
    """The care providers for the generator (`generate_force(providers=...)`)."""
    return [organisations[key] for key in DEMO_PROVIDERS]


@transaction.atomic
def demo_partners_ensure(*, force: Force, now: dt.datetime) -> list[DemoLogin]:
    coordinator = User.objects.get(username="coordinator")
    orgs = demo_organisations_ensure(force=force, now=now)
    logins = []
    for username, key, role, first, last in DEMO_PARTNER_USERS:
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = partner_user_create(actor=coordinator, now=now, organisation=orgs[key],
                                       username=username, roles=[role],
                                       password=DEMO_PASSWORD, first_name=first,
                                       last_name=last, email=f"{username}@example.org")
        password = (DEMO_PASSWORD if check_password(DEMO_PASSWORD, user.password)
                    else "(changed: not shown)")
        logins.append(DemoLogin(username=username, role=", ".join(sorted(user.role_codes)),
                                rank="-", force=str(user.organisation or "(no organisation)"),
                                created=created, password=password))

    if not Responsibility.objects.filter(organisation=orgs["home"]).exists():
        # A year back, so the partners see the last year of these children's episodes.
        since = now.date() - dt.timedelta(days=365)
        # Children still under 18 today: a home is not responsible for a care leaver here.
        looked_after = [c for c in Child.objects.filter(
            force=force, looked_after=True, merged_into__isnull=True).select_related(
            "placement").order_by("family_name", "given_name", "date_of_birth")
            if (c.age_on(now.date()) or 0) < 18]
        # The records agree: the council placed the children whose record names it; the
        # children's home looks after the children placed in one of its homes.
        placed_by = [c for c in looked_after
                     if c.local_authority == orgs["council"].name][:CHILDREN]
        children = [c for c in looked_after if c.placement is not None
                    and c.placement.provider_id == orgs["home"].pk][:CHILDREN]
        for child in placed_by:
            responsibility_start(actor=coordinator, now=now, child=child,
                                 organisation=orgs["council"], kind="placing_authority",
                                 starts_on=since)
        for child in children:
            responsibility_start(actor=coordinator, now=now, child=child,
                                 organisation=orgs["home"], kind="home", starts_on=since)
        carer = User.objects.get(username="careworker")
        for child, (days_ago, details) in zip(children, PROFILES, strict=False):
            if not PhilomenaProfile.objects.filter(child=child).exists():
                profile_save(actor=carer, now=now - dt.timedelta(days=days_ago), child=child,
                             details=ProfileDetails(**details))
    return logins
