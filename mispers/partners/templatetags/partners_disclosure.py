"""What police forms and pages say about partners ({% load partners_disclosure %}): the hint on
the police forms whose text partners never see unless released (ADR 0015)."""

from django import template

from ..disclosure import form_hint
from ..services.sharing import may_release

register = template.Library()


@register.inclusion_tag("partners/_form_hint.html")
def partner_form_hint(form_name: str):
    """Which fields of a police form ("report", "found") go to partners."""
    return {"hint": form_hint(form_name)}


@register.simple_tag(takes_context=True)
def may_release_to_partners(context, episode) -> bool:
    return may_release(user=context["request"].user, episode=episode)
