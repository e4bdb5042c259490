"""The period a figure is about (docs/insight-definitions.md): a first and a last day,
inclusive, in the force's time zone; compared with the period before and a year earlier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from mispers.core.errors import DomainError

LONGEST_DAYS = 3 * 366


class PeriodInvalid(DomainError):
    """A period that cannot be shown; the message says why, the field which end."""


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> dt.datetime:
        """The first moment of the first day, in the force's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.first, dt.time()))

    @property
    def end(self) -> dt.datetime:
        """The first moment after the last day (the period is [start, end))."""
        return timezone.make_aware(dt.datetime.combine(self.last + dt.timedelta(days=1),
                                                       dt.time()))

    def previous(self) -> Period:
        return Period(self.first - dt.timedelta(days=self.days),
                      self.first - dt.timedelta(days=1))

    def year_before(self) -> Period:
        return Period(_year_back(self.first), _year_back(self.last))

    def __str__(self) -> str:
        return f"{self.first:%-d %b %Y} to {self.last:%-d %b %Y}"


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_check(*, first: dt.date | None, last: dt.date | None, today: dt.date) -> Period:
    """A period to show, or PeriodInvalid naming the end at fault."""
    if first is None:
        raise PeriodInvalid("Enter the first day of the period", field="first")
    if last is None:
        raise PeriodInvalid("Enter the last day of the period", field="last")
    if last < first:
        raise PeriodInvalid("The period must end on or after the day it starts", field="last")
    if first > today:
        raise PeriodInvalid("The period cannot start in the future", field="first")
    if last > today:
        raise PeriodInvalid("The period cannot end in the future: choose today or earlier",
                            field="last")
    if (last - first).days + 1 > LONGEST_DAYS:
        raise PeriodInvalid("Choose a period of three years or less", field="first")
    return Period(first, last)


def last_full_months(*, today: dt.date, months: int = 12) -> Period:
    """The default period: the last `months` whole calendar months before today's month."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    year, month = last.year, last.month - months + 1
    while month < 1:
        month += 12
        year -= 1
    return Period(dt.date(year, month, 1), last)
