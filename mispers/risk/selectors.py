"""Reads for risk assessments: the context the policy sees, histories and the ratification queue."""

import datetime as dt

from django.db.models import Q, QuerySet

from mispers.accounts.roles import RANK_ORDER, RATIFY_ROLES
from mispers.accounts.rules import is_police_user
from mispers.core.errors import NotFound
from mispers.episodes.models import Episode
from mispers.intelligence.child_hubs import linked_to_a_hub
from mispers.intelligence.hubs import HubRule
from mispers.people.models import Marker
from mispers.repeats.counting import POLICY_WINDOW_DAYS
from mispers.repeats.selectors import earlier_episodes_count
from mispers.risk import policy as risk_policy
from mispers.risk.policy import Context

from .models import Assessment

CONTEXT_WINDOW = dt.timedelta(days=POLICY_WINDOW_DAYS)


def policy_for_force(force) -> risk_policy.Policy:
    """The force's grading policy: its overlay, or the national policy when it has none."""
    return risk_policy.load_policy(force.code)


def assessment_context_for(*, episode: Episode, now: dt.datetime) -> Context:
    """What the policy needs besides the answers, read from the records as they are at `now`."""
    child = episode.child
    age = child.age_on(episode.reported_at.date())
    # Counted as the child's page and the repeat threshold count (mispers/repeats/counting.py).
    earlier = earlier_episodes_count(episode=episode, days=POLICY_WINDOW_DAYS)
    today = now.date()
    exploitation = Marker.objects.filter(
        Q(active_until__isnull=True) | Q(active_until__gte=today),
        child_id=child.pk, kind=Marker.Kind.EXPLOITATION, active_from__lte=today,
    ).exists()
    # Issue 14 (ADR 51): part of an exploitation hub of the force today, by the force's rule.
    hub = linked_to_a_hub(child=child, on=today,
                          rule=HubRule.of(policy_for_force(episode.force)))
    return Context(
        age=age if age is not None else 0,
        looked_after=child.looked_after,
        missing_from=episode.missing_from,
        earlier_episodes_90d=earlier,
        exploitation_marker=exploitation,
        linked_to_exploitation_hub=hub,
    )


def assessments_of(*, episode: Episode) -> QuerySet[Assessment]:
    return (
        episode.assessments.select_related("assessed_by", "ratified_by")
        .prefetch_related("answers")
        .order_by("-sequence")
    )


def latest_assessment(*, episode: Episode) -> Assessment | None:
    return episode.assessments.order_by("-sequence").first()


def ratifications_for(*, user) -> QuerySet[Assessment]:
    """Downgrades waiting for ratification that this user is senior enough to ratify; never the
    user's own."""
    if not is_police_user(user) or not (user.role_codes & RATIFY_ROLES):
        return Assessment.objects.none()
    ranks_at_or_below = RANK_ORDER[: RANK_ORDER.index(user.rank) + 1]
    return (
        Assessment.objects.filter(
            episode__force_id=user.force_id,
            status=Assessment.Status.PENDING,
            required_rank__in=ranks_at_or_below,
        )
        .exclude(assessed_by=user)
        .select_related("episode", "episode__child", "assessed_by")
        .order_by("assessed_at")
    )


def assessment_for(*, user, assessment_id) -> Assessment:
    if not is_police_user(user):
        raise NotFound("Assessment not found")
    try:
        return Assessment.objects.select_related(
            "episode", "episode__child", "episode__force", "assessed_by", "ratified_by"
        ).get(pk=assessment_id, episode__force_id=user.force_id)
    except (Assessment.DoesNotExist, ValueError) as exc:
        raise NotFound("Assessment not found") from exc


def assessment_governs(assessment) -> bool:
    """Whether `assessment` sets its episode's grade: it is the episode's latest assessment and
    the episode is still open (a decision on an older assessment changes nothing now)."""
    episode = assessment.episode
    latest = not episode.assessments.filter(sequence__gt=assessment.sequence).exists()
    return latest and episode.is_open
