"""Demo duplicates: a few of the demo force's children recorded a second time with the slips a
busy control room makes (a misspelt family name, the day and month swapped, a nickname, the
year out by one), then the batch linkage job run once, so the coordinator's duplicate review
queue has something real to decide. Deterministic and idempotent."""

import dataclasses
import datetime as dt
import random

from mispers.accounts.models import Force, User
from mispers.casework.children import child_create
from mispers.matching.dedupe import dedupe_run
from mispers.people.models import Child
from mispers.people.services import ChildDetails, ChildInvalid

from .noise import respell, short_form, typo
from .people import observed_ethnicity

# Marks the re-recorded children so a second run adds none (and reset can find them).
DUPLICATE_NOTE = "Recorded again at a later call (synthetic demo duplicate)"
SLIPS = ("typo_family", "dob_swapped", "nickname", "respelled_family", "dob_year", "typo_given")


def _with_slip(child: Child, slip: str, rng: random.Random) -> ChildDetails | None:
    details = ChildDetails(
        given_name=child.given_name, family_name=child.family_name,
        date_of_birth=child.date_of_birth, sex=child.sex, ethnicity=child.ethnicity,
            observed_ethnicity=observed_ethnicity(child.ethnicity),
        description=DUPLICATE_NOTE, looked_after=child.looked_after,
        local_authority=child.local_authority, placement_address=child.placement_address,
        placement=child.placement, home_address=child.home_address)
    born = child.date_of_birth
    if slip == "typo_family":
        return dataclasses.replace(details, family_name=typo(rng, child.family_name))
    if slip == "respelled_family":
        return dataclasses.replace(details, family_name=respell(rng, child.family_name))
    if slip == "typo_given":
        return dataclasses.replace(details, given_name=typo(rng, child.given_name))
    if slip == "nickname":
        short = short_form(rng, child.given_name)
        return dataclasses.replace(details, given_name=short) if short else None
    if slip == "dob_swapped":
        if born.day > 12 or born.day == born.month:
            return None
        return dataclasses.replace(details, date_of_birth=born.replace(day=born.month,
                                                                       month=born.day))
    if slip == "dob_year":
        try:
            return dataclasses.replace(details, date_of_birth=born.replace(year=born.year + 1))
        except ValueError:  # 29 February
            return None
    raise ValueError(slip)


def demo_duplicates_ensure(*, force: Force, now: dt.datetime, seed: int = 1) -> tuple[int, int]:
    """Record one duplicate per slip kind and run the linkage job once. Returns how many
    duplicates were recorded and how many pairs were suggested ((0, 0) when already there)."""
    if Child.objects.filter(force=force, description=DUPLICATE_NOTE).exists():
        return 0, 0
    recorder = User.objects.filter(force=force, username="handler").first()
    coordinator = User.objects.filter(force=force, username="coordinator").first()
    rng = random.Random(seed)
    candidates = list(Child.objects.filter(force=force, merged_into__isnull=True,
                                           date_of_birth__isnull=False)
                      .order_by("family_name", "given_name", "date_of_birth"))
    rng.shuffle(candidates)
    made = 0
    slips = list(SLIPS)
    for child in candidates:
        if not slips:
            break
        details = _with_slip(child, slips[0], rng)
        if details is None or details.date_of_birth > now.date():
            continue
        try:
            child_create(actor=recorder, now=now, force=force, details=details)
        except ChildInvalid:  # a slip that makes the child 18 is simply skipped
            continue
        slips.pop(0)
        made += 1
    suggested = dedupe_run(force=force, actor=coordinator, now=now).suggested if made else 0
    return made, suggested
