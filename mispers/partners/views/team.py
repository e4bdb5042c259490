"""The partner administrator's team pages: their own organisation's users, adding one, and
deactivating or reactivating one (the same services as the police pages, scoped to the
organisation). Police users get 404 (the partner area does not exist for them, ADR 0010);
partner users without the administrator role get 403; a user of another organisation is 404.

The page also shows which forces the organisation works with, requests from a force to work
with it (the administrator accepts or declines them when they work for another force), and the
record of link changes; the administrator may end the link to a force they work for (ADR 0014)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mispers.core.clock import now
from mispers.core.views import or_404

from ..admin_selectors import (
    can_manage_team,
    link_events_for,
    links_of,
    organisation_for,
    organisation_users,
    partner_user_for,
    requests_to_decide,
)
from . import partner_required
from .organisations import decide_link, end_link, set_active, user_add_page


def _team_admin(view):
    @partner_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_team(request.user):
            raise PermissionDenied  # their own organisation's page, but not their role
        return view(request, *args, **kwargs)

    return wrapped


def _organisation(request):
    return or_404(organisation_for, user=request.user, organisation_id=request.user.organisation_id,
                  on=now().date())


@_team_admin
def team(request):
    organisation = _organisation(request)
    user = request.user
    links = list(links_of(organisation=organisation))
    mine = set(user.partner_links.filter(status="active").values_list("force_id", flat=True))
    for link in links:
        link.may_end = link.force_id in mine and link.status == "active"
    return render(request, "partners/team.html", {
        "organisation": organisation,
        "users": list(organisation_users(organisation=organisation)),
        "links": links,
        "to_decide": list(requests_to_decide(user=user)),
        "events": list(link_events_for(user=user, organisation=organisation)),
    })


@_team_admin
def team_user_new(request):
    return user_add_page(request, organisation=_organisation(request),
                         done=reverse("partners:team"))


@_team_admin
@require_POST
def team_user_active(request, pk):
    user = or_404(partner_user_for, user=request.user, partner_user_id=pk)
    return set_active(request, user=user, done=reverse("partners:team"))


@_team_admin
@require_POST
def team_link_decide(request, pk):
    return decide_link(request, pk, done=reverse("partners:team"))


@_team_admin
@require_POST
def team_link_end(request, pk):
    return end_link(request, pk, done=reverse("partners:team"))
