"""The partner's page for one child, and the police pages that say which partners are
responsible for a child."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, log_view, or_404, police_required
from mispers.episodes.models import Episode
from mispers.people.selectors import child_for

from .. import services
from ..disclosure import releases_for
from ..forms import ResponsibilityEndForm, ResponsibilityForm
from ..models import Responsibility
from ..selectors import (
    PARTNER_STATUS,
    latest_profile_for_partner,
    missing_history,
    partner_access,
    partner_child_for,
    profile_is_stale,
)
from ..services.profiles import may_keep_profile
from ..services.reports import REPORT_ROLES
from . import partner_required


@partner_required
def child_detail(request, pk):
    current = now()
    today = current.date()
    child = or_404(partner_child_for, user=request.user, child_id=pk, on=today)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    access = partner_access(user=request.user, child=child, on=today)
    profile = latest_profile_for_partner(user=request.user, child=child, on=today)
    history = missing_history(user=request.user, child=child)
    # Police-only fields reach a partner only as police released them (ADR 0015).
    released = releases_for(organisation_id=request.user.organisation_id,
                            episode_ids=[e.pk for e in history])
    for episode in history:
        episode.partner_status = PARTNER_STATUS.get(episode.state, "")
        episode.released = released.get(episode.pk, [])
    still_missing = any(e.state in (Episode.State.REPORTED, Episode.State.OPEN)
                        for e in history)
    return render(request, "partners/child.html", {
        "child": child, "age": child.age_on(today), "aliases": list(child.aliases.all()),
        "access": access, "profile": profile,
        "stale": profile_is_stale(profile, today=today), "history": history,
        "may_keep_profile": may_keep_profile(user=request.user, child=child, on=today),
        "may_report": access == "current" and bool(request.user.role_codes & REPORT_ROLES)
        and not still_missing,
        "still_missing": still_missing,
    })


def _responsibility_page(request, *, child, form, heading, action, intro=""):
    return render(request, "partners/responsibility_form.html", {
        "child": child, "form": form, "heading": heading, "action": action, "intro": intro,
    })


@police_required
def responsibility_add(request, pk):
    child = or_404(child_for, user=request.user, child_id=pk)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    current = now()
    form = ResponsibilityForm(request.POST or None, force=child.force,
                              initial={"starts_on": current.date()})
    if request.method == "POST" and form.is_valid():
        try:
            services.responsibility_start(actor=request.user, now=current, child=child,
                                          **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['organisation']} is now recorded "
                                      f"as responsible for {child.full_name}.")
            return redirect("people:detail", pk=child.pk)
    return _responsibility_page(
        request, child=child, form=form, heading="Add a partner responsibility",
        action=request.path,
        intro="The organisation's users will see this child, the episodes reported while it "
              "is responsible, and will be alerted when the child is reported missing or found. "
              "They never see grades, police intelligence, internal actions or police notes such "
              "as where the child was last seen or found, unless police release a field.")


@police_required
def responsibility_end_view(request, pk):
    try:
        responsibility = Responsibility.objects.select_related("child", "organisation").get(
            pk=pk, child__force_id=request.user.force_id)
    except (Responsibility.DoesNotExist, ValueError) as exc:
        raise Http404("Not found") from exc
    child = responsibility.child
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    current = now()
    form = ResponsibilityEndForm(request.POST or None, initial={"ends_on": current.date()})
    if request.method == "POST" and form.is_valid():
        try:
            services.responsibility_end(actor=request.user, now=current,
                                        responsibility=responsibility, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{responsibility.organisation}'s responsibility ends on "
                                      f"{form.cleaned_data['ends_on']:%-d %B %Y}.")
            return redirect("people:detail", pk=child.pk)
    return _responsibility_page(
        request, child=child, form=form,
        heading=f"End {responsibility.organisation}'s responsibility", action=request.path,
        intro=f"{responsibility.get_kind_display()} since {responsibility.starts_on:%-d %B %Y}.")
