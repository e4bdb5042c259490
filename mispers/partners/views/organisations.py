"""Police pages for managing partner organisations and their users (ADR 0013): the force
administrator manages the organisations working with their force; the missing persons
coordinator reads them. Other police roles and partner users get 403; an organisation not
linked to the user's force is 404. No page here shows a child, so nothing is access-logged."""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, or_404

from .. import services
from ..admin_forms import LinkForm, OrganisationForm, PartnerUserForm
from ..admin_selectors import (
    can_manage_organisations,
    can_read_organisations,
    organisation_for,
    organisation_users,
    organisations_for,
    organisations_to_link,
    partner_user_for,
)


def _require(predicate):
    def check(user):
        if not user.is_authenticated:
            return False  # to the sign-in page
        if not predicate(user):
            raise PermissionDenied
        return True

    return user_passes_test(check)


reader_required = _require(can_read_organisations)
manager_required = _require(can_manage_organisations)


@reader_required
def organisation_list(request):
    organisations = list(organisations_for(user=request.user, on=now().date()))
    manages = can_manage_organisations(request.user)
    return render(request, "partners/organisations/list.html", {
        "organisations": organisations, "may_manage": manages,
        "may_link": manages and organisations_to_link(user=request.user).exists(),
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
            organisation = services.organisation_link(
                actor=request.user, now=now(), organisation=form.cleaned_data["organisation"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{organisation} now also works with "
                                      f"{request.user.force}.")
            return redirect("partners:organisation", pk=organisation.pk)
    return render(request, "partners/organisations/form.html", {
        "form": form, "heading": "Link an organisation to your force",
        "intro": "An organisation already in Mispers that works with another force, such as a "
                 "provider with homes in several force areas. Linking it adds your force; the "
                 "other forces' links stay as they are.",
        "back": "partners:organisations",
    })


@reader_required
def organisation_detail(request, pk):
    organisation = or_404(organisation_for, user=request.user, organisation_id=pk,
                          on=now().date())
    return render(request, "partners/organisations/detail.html", {
        "organisation": organisation, "users": list(organisation_users(
            organisation=organisation)),
        "forces": list(organisation.forces.all()),
        "may_manage": can_manage_organisations(request.user),
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
    except DomainError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, f"{organisation} is active again: its users can sign in."
                         if active else f"{organisation} is deactivated: its users see nothing "
                                        "and it gets no alerts, for every force it works with.")
    return redirect("partners:organisation", pk=organisation.pk)


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
    try:
        services.partner_user_set_active(actor=request.user, now=now(), user=user,
                                         active=active)
    except DomainError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, f"{user.get_full_name() or user.username} can sign in again."
                         if active else f"{user.get_full_name() or user.username} is "
                                        "deactivated and can no longer sign in.")
    return redirect(done)
