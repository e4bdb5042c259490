from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mispers.casework.grade import assessment_decline, assessment_ratify, assessment_record
from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import (
    add_domain_error,
    log_shown,
    log_view,
    or_404,
    police_required,
    ratifier_required,
    reporter_required,
)
from mispers.episodes.selectors import episode_for
from mispers.intelligence.child_hubs import hubs_of_child
from mispers.intelligence.hubs import HubRule
from mispers.intelligence.permissions import can_use_intelligence
from mispers.returns.views import shared_findings
from mispers.risk import policy as risk_policy

from .forms import AssessmentForm, RatificationForm
from .selectors import assessment_context_for, assessment_for, ratifications_for
from .services import AnswerInput, policy_for_force


def _recommendation(form: AssessmentForm, *, episode, policy, current):
    context = assessment_context_for(episode=episode, now=current)
    return context, risk_policy.recommend(form.answer_values(), context, policy)


def _hubs(request, *, episode, policy, current) -> list:
    """The exploitation hubs the child is part of, for the police-only panel on the grading page
    (ADR 51): information to weigh. Nothing for a user who may not read intelligence."""
    if not can_use_intelligence(request.user) or episode.force_id != request.user.force_id:
        return []
    hubs = hubs_of_child(child=episode.child, on=current.date(), rule=HubRule.of(policy))
    log_shown(request, [(hub.key[1], episode.child_id) for hub in hubs if hub.key[0] == "entity"],
              object_type="entity")
    return hubs


def _answers(data) -> dict[str, AnswerInput]:
    return {
        code: AnswerInput(answer=data[code] or "unknown", source=data.get(f"{code}__source", ""),
                          note=data.get(f"{code}__note", ""))
        for code in risk_policy.FACTORS
    }


@reporter_required
def assess(request, pk):
    episode = or_404(episode_for, user=request.user, episode_id=pk)
    policy = policy_for_force(episode.force)
    current = now()
    form = AssessmentForm(request.POST or None, policy=policy,
                          initial={"version": episode.version})
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        data = form.cleaned_data
        if not data.get("grade"):
            form.add_error("grade", "Choose a grade")
        else:
            try:
                assessment = assessment_record(
                    actor=request.user, now=current, episode=episode,
                    answers=_answers(data), chosen_grade=data["grade"],
                    rationale=data.get("rationale", ""), expected_version=data.get("version"))
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if assessment.status == assessment.Status.PENDING:
                    messages.success(request, "Grade recorded. It is below the recommendation, "
                                              "so it waits for ratification by a "
                                              f"{assessment.required_rank} or above.")
                else:
                    messages.success(request, "Grade recorded.")
                return redirect("episodes:detail", pk=episode.pk)
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    context, recommendation = _recommendation(form, episode=episode, policy=policy,
                                              current=current)
    return render(request, "risk/assess.html", {
        "episode": episode, "child": episode.child, "form": form, "context": context,
        "recommendation": recommendation, "policy": policy,
        "shared_findings": shared_findings(child=episode.child),
        "hubs": _hubs(request, episode=episode, policy=policy, current=current),
        "hub_rule": HubRule.of(policy),
    })


@reporter_required
@require_POST
def assess_preview(request, pk):
    """The recommendation panel, re-rendered by htmx as the answers change."""
    episode = or_404(episode_for, user=request.user, episode_id=pk)
    policy = policy_for_force(episode.force)
    form = AssessmentForm(request.POST, policy=policy)
    context, recommendation = _recommendation(form, episode=episode, policy=policy,
                                              current=now())
    return render(request, "risk/_recommendation.html", {
        "context": context, "recommendation": recommendation, "policy": policy,
    })


@ratifier_required
def ratifications(request):
    pending = list(ratifications_for(user=request.user))
    log_shown(request, [assessment.episode for assessment in pending])
    policy = policy_for_force(request.user.force)
    return render(request, "risk/ratifications.html", {"pending": pending,
                                                       "labels": policy.labels})


@police_required
def assessment_detail(request, pk):
    assessment = or_404(assessment_for, user=request.user, assessment_id=pk)
    episode = assessment.episode
    log_view(request, object_type="episode", object_id=episode.pk, child_id=episode.child_id)
    policy = policy_for_force(episode.force)
    form = RatificationForm(request.POST or None)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if form.is_valid():
            service = {"ratify": assessment_ratify, "decline": assessment_decline}.get(decision)
            if service is None:
                form.add_error(None, "Choose to ratify or decline")
            else:
                try:
                    service(actor=request.user, now=now(), assessment=assessment,
                            note=form.cleaned_data["note"])
                except DomainError as error:
                    add_domain_error(form, error)
                else:
                    messages.success(request, "Grade ratified." if decision == "ratify"
                                     else "Ratification declined: the recommended grade stays.")
                    return redirect("risk:ratifications")
    answers = {a.factor: a for a in assessment.answers.all()}
    rows = [(factor, answers.get(code)) for code, factor in risk_policy.FACTORS.items()]
    return render(request, "risk/assessment_detail.html", {
        "assessment": assessment, "episode": episode, "child": episode.child, "rows": rows,
        "form": form, "labels": policy.labels,
        "can_decide": assessment in ratifications_for(user=request.user),
    })
