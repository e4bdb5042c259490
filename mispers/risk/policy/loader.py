"""Finding and loading policy data files (TOML, read with the standard library's tomllib).

`national.toml` is the base policy (read by parsing.NationalReader); a force overlay says
`extends = "national"` and is applied to it (overlay.OverlayReader). Policies are loaded once
and cached: a loaded Policy is immutable.
"""

from __future__ import annotations

import csv
import functools
import os
import tomllib
from pathlib import Path

from .errors import OverlayError, PolicyFileError, UnknownPolicyError
from .model import NATIONAL, Policy
from .overlay import OverlayReader
from .parsing import NationalReader

POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"


@functools.cache
def known_force_codes() -> frozenset[str]:
    """The codes of the 43 forces of England and Wales (mispers/risk/policies/forces.csv)."""
    with (POLICY_DIR / "forces.csv").open(newline="", encoding="utf-8") as file:
        return frozenset(row["code"] for row in csv.DictReader(file))


def shipped_overlays() -> tuple[str, ...]:
    """The force codes that have an overlay file, sorted."""
    return tuple(sorted(path.stem for path in POLICY_DIR.glob("*.toml") if path.stem != NATIONAL))


@functools.cache
def load_policy(name: str) -> Policy:
    """The policy called `name`: "national", or a force code. A force without an overlay file
    grades under the national policy (and the returned policy is the national one)."""
    if name == NATIONAL:
        return load_policy_file(POLICY_DIR / f"{NATIONAL}.toml")
    if not isinstance(name, str) or name not in known_force_codes():
        raise UnknownPolicyError(
            f"unknown policy {name!r}: use 'national' or a force code such as 'dorset'"
        )
    path = POLICY_DIR / f"{name}.toml"
    if not path.exists():
        return load_policy(NATIONAL)
    policy = load_policy_file(path)
    if policy.name != name:
        raise OverlayError(f"{path.name}: name: {policy.name!r} must be the file's force, {name!r}")
    return policy


def load_policy_file(path: str | os.PathLike[str]) -> Policy:
    """Load and validate one policy file; an overlay is applied to the national policy."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise PolicyFileError(f"{path}: cannot read the policy file: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise PolicyFileError(f"{path.name}: not valid TOML: {error}") from None
    if "extends" in data:
        return OverlayReader(path.name, data).build(load_policy(NATIONAL), known_force_codes())
    return NationalReader(path.name, data).build()


