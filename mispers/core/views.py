"""Small helpers shared by the page views."""

import csv

from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from mispers.accounts.audit import log_shown
from mispers.accounts.rules import can_mark, can_ratify_role, can_report, is_police_user
from mispers.core.errors import DomainError, NotFound


def _require(predicate):
    def check(user):
        if not user.is_authenticated:
            return False
        if not predicate(user):
            raise PermissionDenied
        return True

    return user_passes_test(check)


def require(predicate):
    """A view decorator: sign-in first, then 403 unless `predicate(user)` (an app's
    permissions function)."""
    return _require(predicate)


police_required = _require(is_police_user)
reporter_required = _require(can_report)
ratifier_required = _require(can_ratify_role)
marker_required = _require(can_mark)


def or_404(selector, **kwargs):
    """Call a selector that raises NotFound; answer 404 the same way whether the record does not
    exist or belongs to another force, so nothing leaks."""
    try:
        return selector(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def add_domain_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def log_view(request, *, object_type: str, object_id, child_id) -> None:
    """The access-log row for one record a page shows (one child's record)."""
    log_shown(request, [(object_id, child_id)], object_type=object_type)



def next_url(request, default: str) -> str:
    """Where to go after a post: a local `next` (POST or GET), or the default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def spreadsheet_safe(value: str) -> str:
    """No spreadsheet formulas from text someone typed (a path, a name, a place)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    """A CSV download; text cells are made spreadsheet-safe, numbers are left as they are."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(cell) if isinstance(cell, str) else cell
                      for cell in row] for row in rows)
    return response
