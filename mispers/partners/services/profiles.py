"""The Philomena profile (part 1): kept by the carers of a child at risk of going missing."""

import datetime as dt
import re
from dataclasses import dataclass, fields

from django.db import transaction

from mispers.core.errors import DomainError, NotFound
from mispers.people.models import Child

from ..models import PhilomenaProfile
from ..permissions import PROFILE_KINDS  # noqa: F401
from ..permissions import can_keep_profile as may_keep_profile
from ..photos import photo_prepare
from ..selectors import latest_profile_for_partner, partner_access

# Return-interview workers interview the child; they do not keep the carers' profile.
DEFAULT_REVIEW_DAYS = 90

# C0 control characters other than tab and newline, and DEL: never meaningful in a profile,
# and some (NUL) break databases or terminals. Markup is NOT removed: it is stored as typed and
# escaped wherever it is shown (ADR 0010), so nothing a carer writes is lost or executed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ProfileError(DomainError):
    """The profile cannot be saved (not responsible, bad review period, bad photo)."""


@dataclass(frozen=True)
class ProfileDetails:
    physical_description: str = ""
    friends_and_associates: str = ""
    places_frequented: str = ""
    medical_needs: str = ""
    medication: str = ""
    phone: str = ""
    social_media: str = ""
    transport: str = ""
    other_information: str = ""
    photo_taken_on: dt.date | None = None
    review_period_days: int = DEFAULT_REVIEW_DAYS


TEXT_FIELDS = tuple(f.name for f in fields(ProfileDetails)
                    if f.name not in {"photo_taken_on", "review_period_days"})


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


@transaction.atomic
def profile_save(*, actor, now: dt.datetime, child: Child, details: ProfileDetails,
                 photo=None, remove_photo: bool = False) -> PhilomenaProfile:
    """Create or update the actor's organisation's profile of the child (one per child per
    organisation; the most recently reviewed one is the child's profile) and record the review.
    `photo` is an uploaded file; without one the profile keeps the photo it shows now, unless
    `remove_photo`. A photo file no profile uses any more is deleted from storage once the
    transaction commits (photo_discard)."""
    today = now.date()
    access = partner_access(user=actor, child=child, on=today)
    if access is None:
        raise NotFound("Child not found")
    if not may_keep_profile(user=actor, child=child, on=today):
        raise ProfileError("Only the child's home or placing authority keeps the profile, "
                           "while it is responsible for the child")
    if not 7 <= details.review_period_days <= 365:
        raise ProfileError("The review period must be between 7 and 365 days",
                           field="review_period_days")
    if details.photo_taken_on is not None and details.photo_taken_on > today:
        raise ProfileError("The date the photo was taken cannot be in the future",
                           field="photo_taken_on")
    # Check the photo before writing anything, so a bad file leaves the profile as it was.
    prepared = photo_prepare(photo) if photo is not None else None

    profile = (PhilomenaProfile.objects.select_for_update()
               .filter(child=child, organisation_id=actor.organisation_id).first())
    if profile is None:
        # A new profile starts from the photo the carers were shown (the latest profile's).
        shown = latest_profile_for_partner(user=actor, child=child, on=today)
        profile = PhilomenaProfile(child=child, organisation_id=actor.organisation_id)
        if shown is not None and shown.photo:
            profile.photo = shown.photo.name
            profile.photo_taken_on = shown.photo_taken_on
    for name in TEXT_FIELDS:
        limit = PhilomenaProfile._meta.get_field(name).max_length
        value = clean_text(getattr(details, name))
        if limit and len(value) > limit:
            raise ProfileError(f"Use {limit} characters or fewer", field=name)
        setattr(profile, name, value)
    profile.review_period_days = details.review_period_days
    if details.photo_taken_on is not None or prepared is not None:
        profile.photo_taken_on = details.photo_taken_on
    profile.last_reviewed_at = now
    profile.last_reviewed_by = actor
    if prepared is not None and remove_photo:
        raise ProfileError("Either choose a new photo or remove the photo, not both",
                           field="photo")
    replaced = profile.photo.name or ""
    if prepared is not None:
        # Stored under MEDIA_ROOT/philomena/ with a random name, owner-only
        # (FILE_UPLOAD_PERMISSIONS).
        profile.photo.save(prepared.name, prepared, save=False)
    elif remove_photo:
        profile.photo = ""
        profile.photo_taken_on = None
    profile.stamp(actor=actor, now=now)
    profile.save()
    if replaced and replaced != profile.photo.name:
        photo_discard(name=replaced)
    return profile


def photo_discard(*, name: str) -> None:
    """Delete a photo file once no profile uses it, after the transaction commits (a rolled-back
    save keeps it). Profiles share a file when a new one starts from the photo it was shown, so
    the check is made at commit time. The profile's history keeps the old name only: a photo
    replaced or removed is gone from storage, as the carers asked."""
    storage = PhilomenaProfile._meta.get_field("photo").storage

    def delete():
        if not PhilomenaProfile.objects.filter(photo=name).exists():
            storage.delete(name)

    transaction.on_commit(delete)
