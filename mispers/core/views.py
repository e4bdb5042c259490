"""Small helpers shared by the page views."""

from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import Http404

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

