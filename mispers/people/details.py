"""A child's details as given, and the checks every child record must pass. Kept apart from the
services so that matching (which builds identity keys from these details) and people's services
(which call matching to keep those keys in step) do not import each other."""

import datetime as dt
from dataclasses import dataclass, field

from mispers.core.errors import DomainError

from .models import Ethnicity, ObservedEthnicity, Sex

ADULT_AGE = 18


class ChildInvalid(DomainError):
    """The child's details are not acceptable (a date in the future, an adult, a missing name)."""


@dataclass(frozen=True)
class ChildDetails:
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    estimated_age: int | None = None
    sex: str = Sex.NOT_KNOWN
    ethnicity: str = Ethnicity.NOT_STATED
    observed_ethnicity: str = ObservedEthnicity.NOT_RECORDED
    description: str = ""
    looked_after: bool = False
    local_authority: str = ""
    placement_address: str = ""
    # The placement as a recorded place of the child's force (a children's home or foster
    # placement), besides or instead of the address text.
    placement: object = None
    home_address: str = ""
    aliases: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def check_child_details(details: ChildDetails, *, today: dt.date) -> None:
    if not details.given_name.strip() and not details.family_name.strip():
        raise ChildInvalid("Enter the child's name", field="given_name")
    if details.date_of_birth is None and details.estimated_age is None:
        raise ChildInvalid("Enter a date of birth or, if it is not known, an estimated age",
                           field="date_of_birth")
    if details.date_of_birth is not None and details.date_of_birth > today:
        raise ChildInvalid("Date of birth must be in the past", field="date_of_birth")
    if details.estimated_age is not None and not 0 <= details.estimated_age < ADULT_AGE:
        raise ChildInvalid("Estimated age must be between 0 and 17: this system is for children",
                           field="estimated_age")
    if details.sex not in Sex.values:
        raise ChildInvalid(f"Unknown sex: {details.sex}", field="sex")
    if details.ethnicity not in Ethnicity.values:
        raise ChildInvalid("Choose the child's self-defined ethnicity, or Not stated",
                           field="ethnicity")
    if details.observed_ethnicity not in ObservedEthnicity.values:
        raise ChildInvalid("Choose the ethnicity you observed, or Not recorded",
                           field="observed_ethnicity")
    if details.looked_after and not details.local_authority.strip():
        raise ChildInvalid("Enter the local authority that looks after the child",
                           field="local_authority")


def details_of(child) -> ChildDetails:
    """The child's record as details, to change one or two of them."""
    return ChildDetails(
        given_name=child.given_name, family_name=child.family_name,
        date_of_birth=child.date_of_birth, estimated_age=child.estimated_age, sex=child.sex,
        ethnicity=child.ethnicity, observed_ethnicity=child.observed_ethnicity,
        description=child.description, looked_after=child.looked_after,
        local_authority=child.local_authority, placement_address=child.placement_address,
        placement=child.placement, home_address=child.home_address)
