"""Repeat-missing panels on pages other apps own (the episode page, the coordinator's queue), so
those apps' views need not know about repeats: each tag reads through a selector."""

from django import template

from mispers.repeats.selectors import flags_in_force, open_flag_of, plan_notes_for_episode

register = template.Library()


@register.simple_tag
def episode_repeats(episode) -> dict:
    """`{% episode_repeats episode as repeats %}`: the child's open strategy-meeting flag and,
    for each action on the episode made from a trigger plan, the plan it came from (keyed by
    the action's id). Two queries."""
    return {"flag": open_flag_of(child=episode.child),
            "plan_notes": plan_notes_for_episode(episode=episode)}


@register.simple_tag(takes_context=True)
def open_strategy_flags(context) -> list:
    """`{% open_strategy_flags as flags %}`: the user's force's open flags, oldest first."""
    request = context.get("request")
    if request is None:
        return []
    return list(flags_in_force(user=request.user)[:100])
