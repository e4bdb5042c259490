"""The national exchange format, version 1 (issue 13, ADR 44): what each kind of record holds in
each profile. This is the one definition: the JSON Schema files under `schemas/` are written
from it (`mispers exchange_schemas --write`, a test keeps them equal) and docs/exchange-format.md
describes it for other suppliers.

Two profiles. **full**: what the national unit needs to recognise a child across forces (names,
dates of birth, postcodes). **statistical**: no names, no free text, no full date of birth (the
month only), no full postcode (the district only)."""

from __future__ import annotations

from mispers.episodes.models import Episode, Grade, MissingFrom, ReportedVia
from mispers.people.models import (
    Alias,
    Ethnicity,
    Marker,
    MarkerSource,
    MarkerSubtype,
    ObservedEthnicity,
    Sex,
)
from mispers.places.models import PlaceKind
from mispers.returns.models import Condition, FoundBy, Harm, Indicator, ReturnHomeInterview
from mispers.risk.models import Assessment

VERSION = "1.0"
PROFILES = ("full", "statistical")
# The order records appear in a file: what a record refers to comes before it.
KINDS = ("place", "child", "merge", "episode", "assessment", "outcome", "interview", "marker",
         "deletion")

ID = {"type": "string", "minLength": 1, "maxLength": 64}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$"}
TIME = {"type": "string", "format": "date-time",
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"}
POSTCODE = {"type": "string", "pattern": r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$"}
DISTRICT = {"type": "string", "pattern": r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"}
NAME = {"type": "string", "minLength": 1, "maxLength": 100}
TEXT = {"type": "string", "maxLength": 200}
SEQ = {"type": "integer", "minimum": 1}


def _enum(choices) -> dict:
    return {"type": "string", "enum": list(choices.values)}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _list_of(schema: dict) -> dict:
    return {"type": "array", "items": schema, "uniqueItems": True}


GRADE = _enum(Grade)
ALIAS = {"type": "object", "additionalProperties": False, "required": ["kind"],
         "properties": {"kind": _enum(Alias.Kind), "given_name": TEXT, "family_name": TEXT}}

# kind -> {field: (schema, required, profiles)}; "both" fields are in both profiles.
BOTH, FULL, STAT = ("full", "statistical"), ("full",), ("statistical",)
FIELDS: dict[str, dict[str, tuple[dict, bool, tuple]]] = {
    "place": {
        "place_kind": (_enum(PlaceKind), True, BOTH),
        "name": (TEXT, True, FULL),
        "postcode": (_nullable(POSTCODE), False, FULL),
        "postcode_district": (_nullable(DISTRICT), False, BOTH),
        "latitude": (_nullable({"type": "number", "minimum": 49, "maximum": 61}), False, FULL),
        "longitude": (_nullable({"type": "number", "minimum": -9, "maximum": 2}), False, FULL),
        "provider": (_nullable(TEXT), False, BOTH),
        "registration_number": (_nullable(TEXT), False, BOTH),
        "merged_into": (_nullable(ID), False, BOTH),
    },
    "child": {
        "given_name": (NAME, True, FULL),
        "family_name": (NAME, True, FULL),
        "other_names": (_list_of(ALIAS), False, FULL),
        "date_of_birth": (_nullable(DATE), False, FULL),
        "birth_month": (_nullable(MONTH), False, STAT),
        "estimated_age": (_nullable({"type": "integer", "minimum": 0, "maximum": 17}), False,
                          BOTH),
        "estimated_age_on": (_nullable(DATE), False, BOTH),
        "sex": (_enum(Sex), True, BOTH),
        "ethnicity": (_enum(Ethnicity), True, BOTH),
        "observed_ethnicity": (_enum(ObservedEthnicity), True, BOTH),
        "looked_after": ({"type": "boolean"}, True, BOTH),
        "local_authority": (_nullable(TEXT), False, BOTH),
        "placement": (_nullable(ID), False, BOTH),
        "home_postcode": (_nullable(POSTCODE), False, FULL),
        "home_postcode_district": (_nullable(DISTRICT), False, BOTH),
        "merged_into": (_nullable(ID), False, BOTH),
    },
    "merge": {
        "merged": (ID, True, BOTH),
        "into": (ID, True, BOTH),
        "merged_at": (TIME, True, BOTH),
        "undone_at": (_nullable(TIME), False, BOTH),
    },
    "episode": {
        "child": (ID, True, BOTH),
        "reference": (TEXT, True, FULL),
        "state": (_enum(Episode.State), True, BOTH),
        "reported_at": (TIME, True, BOTH),
        "last_seen_at": (TIME, True, BOTH),
        "missing_from": (_enum(MissingFrom), True, BOTH),
        "missing_from_place": (_nullable(ID), False, BOTH),
        "last_seen_place": (_nullable(ID), False, BOTH),
        "reported_via": (_enum(ReportedVia), True,
                         BOTH),
        "grade": (_nullable(GRADE), False, BOTH),
    },
    "assessment": {
        "episode": (ID, True, BOTH),
        "sequence": ({"type": "integer", "minimum": 1}, True, BOTH),
        "assessed_at": (TIME, True, BOTH),
        "age_at_report": ({"type": "integer", "minimum": 0, "maximum": 17}, True, BOTH),
        "looked_after": ({"type": "boolean"}, True, BOTH),
        "missing_from": (_enum(MissingFrom), True, BOTH),
        "exploitation_marker": ({"type": "boolean"}, True, BOTH),
        "policy": (TEXT, True, BOTH),
        "policy_version": (TEXT, True, BOTH),
        "recommended_grade": (GRADE, True, BOTH),
        "chosen_grade": (GRADE, True, BOTH),
        "effective_grade": (GRADE, True, BOTH),
        "status": (_enum(Assessment.Status), True, BOTH),
        "reasons": (_list_of({"type": "string", "maxLength": 60}), True, BOTH),
        "ratified_at": (_nullable(TIME), False, BOTH),
    },
    "outcome": {
        "episode": (ID, True, BOTH),
        "found_at": (TIME, True, BOTH),
        "found_by": (_enum(FoundBy), True, BOTH),
        "condition": (_enum(Condition), True, BOTH),
        "harms": (_list_of(_enum(Harm)), True, BOTH),
        "found_place": (_nullable(ID), False, BOTH),
    },
    "interview": {
        "episode": (ID, True, BOTH),
        "interview": ({"type": "string", "enum": ["prevention", "return_home"]}, True, BOTH),
        "held_at": (_nullable(TIME), False, BOTH),
        "waived": ({"type": "boolean"}, False, BOTH),
        "referred_at": (_nullable(TIME), False, BOTH),
        "due_at": (_nullable(TIME), False, BOTH),
        "offered_at": (_nullable(TIME), False, BOTH),
        "response": (_nullable({"type": "string",
                                "enum": list(ReturnHomeInterview.Response.values)}), False, BOTH),
        "completed_at": (_nullable(TIME), False, BOTH),
        "indicators": (_list_of(_enum(Indicator)), True, BOTH),
    },
    "marker": {
        "child": (ID, True, BOTH),
        "marker_kind": (_enum(Marker.Kind), True, BOTH),
        "subtype": (_nullable(_enum(MarkerSubtype)), False, BOTH),
        "source": (_nullable(_enum(MarkerSource)), False, BOTH),
        "active_from": (DATE, True, BOTH),
        "active_until": (_nullable(DATE), False, BOTH),
    },
    "deletion": {
        "of": ({"type": "string", "enum": [k for k in KINDS if k != "deletion"]}, True, BOTH),
    },
}

HEADER = {
    "type": "object", "additionalProperties": False,
    "required": ["kind", "schema_version", "force", "profile", "sequence", "counts", "checksum"],
    "properties": {
        "kind": {"const": "header"},
        "schema_version": {"const": VERSION},
        "force": {"type": "string", "pattern": r"^[a-z0-9-]{2,40}$"},
        "profile": {"type": "string", "enum": list(PROFILES)},
        "sequence": {"type": "object", "additionalProperties": False,
                     "required": ["after", "to"],
                     "properties": {"after": {"type": "integer", "minimum": 0},
                                    "to": {"type": "integer", "minimum": 0}}},
        "period": _nullable({"type": "object", "additionalProperties": False,
                             "required": ["first", "last"],
                             "properties": {"first": DATE, "last": DATE}}),
        "counts": {"type": "object", "additionalProperties": False,
                   "properties": {kind: {"type": "integer", "minimum": 0} for kind in KINDS}},
        "checksum": {"type": "string", "pattern": r"^sha256:[0-9a-f]{64}$"},
    },
}


def record_schema(kind: str, profile: str) -> dict:
    fields = {name: schema for name, (schema, _req, profiles) in FIELDS[kind].items()
              if profile in profiles}
    required = [name for name, (_s, req, profiles) in FIELDS[kind].items()
                if req and profile in profiles]
    return {"type": "object", "additionalProperties": False,
            "required": ["kind", "id", "seq", *required],
            "properties": {"kind": {"const": kind}, "id": ID, "seq": SEQ, **fields}}


def schema(profile: str) -> dict:
    """The JSON Schema (draft 2020-12) of one line of a file of this profile."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mispers.example/exchange/v1/{profile}.schema.json",
        "title": f"Mispers national exchange format {VERSION}, {profile} profile: one line",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": ["header", *KINDS]}},
        "allOf": [{"if": {"properties": {"kind": {"const": kind}}},
                   "then": {"$ref": f"#/$defs/{kind}"}} for kind in ("header", *KINDS)],
        "$defs": {"header": HEADER,
                  **{kind: record_schema(kind, profile) for kind in KINDS}},
    }
