"""A force's records in the exchange format's full profile (format.py), read straight from the
operational tables with values queries (no model instances: a force's whole history is read at
each extract). Free text never leaves: only coded values, dates, names and postcodes.

Each function yields (kind, id, record) in id order, so an extract is the same for the same
data."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator

from mispers.episodes.models import Episode
from mispers.matching.models import ChildMerge
from mispers.people.models import Alias, Child, Marker
from mispers.places.details import postcode_standard
from mispers.places.models import Place
from mispers.returns.models import (
    FoundRecord,
    PreventionInterview,
    PreventionWaiver,
    ReturnHomeInterview,
)
from mispers.risk.models import Assessment

Record = tuple[str, str, dict]
POSTCODE_AT_END = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\W*$")


def when(value: dt.datetime | None) -> str | None:
    """A time as ISO 8601 in UTC ("2026-03-02T12:00:00Z")."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def district(postcode: str | None) -> str | None:
    return postcode.split(" ")[0] if postcode else None


def postcode_in(address: str) -> str | None:
    """The postcode an address ends with, in its standard form, or None."""
    found = POSTCODE_AT_END.search((address or "").upper())
    if not found:
        return None
    try:
        return postcode_standard(found.group(1)) or None
    except Exception:  # noqa: BLE001 - not a postcode in use: leave it out rather than guess
        return None


def _id(value) -> str | None:
    return str(value) if value is not None else None


def places(force_id) -> Iterator[Record]:
    for row in Place.objects.filter(force_id=force_id).order_by("id").values(
            "id", "kind", "name", "postcode", "latitude", "longitude", "provider__name",
            "registration_number", "merged_into_id"):
        yield "place", str(row["id"]), {
            "place_kind": row["kind"], "name": row["name"][:200],
            "postcode": row["postcode"] or None, "postcode_district": district(row["postcode"]),
            "latitude": float(row["latitude"]) if row["latitude"] is not None else None,
            "longitude": float(row["longitude"]) if row["longitude"] is not None else None,
            "provider": row["provider__name"] or None,
            "registration_number": row["registration_number"] or None,
            "merged_into": _id(row["merged_into_id"])}


def children(force_id) -> Iterator[Record]:
    names = defaultdict(list)
    for child_id, kind, given, family in Alias.objects.filter(
            child__force_id=force_id).order_by("child_id", "kind", "family_name", "given_name",
                                               "id").values_list(
            "child_id", "kind", "given_name", "family_name"):
        names[child_id].append({"kind": kind, "given_name": given, "family_name": family})
    for row in Child.objects.filter(force_id=force_id).order_by("id").values(
            "id", "given_name", "family_name", "date_of_birth", "estimated_age",
            "estimated_age_on", "sex", "ethnicity", "observed_ethnicity", "looked_after",
            "local_authority", "placement_id", "home_address", "merged_into_id"):
        home = postcode_in(row["home_address"])
        unique = []
        for name in names.get(row["id"], []):
            if name not in unique:
                unique.append(name)
        yield "child", str(row["id"]), {
            "given_name": row["given_name"] or "-", "family_name": row["family_name"] or "-",
            "other_names": unique, "date_of_birth": day(row["date_of_birth"]),
            "estimated_age": row["estimated_age"],
            "estimated_age_on": day(row["estimated_age_on"]), "sex": row["sex"],
            "ethnicity": row["ethnicity"], "observed_ethnicity": row["observed_ethnicity"],
            "looked_after": row["looked_after"],
            "local_authority": row["local_authority"] or None,
            "placement": _id(row["placement_id"]), "home_postcode": home,
            "home_postcode_district": district(home),
            "merged_into": _id(row["merged_into_id"])}


def merges(force_id) -> Iterator[Record]:
    for pk, survivor, merged, merged_at, undone_at in ChildMerge.objects.filter(
            force_id=force_id).order_by("pk").values_list(
            "pk", "survivor_id", "merged_id", "merged_at", "undone_at"):
        yield "merge", f"merge-{pk}", {"merged": str(merged), "into": str(survivor),
                                       "merged_at": when(merged_at),
                                       "undone_at": when(undone_at)}


def episodes(force_id) -> Iterator[Record]:
    for row in Episode.objects.filter(force_id=force_id).order_by("id").values(
            "id", "child_id", "reference", "state", "reported_at", "last_seen_at",
            "missing_from", "missing_from_place_id", "last_seen_place_id", "reported_via",
            "current_grade"):
        yield "episode", str(row["id"]), {
            "child": str(row["child_id"]), "reference": row["reference"],
            "state": row["state"], "reported_at": when(row["reported_at"]),
            "last_seen_at": when(row["last_seen_at"]), "missing_from": row["missing_from"],
            "missing_from_place": _id(row["missing_from_place_id"]),
            "last_seen_place": _id(row["last_seen_place_id"]),
            "reported_via": row["reported_via"], "grade": row["current_grade"] or None}


def assessments(force_id) -> Iterator[Record]:
    for row in Assessment.objects.filter(episode__force_id=force_id).order_by("id").values(
            "id", "episode_id", "sequence", "assessed_at", "age_at_report", "looked_after",
            "missing_from", "exploitation_marker", "policy_name", "policy_version",
            "recommended_grade", "chosen_grade", "status", "reasons", "ratified_at"):
        effective = Assessment(status=row["status"], chosen_grade=row["chosen_grade"],
                               recommended_grade=row["recommended_grade"]).effective_grade
        # The rules that set the recommendation, by code; their wording stays behind.
        reasons = sorted({str(reason.get("rule", "")) if isinstance(reason, dict)
                          else str(reason) for reason in row["reasons"] or []} - {""})
        yield "assessment", str(row["id"]), {
            "episode": str(row["episode_id"]), "sequence": row["sequence"],
            "assessed_at": when(row["assessed_at"]),
            "age_at_report": min(row["age_at_report"], 17),
            "looked_after": row["looked_after"], "missing_from": row["missing_from"],
            "exploitation_marker": row["exploitation_marker"], "policy": row["policy_name"],
            "policy_version": row["policy_version"],
            "recommended_grade": row["recommended_grade"],
            "chosen_grade": row["chosen_grade"], "effective_grade": effective,
            "status": row["status"], "reasons": [r[:60] for r in reasons],
            "ratified_at": when(row["ratified_at"])}


def outcomes(force_id) -> Iterator[Record]:
    for row in FoundRecord.objects.filter(episode__force_id=force_id).order_by("id").values(
            "id", "episode_id", "found_at", "found_by", "condition", "harms",
            "found_place_id"):
        yield "outcome", str(row["id"]), {
            "episode": str(row["episode_id"]), "found_at": when(row["found_at"]),
            "found_by": row["found_by"], "condition": row["condition"],
            "harms": sorted(set(row["harms"] or ())), "found_place": _id(row["found_place_id"])}


def interviews(force_id) -> Iterator[Record]:
    """The prevention interview (held, or waived) and the return-home interview of each
    episode; the prevention interview's id is its episode's (held or waived, one per
    episode)."""
    held = {row["episode_id"]: row for row in PreventionInterview.objects.filter(
        episode__force_id=force_id).values("episode_id", "held_at", "indicators")}
    waived = set(PreventionWaiver.objects.filter(episode__force_id=force_id)
                 .values_list("episode_id", flat=True))
    rows = []
    for episode_id in held.keys() | waived:
        row = held.get(episode_id, {})
        rows.append((f"prevention-{episode_id}", {
            "episode": str(episode_id), "interview": "prevention",
            "held_at": when(row.get("held_at")), "waived": episode_id in waived,
            "indicators": sorted(set(row.get("indicators") or ()))}))
    for row in ReturnHomeInterview.objects.filter(episode__force_id=force_id).values(
            "id", "episode_id", "referred_at", "due_at", "offered_at", "response",
            "completed_at", "indicators"):
        rows.append((f"return-home-{row['id']}", {
            "episode": str(row["episode_id"]), "interview": "return_home",
            "referred_at": when(row["referred_at"]), "due_at": when(row["due_at"]),
            "offered_at": when(row["offered_at"]), "response": row["response"] or None,
            "completed_at": when(row["completed_at"]),
            "indicators": sorted(set(row["indicators"] or ()))}))
    for record_id, record in sorted(rows, key=lambda item: item[0]):
        yield "interview", record_id, record


def markers(force_id) -> Iterator[Record]:
    for row in Marker.objects.filter(child__force_id=force_id).order_by("id").values(
            "id", "child_id", "kind", "subtype", "source", "active_from", "active_until"):
        yield "marker", str(row["id"]), {
            "child": str(row["child_id"]), "marker_kind": row["kind"],
            "subtype": row["subtype"] or None, "source": row["source"] or None,
            "active_from": day(row["active_from"]), "active_until": day(row["active_until"])}


READERS = {"place": places, "child": children, "merge": merges, "episode": episodes,
           "assessment": assessments, "outcome": outcomes, "interview": interviews,
           "marker": markers}


def full_records(force_id) -> Iterator[Record]:
    """Every record of the force, kind by kind in the format's order."""
    for reader in READERS.values():
        yield from reader(force_id)
