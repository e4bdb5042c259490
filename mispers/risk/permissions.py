"""Who may decide on a grade chosen below the recommendation (issue 10, ADR 29): one rule, asked
by the ratify and decline services and by the pages."""

from mispers.accounts.roles import RATIFY_ROLES, rank_at_least


def can_ratify(user, assessment) -> bool:
    """A supervisor of the episode's force at the assessment's required rank or above, who did
    not choose the grade. (Whether it still waits for a decision is the service's check.)"""
    return bool(user.is_authenticated and user.force_id == assessment.episode.force_id
                and not getattr(user, "organisation_id", None)
                and user.role_codes & RATIFY_ROLES
                and rank_at_least(user.rank, assessment.required_rank)
                and assessment.assessed_by_id != user.pk)
