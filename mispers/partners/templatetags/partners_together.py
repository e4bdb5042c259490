"""Template tags for working together, so partner pages can show alerts and interview links
without each view loading them: {% load partners_together %}."""

from django import template

from mispers.returns.models import ReturnHomeInterview

from ..working_selectors import can_read_findings, can_read_sharing_log, partner_alerts_for

register = template.Library()

PANEL_LIMIT = 10


@register.inclusion_tag("partners/_alerts.html", takes_context=True)
def partner_alerts(context):
    """The alerts the signed-in partner user has not acknowledged yet, newest first."""
    request = context["request"]
    alerts = list(partner_alerts_for(user=request.user)[:PANEL_LIMIT + 1])
    return {"alerts": alerts[:PANEL_LIMIT], "more": len(alerts) > PANEL_LIMIT,
            "next": request.get_full_path(), "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def may_open_interview(context, episode) -> bool:
    """Whether the user may open the episode's return-home interview (the provider and the
    placing authority; not the home)."""
    interview = getattr(episode, "return_home_interview", None)
    if not isinstance(interview, ReturnHomeInterview):
        return False
    interview.episode = episode
    return can_read_findings(user=context["request"].user, interview=interview)


@register.simple_tag(takes_context=True)
def may_read_sharing_log(context) -> bool:
    return can_read_sharing_log(context["request"].user)
