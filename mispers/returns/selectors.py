"""Reads for the return: what the episode page shows, and shared findings for the child."""

from django.db.models import Prefetch, Q, QuerySet

from mispers.core.errors import NotFound

from .models import InterviewAddendum, MarkerProposal, PreventionWaiver, ReturnHomeInterview


def return_of(*, episode) -> dict:
    return {
        "found": getattr(episode, "found", None),
        "prevention_interview": getattr(episode, "prevention_interview", None),
        "waiver": getattr(episode, "prevention_waiver", None),
        "rhi": getattr(episode, "return_home_interview", None),
        "proposals": list(episode.marker_proposals.select_related("decided_by")),
    }


def rank_needed_to_close(*, assessments) -> str:
    """An episode ever graded high (recommended or chosen) needs an inspector to close it;
    any other needs a sergeant."""
    ever_high = any("high" in (a.recommended_grade, a.chosen_grade) for a in assessments)
    return "inspector" if ever_high else "sergeant"


def rank_needed_to_withdraw(*, episode) -> str:
    """Withdrawing ("made in error") stops every clock and drops the episode from repeat counts:
    an inspector decides while the child is still missing (no found record) or if the episode
    was ever graded medium or high (the recommended grade applies until a downgrade is
    ratified, so either grade counts); a sergeant otherwise (ADR 22)."""
    still_missing = episode.state in {"reported", "open"}
    ever_medium_or_high = episode.assessments.filter(
        Q(recommended_grade__in=("medium", "high")) | Q(chosen_grade__in=("medium", "high"))
    ).exists()
    return "inspector" if still_missing or ever_medium_or_high else "sergeant"


def shared_findings_for_child(*, child) -> QuerySet[ReturnHomeInterview]:
    """Return-home interview findings shared back to police, newest first: shown on the child's
    page and as context when the child's next episode is assessed."""
    return (ReturnHomeInterview.objects.filter(episode__child=child, shared_at__isnull=False)
            .select_related("episode", "provider").order_by("-completed_at")
            .prefetch_related(Prefetch("addenda", queryset=_ADDENDA)))


_ADDENDA = InterviewAddendum.objects.select_related("author", "organisation").order_by("at", "id")


def addenda_of(*, interview: ReturnHomeInterview) -> list[InterviewAddendum]:
    """The interview's addenda, oldest first, each with its author and organisation."""
    return list(_ADDENDA.filter(interview=interview))


def rhi_for(*, user, rhi_id) -> ReturnHomeInterview:
    try:
        return ReturnHomeInterview.objects.select_related("episode", "episode__found").get(
            pk=rhi_id, episode__force_id=user.force_id)
    except (ReturnHomeInterview.DoesNotExist, ValueError) as exc:
        raise NotFound("Return-home interview not found") from exc


def proposal_for(*, user, proposal_id) -> MarkerProposal:
    try:
        return MarkerProposal.objects.select_related("episode", "child").get(
            pk=proposal_id, episode__force_id=user.force_id)
    except (MarkerProposal.DoesNotExist, ValueError) as exc:
        raise NotFound("Proposal not found") from exc


def waiver_for(*, user, waiver_id) -> PreventionWaiver:
    try:
        return PreventionWaiver.objects.select_related("episode").get(
            pk=waiver_id, episode__force_id=user.force_id)
    except (PreventionWaiver.DoesNotExist, ValueError) as exc:
        raise NotFound("Waiver not found") from exc
