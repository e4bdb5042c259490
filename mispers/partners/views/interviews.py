"""The return-home interview, partner side: the provider's list of interviews to do, and one
interview's page (recorded by the provider's return-interview workers; read, with its
findings, by the placing authority). Police side: choosing the provider."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from mispers.casework.interviews import partner_interview_workflow
from mispers.core.clock import now
from mispers.core.errors import DomainError, NotFound
from mispers.core.views import add_domain_error, log_shown, log_view, marker_required, or_404
from mispers.returns.forms import AddendumForm, ReturnInterviewForm, interview_arguments
from mispers.returns.models import Indicator
from mispers.returns.selectors import addenda_of, rhi_for
from mispers.returns.services import PARTNER_RHI_ROLES

from ..models import PartnerOrganisation
from ..services.interviews import (
    PROVIDER_KINDS,
    InterviewInvalid,
    interview_of_episode,
    partner_interview_addendum,
    rhi_provider_set,
)
from ..working_selectors import (
    can_read_findings,
    interview_clock,
    interviews_for_provider,
    partner_episode_status,
)
from . import partner_required

INDICATOR_NAMES = dict(Indicator.choices)


class PartnerInterviewForm(ReturnInterviewForm):
    """The police form without the share box: a provider's completed findings are always shared
    back to police (statutory guidance)."""

    provider_side = True  # the provider's workers record the findings

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["share"]


@partner_required
def interviews(request):
    current = now()
    lists = interviews_for_provider(user=request.user, now=current)
    log_shown(request, [interview.episode for key in ("to_do", "done")
                        for interview, _ in lists[key]], now=current)
    return render(request, "partners/interviews.html", {**lists, "now": current})


def _findings(interview) -> list:
    interview.indicator_labels = [INDICATOR_NAMES.get(code, code)
                                  for code in interview.indicators]
    # ADR 20: the provider's own addenda; police addenda are police notes and stay with police.
    interview.partner_addenda = [addendum for addendum in addenda_of(interview=interview)
                                 if addendum.organisation_id is not None]
    return [interview] if interview.completed_at else []


@partner_required
def interview(request, pk):
    """One episode's return-home interview (keyed by the episode, so a page opened before the
    child is back says why there is nothing to record yet)."""
    current = now()
    episode, status = or_404(partner_episode_status, user=request.user, episode_id=pk,
                             now=current)
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    context = {"episode": episode, "child": episode.child}
    try:
        rhi = interview_of_episode(episode=episode)
    except InterviewInvalid as not_yet:
        return render(request, "partners/interview.html", {**context, "not_yet": not_yet.message})
    if not can_read_findings(user=request.user, interview=rhi):
        raise Http404("Not found")
    provider = rhi.provider_id == request.user.organisation_id
    may_record = provider and request.user.has_role(*PARTNER_RHI_ROLES)
    # ADR 20: once completed (and so shared) the findings are frozen; the provider's workers
    # add an addendum with the reason instead.
    posted = request.POST if request.method == "POST" else None
    adding = posted is not None and posted.get("form") == "addendum"
    form = addendum_form = None
    if may_record and rhi.completed_at is not None:
        addendum_form = AddendumForm(posted if adding else None, interview=rhi)
    if may_record and not rhi.findings_frozen:
        form = PartnerInterviewForm(None if adding else posted, interview=rhi)
    if posted is not None and (addendum_form if adding else form) is None:
        raise Http404("Not found")
    if adding and addendum_form.is_valid():
        data = addendum_form.cleaned_data
        try:
            partner_interview_addendum(actor=request.user, now=current, interview=rhi,
                                       reason=data["reason"], text=data["text"],
                                       expected_version=data["expected_version"])
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as error:
            add_domain_error(addendum_form, error)
        else:
            messages.success(request, "Addendum added and shared with police.")
            return redirect("partners:interview", pk=episode.pk)
    elif posted is not None and not adding:
        if form.is_valid():
            data = form.cleaned_data
            try:
                partner_interview_workflow(actor=request.user, now=current, interview=rhi,
                                           **interview_arguments(data))
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except DomainError as error:
                add_domain_error(form, error)
            else:
                rhi.refresh_from_db()
                messages.success(request, "Return-home interview saved." + (
                    " The findings are shared with police." if rhi.completed_at else ""))
                return redirect("partners:interview", pk=episode.pk)
    return render(request, "partners/interview.html", {
        **context, "interview": rhi, "form": form, "provider": provider,
        "addendum_form": addendum_form,
        "clock": interview_clock(interview=rhi, now=current),
        "status": status,
        "findings": _findings(rhi), "indicator_names": INDICATOR_NAMES,
    })


# --- police: choose the provider --------------------------------------------------------------

class ProviderForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="Who carries out the interview?", queryset=PartnerOrganisation.objects.none(),
        widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": "Choose the provider"},
        help_text="Someone not involved in the child's care. Their return-interview workers "
                  "are alerted and record the interview in Mispers; its findings come back "
                  "to you.")

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = PartnerOrganisation.objects.working_with(force).filter(
            active=True, kind__in=PROVIDER_KINDS).order_by("kind", "name")


@marker_required
def commission(request, pk):
    rhi = or_404(rhi_for, user=request.user, rhi_id=pk)
    episode = rhi.episode
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    form = ProviderForm(request.POST or None, force=request.user.force,
                        initial={"provider": rhi.provider_id})
    if request.method == "POST" and form.is_valid():
        try:
            rhi_provider_set(actor=request.user, now=now(), interview=rhi,
                             provider=form.cleaned_data["provider"])
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['provider']} will carry out the "
                                      "return-home interview. Its workers have been alerted.")
            return redirect(reverse("returns:rhi", args=[rhi.pk]))
    return render(request, "partners/interview_commission.html", {
        "interview": rhi, "episode": episode, "child": episode.child, "form": form,
    })
