"""The possibly miscategorised list (issue 12, ADR 40): for the coordinator, inspectors and
superintendents, each episode with the signs found since its first grade, and the finding."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from mispers.accounts.audit import log_shown
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, next_url, or_404, require
from mispers.episodes.selectors import episode_for
from mispers.risk.services import policy_for_force

from .forms import PeriodOnlyForm
from .miscategorised import SIGNS, possibly_miscategorised
from .models import GradingFinding
from .permissions import can_review_grading
from .services import grading_finding_record
from .views import _period

reviewer_required = require(can_review_grading)


class FindingForm(forms.Form):
    finding = forms.ChoiceField(label="Finding", choices=GradingFinding.Finding.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Choose a finding"})
    note = forms.CharField(label="Note", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Required unless the grade was right at the time")


@reviewer_required
def miscategorised(request):
    form = PeriodOnlyForm(request.GET or None)
    period = _period(request, form, timezone.localdate(now()))
    if period is None:
        return render(request, "insights/miscategorised.html", {"form": form}, status=400)
    if not form.is_bound:
        form = PeriodOnlyForm(initial={"first": period.first, "last": period.last})
    candidates = possibly_miscategorised(force_id=request.user.force_id, period=period)
    log_shown(request, [c.episode for c in candidates])
    labels = policy_for_force(request.user.force).labels
    rows = [{"candidate": c, "grade": labels.get(c.first.chosen_grade, c.first.chosen_grade),
             "signs": [SIGNS[s] for s in c.signs]} for c in candidates]
    return render(request, "insights/miscategorised.html", {
        "form": form, "period": period, "rows": rows, "finding_form": FindingForm(),
        "unreviewed": sum(1 for c in candidates if c.finding is None),
        "query": request.GET.urlencode()})


@reviewer_required
def record_finding(request, pk):
    episode = or_404(episode_for, user=request.user, episode_id=pk)
    back = next_url(request, default="/insights/miscategorised/")
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grading_finding_record(actor=request.user, now=now(), episode=episode,
                                   **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Finding recorded for {episode.reference}.")
            return redirect(back)
    return render(request, "insights/finding_form.html", {"episode": episode, "form": form,
                                                          "back": back},
                  status=400 if form.errors else 200)
