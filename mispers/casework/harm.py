"""What a harmful return, a disclosure or a death sets in motion (issue 10). Called by the found
and interview workflows inside their transaction."""

import datetime as dt


def after_found(*, actor, now: dt.datetime, episode, record) -> None:
    """Called by the found workflow after the found record is saved: for a harmed, victim-of-crime
    or sexual-offence condition, or a child found deceased, notify and create the tasks."""


def after_disclosure(*, actor, now: dt.datetime, episode, source: str, indicators: list[str],
                     summary: str) -> None:
    """Called when a prevention or return-home interview records a disclosure (indicators of
    exploitation or harm): notify the officer in the case and their supervisor at once and
    create the tasks. `source` is "prevention_interview" or "return_home_interview"."""
