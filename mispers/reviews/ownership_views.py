"""Pages for ownership (issue 10, ADR 24): the control room's unallocated cases and partner reports
still to grade, and allocating an officer in the case."""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from mispers.accounts.roles import ALLOCATE_ROLES, CONTROL_ROOM_ROLES
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, log_shown
from mispers.episodes.selectors import episodes_visible_to
from mispers.reviews.permissions import can_allocate

from .forms import AllocateForm, team_choice, team_members
from .models import Deadline
from .views import _episode_page, duration_text, episode_url


def _require(roles):
    def check(user):
        if not user.is_authenticated:
            return False
        if not (user.is_active and user.force_id and user.role_codes & roles):
            raise PermissionDenied
        return True

    return user_passes_test(check)


def _rows(deadlines, current):
    rows = []
    for deadline in deadlines:
        overdue = current - deadline.due_at if deadline.due_at < current else None
        rows.append({"deadline": deadline, "episode": deadline.episode,
                     "since_report": duration_text(current - deadline.episode.reported_at),
                     "overdue_text": duration_text(overdue),
                     "due_in": "" if overdue else duration_text(deadline.due_at - current)})
    return rows


LIMIT = 200


@_require(CONTROL_ROOM_ROLES)
def unallocated(request):
    """Medium and high cases with no officer in the case yet, and partner reports still to
    grade: the control room's queue, most overdue first."""
    current = now()
    visible = episodes_visible_to(user=request.user)
    pending = (Deadline.objects.filter(status=Deadline.Status.PENDING, episode__in=visible)
               .select_related("episode", "episode__child", "episode__owner",
                               "episode__team").order_by("due_at", "id"))
    to_allocate = _rows(pending.filter(kind=Deadline.Kind.ALLOCATION)[:LIMIT], current)
    to_grade = _rows(pending.filter(kind=Deadline.Kind.GRADING)[:LIMIT], current)
    log_shown(request, [row["episode"] for row in (*to_allocate, *to_grade)])
    return render(request, "reviews/unallocated.html", {
        "to_allocate": to_allocate, "to_grade": to_grade,
        "may_allocate": can_allocate(request.user),
    })


@_require(ALLOCATE_ROLES)
def allocate(request, pk):
    """Allocate the officer in the case: choose a team (GET), then the officer (POST)."""
    from mispers.casework.allocate import allocatable_officers, episode_allocate

    episode = _episode_page(request, pk)
    team_form, team = team_choice(request, force_id=episode.force_id)
    officers = team_members(list(allocatable_officers(episode=episode)), team)
    form = AllocateForm(request.POST or None, officers=officers)
    if request.method == "POST" and form.is_valid():
        officer = form.cleaned_data["officer"]
        try:
            episode_allocate(actor=request.user, now=now(), episode=episode, officer=officer,
                             note=form.cleaned_data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{officer} is now the officer in the case and has been "
                                      "told.")
            return redirect(episode_url(episode, "owner"))
    return render(request, "reviews/allocate.html", {
        "episode": episode, "child": episode.child, "form": form, "team_form": team_form,
        "team": team, "heading": "Allocate the officer in the case", "button": "Allocate",
        "action": reverse("reviews:allocate", args=[episode.pk])
        + f"?team={team.pk if team else ''}",
        "intro": "The officer owns the case at once (no acceptance needed), the case joins "
                 "their team, and they are told.",
    })
