"""Who may do what on a case's clocks and ownership: one `can_<verb>(user, obj)` per rule
(issue 10). Services raise their refusal when a rule says no; pages ask the same functions
before offering the button. Role lists come from `accounts.roles`."""

from mispers.accounts.roles import (
    ALLOCATE_ROLES,
    HANDOVER_ANY_ROLES,
    RATIFY_ROLES,
    rank_at_least,
)
from mispers.risk.selectors import policy_for_force


def _of_force(user, episode) -> bool:
    return bool(user.is_authenticated and user.force_id == episode.force_id
                and not getattr(user, "organisation_id", None))


def reviewer_rank_for(episode) -> str:
    """The rank a review of the episode needs: the grade's reviewer (policy), a sergeant for an
    ungraded report."""
    if not episode.current_grade:
        return "sergeant"
    return policy_for_force(episode.force).clock(episode.current_grade).reviewer_rank


def can_review(user, episode) -> bool:
    return bool(_of_force(user, episode) and user.role_codes & RATIFY_ROLES
                and rank_at_least(user.rank, reviewer_rank_for(episode)))


def can_hand_over(user, episode) -> bool:
    """The owner, or a supervisor or the coordinator, while the case is active."""
    return bool(episode.is_active and _of_force(user, episode)
                and (episode.owner_id == user.pk or user.role_codes & HANDOVER_ANY_ROLES))


def can_allocate(user, episode=None) -> bool:
    return bool(user and user.is_active and user.role_codes & ALLOCATE_ROLES
                and (episode is None or _of_force(user, episode)))


def can_cancel_action(user, action) -> bool:
    """A sergeant or above of the force cancels an open action, with a reason."""
    return bool(_of_force(user, action.episode) and user.role_codes & RATIFY_ROLES)
