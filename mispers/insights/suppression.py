"""Small numbers for the commissioner's office (issue 12, ADR 41): a count from 1 to 4 is shown
as "fewer than 5", and where a table's total would reveal a single suppressed cell, the next
smallest cell is suppressed too (secondary suppression). Shares are shown only when their
count and denominator could be shown. Applied to what the page, the CSV and the API give, never
to the figures themselves."""

from __future__ import annotations

FEWER = "fewer than 5"


def small(count) -> bool:
    return isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= 4


def count(value):
    return FEWER if small(value) else value


def counts(values: list) -> list:
    """A row or column that is shown with its total: primary suppression, and if exactly one
    cell is suppressed, the smallest other non-zero cell too, so the total cannot give it."""
    shown = [count(v) for v in values]
    hidden = [i for i, v in enumerate(shown) if v == FEWER]
    if len(hidden) == 1:
        others = [(v, i) for i, v in enumerate(values)
                  if i not in hidden and isinstance(v, int) and v > 0]
        if others:
            shown[min(others)[1]] = FEWER
    return shown


def share(numerator: int, denominator: int, rate):
    """A rate, or FEWER when its count or denominator is a small number."""
    if small(numerator) or small(denominator) or small(denominator - numerator):
        return FEWER
    return rate
