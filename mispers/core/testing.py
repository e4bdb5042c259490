"""Helpers for tests (imported only by tests)."""

import html


def page_text(response, status: int = 200, *, raw: bool = False) -> str:
    """The response's text (entities decoded unless `raw`), once its status is the one expected:
    a test that asserts something is *absent* from a page must first know it got the page, not
    an error or a redirect."""
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {response.content[:300]!r}")
    text = response.content.decode()
    return text if raw else html.unescape(text)


def fill_date(scope, legend: str, day) -> None:
    """Fill a GOV.UK date input (issue 11: day, month and year boxes) in a Playwright page or
    locator, found by its legend: `fill_date(page, "Date of birth", date(2011, 3, 5))`."""
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def fill_datetime(scope, legend: str, when) -> None:
    """Fill a GOV.UK date-and-time input by its legend: the date boxes and the 24-hour time."""
    from django.utils import timezone

    local = timezone.localtime(when) if timezone.is_aware(when) else when
    fill_date(scope, legend, local.date())
    scope.get_by_role("group", name=legend).get_by_label("Time (24-hour)").fill(
        local.strftime("%H:%M"))
