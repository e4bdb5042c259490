"""The partner administrator's team pages: their own organisation's users, adding one, and
deactivating or reactivating one (the same services as the police pages, scoped to the
organisation). Police users get 404 (the partner area does not exist for them, ADR 0010);
partner users without the administrator role get 403; a user of another organisation is 404."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mispers.core.clock import now
from mispers.core.views import or_404

from ..admin_selectors import (
    can_manage_team,
    organisation_for,
    organisation_users,
    partner_user_for,
)
from . import partner_required
from .organisations import set_active, user_add_page


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
    return render(request, "partners/team.html", {
        "organisation": organisation,
        "users": list(organisation_users(organisation=organisation)),
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
