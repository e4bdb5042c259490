"""The access log at the edge: who looked at which child, from where, through what, and who was
refused (Data Protection Act 2018 s.62; docs/adr/0019-access-log.md).

- `log_shown(request, items)`: every page, API view, export and admin view that shows children
  or episodes calls it with the rows it actually shows (the page's rows, not the whole query).
- `AccessRefusalMiddleware`: a 403 or 404 answered on the address of a child's record (a child,
  an episode, an assessment ...) writes an `outcome=refused` row with the id asked for, without
  a view having to remember it.
- `AccessLoggedAdminMixin`: the Django admin's list and change pages of child-bearing models.

The writes themselves are `access_log_children` in services (one INSERT per request)."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ValidationError

from mispers.core import clock

from .models import AccessLog
from .services import access_log_children

# --- who and from where -----------------------------------------------------------------------


def client_address(request) -> str | None:
    """The client's IP address: REMOTE_ADDR, or, behind MISPERS_TRUSTED_PROXY_COUNT reverse
    proxies of our own, the address the outermost of them saw (X-Forwarded-For is set by the
    client too, so only the entries our proxies appended are believed)."""
    proxies = int(getattr(settings, "MISPERS_TRUSTED_PROXY_COUNT", 0) or 0)
    address = request.META.get("REMOTE_ADDR", "")
    if proxies > 0:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def channel_of(request) -> str:
    path = request.path_info or ""
    if path.startswith("/api/"):
        return AccessLog.Channel.API
    if path.startswith("/admin/"):
        return AccessLog.Channel.ADMIN
    return AccessLog.Channel.PAGE


def _request_now(request):
    """One reading of the clock per request, shared by all the rows it writes."""
    current = getattr(request, "_access_log_now", None)
    if current is None:
        current = request._access_log_now = clock.now()
    return current


def log_shown(request, items: Iterable, *, object_type: str | None = None,
              channel: str | None = None, now=None) -> int:
    """One access-log row per child or episode in `items` (see `access_log_children`), for the
    signed-in user of `request`, with the address, the path and the client's address. Returns
    how many rows were written."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    written = access_log_children(
        user=user, now=now or _request_now(request), channel=channel or channel_of(request),
        object_type=object_type, rows=items, path=request.get_full_path(),
        client_address=client_address(request))
    return len(written)


# --- refused attempts -------------------------------------------------------------------------

# The address segment before `<pk>` -> (object type, model, the lookup from it to its child).
RECORD_ROUTES: dict[str, tuple[str, str, str]] = {
    "children": ("child", "people.Child", "pk"),
    "episodes": ("episode", "episodes.Episode", "child_id"),
    "assessments": ("assessment", "risk.Assessment", "episode__child_id"),
    "return-home-interviews": ("return_home_interview", "returns.ReturnHomeInterview",
                               "episode__child_id"),
    "prevention-waivers": ("prevention_waiver", "returns.PreventionWaiver", "episode__child_id"),
    "marker-proposals": ("marker_proposal", "returns.MarkerProposal", "child_id"),
    "strategy-meetings": ("strategy_meeting", "repeats.StrategyMeeting", "child_id"),
    "strategy-meeting-actions": ("strategy_meeting_action", "repeats.StrategyMeetingAction",
                                 "meeting__child_id"),
    "strategy-flags": ("strategy_flag", "repeats.StrategyMeetingFlag", "child_id"),
    "trigger-plans": ("trigger_plan", "repeats.TriggerPlan", "child_id"),
    "handovers": ("handover", "reviews.Handover", "episode__child_id"),
    "actions": ("action", "episodes.Action", "episode__child_id"),
    "responsibilities": ("responsibility", "partners.Responsibility", "child_id"),
    "photos": ("photo", "partners.PhilomenaProfile", "child_id"),
}
_SEGMENT = re.compile(r"([a-z-]+)/<(?:uuid|int|str|slug):pk>")
REFUSED_STATUSES = frozenset({403, 404})


def refused_record(request) -> tuple[str, str, uuid.UUID | None] | None:
    """(object type, id asked for, child id if it is a real child) for a request addressed to a
    child's record, else None."""
    match = getattr(request, "resolver_match", None)
    if match is not None and "pk" in match.kwargs:
        segments = _SEGMENT.findall(match.route or "")
        spec = RECORD_ROUTES.get(segments[-1]) if segments else None
        if spec is not None:
            kind, label, lookup = spec
            return kind, str(match.kwargs["pk"])[:64], _child_of(label, lookup,
                                                                 match.kwargs["pk"])
    # The report form opened for a known child (?child=<id>).
    asked = request.GET.get("child") or (request.POST.get("child")
                                         if request.method == "POST" else None)
    if asked:
        return "child", str(asked)[:64], _child_of("people.Child", "pk", asked)
    return None


def _child_of(label: str, lookup: str, pk) -> uuid.UUID | None:
    """The child a record belongs to, looked up across forces (for the log only: never shown);
    None when there is no such record."""
    try:
        model = apps.get_model(label)
        value = (model._base_manager.filter(pk=pk).values_list(lookup, flat=True).first())
    except (LookupError, FieldError, ValidationError, ValueError, TypeError):
        return None
    if value is None:
        return None
    return value if isinstance(value, uuid.UUID) else None


class AccessRefusalMiddleware:
    """Writes an `outcome=refused` access-log row when a signed-in user is answered 403 or 404
    on the address of a child's record: another force's child (404), a role that may not open
    it (403), a partner organisation not responsible (404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                record = refused_record(request)
                if record is not None:
                    kind, object_id, child_id = record
                    access_log_children(
                        user=user, now=_request_now(request), channel=channel_of(request),
                        object_type=kind, rows=[(object_id, child_id)],
                        path=request.get_full_path(), client_address=client_address(request),
                        outcome=AccessLog.Outcome.REFUSED)
        return response


# --- the Django admin -------------------------------------------------------------------------


class AccessLoggedAdminMixin:
    """For the ModelAdmin of a model that shows a child: the change list logs the rows of the
    page shown, the change and history pages the one record. `access_log_child` is the path
    from an object to its child's id ("pk" for the child itself, "episode.child_id" ...)."""

    access_log_child = "child_id"

    def _access_log_row(self, obj):
        value = obj
        for part in self.access_log_child.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        return obj.pk, value

    def _access_log(self, request, objects) -> None:
        log_shown(request, [self._access_log_row(obj) for obj in objects],
                  object_type=self.model._meta.model_name, channel=AccessLog.Channel.ADMIN)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        change_list = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and change_list is not None:
            self._access_log(request, list(change_list.result_list))
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if response.status_code == 200 and original is not None:
            self._access_log(request, [original])
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        shown = (getattr(response, "context_data", None) or {}).get("object")
        if response.status_code == 200 and shown is not None:
            self._access_log(request, [shown])
        return response
