"""Reporting a child missing from the partner screens (Philomena part 2)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from mispers.casework.partner_report import partner_report_submit
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, log_view, or_404

from .. import services
from ..forms import Part2Form
from ..selectors import latest_profile_for_partner, partner_access, partner_child_for
from ..services.reports import REPORT_ROLES
from . import partner_required


@partner_required
def report_missing(request, pk):
    current = now()
    today = current.date()
    child = or_404(partner_child_for, user=request.user, child_id=pk, on=today)
    if partner_access(user=request.user, child=child, on=today) != "current":
        # A former home keeps sight of its own past episodes but cannot report any more.
        raise Http404("Child not found")
    if not request.user.role_codes & REPORT_ROLES:
        # A return-interview worker sees the child but does not report from these pages.
        raise PermissionDenied
    profile = latest_profile_for_partner(user=request.user, child=child, on=today)
    form = Part2Form(request.POST or None, now=current)
    if request.method == "POST" and form.is_valid():
        try:
            episode = partner_report_submit(
                actor=request.user, now=current, child=child,
                part2=services.Part2(**form.cleaned_data))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{child.full_name} is reported missing. Police "
                                      f"reference {episode.reference}. A call handler will "
                                      "call you to assess the risk. If the child is in "
                                      "immediate danger, call 999.")
            return redirect("partners:child", pk=child.pk)
    log_view(request, object_type="child", object_id=child.pk, child_id=child.pk)
    return render(request, "partners/report_form.html", {
        "child": child, "form": form, "profile": profile,
        "profile_items": services.profile_items_for(profile),
    })
