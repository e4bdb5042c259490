"""Who may do what on the return and closure: one `can_<verb>(user, obj)` per rule (issue 10).
The services raise their refusal when a rule says no; pages and templates ask the same functions
before offering the button. Role lists come from `accounts.roles`; ranks from the episode's
grades (`returns.selectors`)."""

from mispers.accounts.roles import MARKER_ROLES, RATIFY_ROLES, rank_at_least

from .selectors import rank_needed_to_close, rank_needed_to_withdraw


def _of_force(user, episode) -> bool:
    return bool(user.is_authenticated and user.force_id == episode.force_id
                and not getattr(user, "organisation_id", None))


def close_refusal(user, episode, *, assessments=None) -> str | None:
    """Why `user` may not close `episode` (a sergeant or above; an inspector or above if it was
    ever graded high), or None if they may."""
    required = rank_needed_to_close(assessments=assessments if assessments is not None else
                                    episode.assessments.only("recommended_grade",
                                                             "chosen_grade"))
    if _of_force(user, episode) and user.role_codes & RATIFY_ROLES and rank_at_least(user.rank,
                                                                                     required):
        return None
    who = "an inspector" if required == "inspector" else "a sergeant"
    why = ": it was graded high" if required == "inspector" else ""
    return f"Closing this episode needs {who} or above{why}"


def can_close(user, episode, *, assessments=None) -> bool:
    return close_refusal(user, episode, assessments=assessments) is None


def can_withdraw(user, episode) -> bool:
    """A supervisor; an inspector while the child is still missing or if the case was ever
    graded medium or high (ADR 22)."""
    return bool(_of_force(user, episode) and user.role_codes & RATIFY_ROLES
                and rank_at_least(user.rank, rank_needed_to_withdraw(episode=episode)))


def can_decide_marker(user, proposal) -> bool:
    """Confirm or reject a proposed marker: supervisors and the coordinator of the force."""
    return bool(_of_force(user, proposal.episode) and user.role_codes & MARKER_ROLES)
