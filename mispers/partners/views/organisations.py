"""Police pages for managing partner organisations and their users (ADR 0013): the force
administrator manages the organisations working with their force; the missing persons
coordinator reads them. Other police roles and partner users get 403; an organisation not
linked to the user's force is 404. No page here shows a child, so nothing is access-logged.

Links between organisations and forces need consent (ADR 0014): "Link an existing
organisation" asks; the request is accepted or declined on the organisation's page by an
administrator of a force already linked (or by the organisation's partner administrator, on
the team page); each force ends only its own link."""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mispers.core.clock import now
from mispers.core.errors import DomainError, NotFound
from mispers.core.errors import PermissionDenied as Refused
from mispers.core.views import add_domain_error, or_404

from .. import services
from ..admin_forms import LinkForm, OrganisationForm, PartnerUserForm
from ..admin_selectors import (
    can_manage_organisations,
    can_read_organisations,
    link_events_for,
    link_for,
    links_of,
    organisation_for,
    organisation_users,
    organisations_for,
    organisations_to_link,
    own_requests,
    partner_user_for,
    requests_to_decide,
)
from ..models import OrganisationForceLink
from ..services import links as link_services


def _require(predicate):
    def check(user):
        if not user.is_authenticated:
            return False  # to the sign-in page
        if not predicate(user):
            raise PermissionDenied
        return True

    return user_passes_test(check)


LIVE = (OrganisationForceLink.Status.ACTIVE, OrganisationForceLink.Status.REQUESTED)
reader_required = _require(can_read_organisations)
manager_required = _require(can_manage_organisations)


@reader_required
def organisation_list(request):
    organisations = list(organisations_for(user=request.user, on=now().date()))
    manages = can_manage_organisations(request.user)
    return render(request, "partners/organisations/list.html", {
        "organisations": organisations, "may_manage": manages,
        "may_link": manages and organisations_to_link(user=request.user).exists(),
        "to_decide": list(requests_to_decide(user=request.user)) if manages else [],
        "own_requests": list(own_requests(user=request.user)),
    })


@manager_required
def organisation_new(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_add(actor=request.user, now=now(),
                                                     **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{organisation} now works with {request.user.force}. "
                                      "Add its users below.")
            return redirect("partners:organisation", pk=organisation.pk)
    return render(request, "partners/organisations/form.html", {
        "form": form, "heading": "Add a partner organisation",
        "intro": f"It will work with {request.user.force}: its missing reports come to your "
                 "force and your coordinator can make it responsible for children.",
        "back": "partners:organisations",
    })


@manager_required
def organisation_link(request):
    form = LinkForm(request.POST or None, queryset=organisations_to_link(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            link = services.organisation_link(
                actor=request.user, now=now(), organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if link.status == OrganisationForceLink.Status.ACTIVE:
                messages.success(request, f"{link.organisation} now also works with "
                                          f"{request.user.force}: {link.reason}.")
                return redirect("partners:organisation", pk=link.organisation_id)
            messages.success(request, f"You asked for {link.organisation} to work with "
                                      f"{request.user.force}. Nothing is shared until its "
                                      "partner administrator or a force it works with "
                                      "accepts.")
            return redirect("partners:organisations")
    return render(request, "partners/organisations/form.html", {
        "form": form, "heading": "Ask to link an organisation to your force",
        "intro": "An organisation already in Mispers that works with another force, such as a "
                 "provider with homes in several force areas. Your request goes to its partner "
                 "administrator and the administrators of the forces it works with; one of them "
                 "must accept before it works with your force. The other forces' links stay as "
                 "they are, and its users see your children only once you add them.",
        "back": "partners:organisations",
    })


@reader_required
def organisation_detail(request, pk):
    organisation = or_404(organisation_for, user=request.user, organisation_id=pk,
                          on=now().date())
    user = request.user
    links = list(links_of(organisation=organisation))
    manages = can_manage_organisations(user)
    others_active = [link for link in links if link.force_id != user.force_id
                     and link.status == OrganisationForceLink.Status.ACTIVE]
    for link in links:
        link.may_end = (manages and link.force_id == user.force_id
                        and link.status in LIVE)
    return render(request, "partners/organisations/detail.html", {
        "organisation": organisation,
        # Only the users working for this force; the others are offered to add (share with).
        "users": list(organisation_users(organisation=organisation, force_id=user.force_id)),
        "other_users": list(organisation_users(organisation=organisation,
                                               force_id=user.force_id, members=False))
        if manages else [],
        "links": links,
        "own_link": next((link for link in links if link.force_id == user.force_id), None),
        "to_decide": [link for link in requests_to_decide(user=user)
                      if link.organisation_id == organisation.pk],
        "events": list(link_events_for(user=user, organisation=organisation)),
        "may_manage": manages,
        "may_deactivate": manages and not others_active,
    })


@manager_required
def organisation_user_new(request, pk):
    organisation = or_404(organisation_for, user=request.user, organisation_id=pk,
                          on=now().date())
    return user_add_page(request, organisation=organisation,
                         done=reverse("partners:organisation", args=[organisation.pk]))


@manager_required
@require_POST
def organisation_active(request, pk):
    organisation = or_404(organisation_for, user=request.user, organisation_id=pk,
                          on=now().date())
    active = request.POST.get("active") == "1"
    try:
        services.organisation_set_active(actor=request.user, now=now(),
                                         organisation=organisation, active=active)
    except Refused as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, f"{organisation} is active again: its users can sign in."
                         if active else f"{organisation} is deactivated: its users see nothing "
                                        "and it gets no alerts.")
    return redirect("partners:organisation", pk=organisation.pk)


def _link_step(request, step, *, done, success):
    """Run one link service: NotFound is 404, a refusal 403, anything else a message."""
    try:
        link = step()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Refused as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, success(link))
    return redirect(done)


def decided(link) -> str:
    if link.status == OrganisationForceLink.Status.ACTIVE:
        return (f"{link.organisation} now also works with {link.force}. Its users see "
                f"{link.force}'s children only once {link.force} adds them.")
    return f"You declined the request for {link.organisation} to work with {link.force}."


def ended(link) -> str:
    return f"{link.organisation} no longer works with {link.force}."


def decide_link(request, pk, *, done: str):
    """Accept or decline a link request (a force administrator's or a partner administrator's
    page: the service decides who may), then back to `done`."""
    link = or_404(link_for, user=request.user, link_id=pk)
    return _link_step(request, lambda: link_services.link_decide(
        actor=request.user, now=now(), link_id=link.pk,
        accept=request.POST.get("accept") == "1", reason=request.POST.get("reason", "")),
        done=done, success=decided)


def end_link(request, pk, *, done: str):
    link = or_404(link_for, user=request.user, link_id=pk)
    return _link_step(request, lambda: link_services.link_end(
        actor=request.user, now=now(), link_id=link.pk, reason=request.POST.get("reason", "")),
        done=done, success=ended)


@manager_required
@require_POST
def link_decide(request, pk):
    return decide_link(request, pk, done=reverse("partners:organisations"))


@manager_required
@require_POST
def link_end(request, pk):
    return end_link(request, pk, done=reverse("partners:organisations"))


@manager_required
@require_POST
def organisation_user_active(request, pk):
    user = or_404(partner_user_for, user=request.user, partner_user_id=pk)
    return set_active(request, user=user,
                      done=reverse("partners:organisation", args=[user.organisation_id]))


# --- shared with the partner administrator's team pages ----------------------------------------

def user_add_page(request, *, organisation, done):
    form = PartnerUserForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.partner_user_add(actor=request.user, now=now(),
                                             organisation=organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{user.get_full_name()} can now sign in as "
                                      f"{user.username} with the password you set. Tell them "
                                      "the password by phone or in person, not by email.")
            return redirect(done)
    return render(request, "partners/organisations/user_form.html", {
        "form": form, "organisation": organisation, "back": done,
    })


def set_active(request, *, user, done):
    active = request.POST.get("active") == "1"
    name = user.get_full_name() or user.username
    try:
        services.partner_user_set_active(actor=request.user, now=now(), user=user,
                                         active=active)
    except Refused as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as refused:
        messages.info(request, refused.message)
    else:
        if request.user.force_id:  # a force administrator acts for their force only
            messages.success(request, f"{name} now works for {request.user.force}." if active
                             else f"{name} no longer works for {request.user.force}.")
        else:
            messages.success(request, f"{name} can sign in again." if active
                             else f"{name} is deactivated and can no longer sign in.")
    return redirect(done)
