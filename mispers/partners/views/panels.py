"""Context for the partner panels on police pages (the child page and the episode page). The
police views call these and include the templates; police see the whole profile."""

from mispers.core.clock import now

from ..models import PartnerReport, Responsibility
from ..selectors import latest_profile, profile_is_stale
from ..services.organisations import may_set_responsibility
from ..services.reports import FIELD_LABELS, FIELD_SOURCES, SOURCE_LABELS, profile_items_for


def police_child_panel(request, child) -> dict:
    """For people/detail.html: who is responsible for the child (now and before), and the
    child's current Philomena profile."""
    today = now().date()
    responsibilities = list(Responsibility.objects.filter(child=child)
                            .select_related("organisation").order_by("-starts_on"))
    for r in responsibilities:
        r.is_current = r.covers(today)
    profile = latest_profile(child=child)
    return {
        "partner_responsibilities": responsibilities,
        "partner_profile": profile,
        "partner_profile_stale": profile_is_stale(profile, today=today),
        "may_set_responsibility": may_set_responsibility(
            actor=request.user, child=child, kind="home", on=today),
    }


def episode_partner_source(episode) -> dict:
    """For episodes/detail.html: when a partner reported the episode, which report fields came
    from the Philomena profile or part 2, the profile itself, and what is still to ask. For
    every episode: the police-only fields police released to partners (ADR 0015)."""
    from .sharing import police_releases

    released = {"partner_releases": police_releases(episode=episode)}
    if episode.reported_via != "partner":
        return released
    report = (PartnerReport.objects.select_related("organisation", "profile",
                                                   "profile__organisation",
                                                   "profile__last_reviewed_by")
              .filter(episode=episode).first())
    filled = [name for name in episode.prefilled_fields if name in FIELD_SOURCES]
    profile = report.profile if report else None
    return {
        **released,
        "partner_report": report,
        "partner_filled": [{"name": name, "label": FIELD_LABELS[name],
                            "source": SOURCE_LABELS[FIELD_SOURCES[name]]} for name in filled],
        "partner_missing": [FIELD_LABELS[name] for name in FIELD_SOURCES
                            if name not in filled],
        "partner_profile": profile,
        "partner_profile_items": profile_items_for(profile),
        "partner_profile_stale": profile_is_stale(profile, today=now().date()),
    }
