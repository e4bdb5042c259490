"""The data-protection lead's screens: who looked at this child, what this user looked at, in a
period; each exportable as CSV. Reading the log about a child is itself logged (channel page,
or export for the CSV), one row per child shown. docs/adr/0019-access-log.md."""

from __future__ import annotations

import csv
import datetime as dt

from django import forms
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mispers.core.clock import now
from mispers.core.forms import GovukDateField
from mispers.core.views import spreadsheet_safe

from .audit import log_shown
from .audit_selectors import (
    EXPORT_LIMIT,
    access_log_of_child,
    access_log_of_user,
    audit_child_find,
    audit_subject_find,
    can_audit,
)
from .models import AccessLog

PAGE_SIZE = 50
DEFAULT_DAYS = 30


def _auditor_only(user) -> bool:
    if not user.is_authenticated:
        return False
    if not can_audit(user):
        raise PermissionDenied
    return True


auditor_required = user_passes_test(_auditor_only)


class PeriodForm(forms.Form):
    since = GovukDateField(label="From", required=False, noun="The first day")
    until = GovukDateField(label="To", required=False, noun="The last day",
                           help_text="Both days included")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end of the period must be on or after its start")
        return data

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        until = data.get("until") or today
        return data.get("since") or until - dt.timedelta(days=DEFAULT_DAYS), until


class ChildAuditForm(PeriodForm):
    child = forms.CharField(label="Child's record id, or the reference of one of their episodes",
                            max_length=80)
    field_order = ["child", "since", "until"]


class UserAuditForm(PeriodForm):
    username = forms.CharField(label="Username", max_length=150)
    field_order = ["username", "since", "until"]


def _csv(rows, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["at", "username", "user", "user_force", "channel", "outcome",
                     "object_type", "object_id", "child_id", "client_address", "path"])
    for row in rows:
        writer.writerow([
            timezone.localtime(row.at).isoformat(), row.user.username,
            spreadsheet_safe(str(row.user)),
            row.force_id or "", row.channel, row.outcome, row.object_type, row.object_id,
            row.child_id or "", row.client_address or "", spreadsheet_safe(row.path)])
    return response


def _children_of(rows) -> list[tuple[str, object]]:
    return [(str(row.child_id), row.child_id) for row in rows if row.child_id]


def _answer(request, *, form, rows, heading: str, filename: str, template: str, extra: dict):
    """The page of rows, or all of them as CSV (?format=csv); either way the children shown
    are access-logged (object type access_log)."""
    current = now()
    if rows is not None and request.GET.get("format") == "csv":
        exported = list(rows[:EXPORT_LIMIT])
        log_shown(request, _children_of(exported), object_type="access_log",
                  channel=AccessLog.Channel.EXPORT, now=current)
        return _csv(exported, filename)
    page = None
    if rows is not None:
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        log_shown(request, _children_of(page.object_list), object_type="access_log",
                  now=current)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(request, template, {
        "form": form, "page": page, "heading": heading, "query": query.urlencode(),
        "export_limit": EXPORT_LIMIT, **extra})


@auditor_required
def child_audit(request):
    """Who looked at this child (or was refused), when, through what, from where."""
    form = ChildAuditForm(request.GET or None)
    rows, child_id, not_found = None, None, False
    if form.is_bound and form.is_valid():
        child_id = audit_child_find(auditor=request.user, text=form.cleaned_data["child"])
        if child_id is None:
            not_found = True
            form.add_error("child", "No child of your force has that record id or episode "
                                    "reference")
        else:
            since, until = form.period(timezone.localdate(now()))
            rows = access_log_of_child(auditor=request.user, child_id=child_id, since=since,
                                       until=until)
    return _answer(request, form=form, rows=rows, heading="Who looked at this child",
                   filename=f"access-log-child-{child_id}.csv", template="accounts/dpo_log.html",
                   extra={"child_id": child_id, "not_found": not_found, "mode": "child"})


@auditor_required
def user_audit(request):
    """What this user looked at (or was refused), when, through what, from where."""
    form = UserAuditForm(request.GET or None)
    rows, subject = None, None
    if form.is_bound and form.is_valid():
        subject = audit_subject_find(auditor=request.user,
                                     username=form.cleaned_data["username"])
        if subject is None:
            form.add_error("username", "No user of your force, or partner user, has that "
                                       "username")
        else:
            since, until = form.period(timezone.localdate(now()))
            rows = access_log_of_user(auditor=request.user, subject=subject, since=since,
                                      until=until)
    return _answer(request, form=form, rows=rows, heading="What this user looked at",
                   filename=f"access-log-user-{subject.username if subject else ''}.csv",
                   template="accounts/dpo_log.html", extra={"subject": subject, "mode": "user"})
