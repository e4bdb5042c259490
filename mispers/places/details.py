"""What a place record must hold, checked before anything is written (issue 11)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ukpostcodeparser.parser import parse_uk_postcode

from mispers.core.errors import DomainError

from .models import PlaceKind

# Great Britain, Northern Ireland and the islands, generously: a coordinate outside this box is a
# typing slip (a sign lost, latitude and longitude swapped), not a place in a force's area.
LATITUDE = (Decimal("49.5"), Decimal("61.0"))
LONGITUDE = (Decimal("-8.8"), Decimal("2.0"))


class PlaceInvalid(DomainError):
    """A place that cannot be recorded as given; the message says which field and why."""


@dataclass(frozen=True)
class PlaceDetails:
    kind: str
    name: str
    address: str = ""
    postcode: str = ""
    latitude: Decimal | str | None = None
    longitude: Decimal | str | None = None
    provider_id: object = None
    registration_number: str = ""


def postcode_standard(text: str) -> str:
    """A UK postcode in its standard form ("pl48aa" → "PL4 8AA"), "" for none; PlaceInvalid when
    it is not a UK postcode (ukpostcodeparser's rules: the areas and letter positions in use)."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        outward, inward = parse_uk_postcode(text, strict=True, incode_mandatory=True)
    except (ValueError, TypeError) as error:  # the parser's errors are ValueErrors
        raise PlaceInvalid(f"Enter a full UK postcode, like PL4 8AA (not {text[:10]!r})",
                           field="postcode") from error
    return f"{outward} {inward}"


def _coordinate(value, bounds, label: str, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise PlaceInvalid(f"{label} must be a number, like {bounds[0] + 1}", field=field) \
            from error
    if not bounds[0] <= number <= bounds[1]:
        raise PlaceInvalid(f"{label} must be between {bounds[0]} and {bounds[1]} (a place in "
                           "the United Kingdom)", field=field)
    return number.quantize(Decimal("0.00001"))


def place_details_check(details: PlaceDetails) -> dict:
    """The field values to store, standardised; PlaceInvalid naming the first field at fault."""
    if details.kind not in PlaceKind.values:
        raise PlaceInvalid("Choose what kind of place this is", field="kind")
    name = " ".join((details.name or "").split())
    if not name:
        raise PlaceInvalid("Enter the place's name, like Oakfield House or Plymouth bus "
                           "station", field="name")
    if len(name) > 200:
        raise PlaceInvalid("The name must be 200 characters or fewer", field="name")
    latitude = _coordinate(details.latitude, LATITUDE, "Latitude", "latitude")
    longitude = _coordinate(details.longitude, LONGITUDE, "Longitude", "longitude")
    if (latitude is None) != (longitude is None):
        raise PlaceInvalid("Enter both latitude and longitude, or neither",
                           field="longitude" if longitude is None else "latitude")
    home = details.kind == PlaceKind.CHILDRENS_HOME
    registration = (details.registration_number or "").strip().upper()
    if not home and (details.provider_id or registration):
        raise PlaceInvalid("Only a children's home has a provider and a registration number",
                           field="provider")
    if len(registration) > 20:
        raise PlaceInvalid("The registration number must be 20 characters or fewer",
                           field="registration_number")
    return {"kind": details.kind, "name": name, "address": (details.address or "").strip(),
            "postcode": postcode_standard(details.postcode), "latitude": latitude,
            "longitude": longitude, "provider_id": details.provider_id if home else None,
            "registration_number": registration}
