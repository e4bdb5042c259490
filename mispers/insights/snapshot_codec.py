"""Snapshots of the force picture (ADR 43) as JSON, not pickle: a row of the database is never
turned into code, whoever could write to it. The figures' own types are named in a short list
and rebuilt field by field; anything else in a row is refused (and the snapshot made again)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from .exploitation import Exploitation
from .measures import Figures, Share
from .period import Period

TYPES = {cls.__name__: cls for cls in (Figures, Exploitation, Share, Period)}


def _plain(value):
    if dataclasses.is_dataclass(value) and type(value).__name__ in TYPES:
        return {"~type": type(value).__name__,
                "fields": {f.name: _plain(getattr(value, f.name))
                           for f in dataclasses.fields(value)}}
    if isinstance(value, dt.date):
        return {"~date": value.isoformat()}
    if isinstance(value, tuple):
        return {"~tuple": [_plain(item) for item in value]}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {"~dict": {key: _plain(item) for key, item in value.items()}}
        return {"~pairs": [[_plain(key), _plain(item)] for key, item in value.items()]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"A snapshot cannot hold a {type(value).__name__}")


def _rebuilt(value):
    if isinstance(value, list):
        return [_rebuilt(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "~type" in value:
        cls = TYPES[value["~type"]]  # KeyError for any other name: refused
        return cls(**{name: _rebuilt(item) for name, item in value["fields"].items()})
    if "~date" in value:
        return dt.date.fromisoformat(value["~date"])
    if "~tuple" in value:
        return tuple(_rebuilt(item) for item in value["~tuple"])
    if "~dict" in value:
        return {key: _rebuilt(item) for key, item in value["~dict"].items()}
    if "~pairs" in value:
        return {_rebuilt(key): _rebuilt(item) for key, item in value["~pairs"]}
    raise ValueError("Not a snapshot")


def dumps(value) -> bytes:
    return json.dumps(_plain(value), separators=(",", ":")).encode()


def loads(data: bytes):
    return _rebuilt(json.loads(data))
