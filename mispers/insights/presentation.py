"""The force picture's rows: each figure for the period, the period before and a year earlier,
in the words of docs/insight-definitions.md, for the page, the CSV file and the API alike."""

from __future__ import annotations

from . import suppression
from .measures import BANDS, LABELS, Figures, Share


def _rate(share: Share) -> float | None:
    return round(share.rate, 4) if share.rate is not None else None


def headline(figures: Figures) -> list[tuple[str, str, object]]:
    """(code, label, value) of each headline figure; a share's value is its rate (0 to 1)."""
    f = figures
    return [
        ("incidents", "Incidents (episodes)", f.incidents),
        ("individuals", "Individuals (children)", f.individuals),
        ("episodes_per_child", "Episodes per child",
         round(f.episodes_per_child, 2) if f.episodes_per_child is not None else None),
        ("repeat_incidents", "Repeat incidents (another episode in the 365 days before)",
         f.repeat_incidents),
        ("no_apparent_risk_share", "Graded no apparent risk (share of graded incidents)",
         _rate(f.no_apparent_risk)),
        ("missing_from_care", "Missing from care", f.missing_from_care),
        ("looked_after", "Looked after at the report", f.looked_after),
        ("placed_by_another", "Looked after, placed by another area's local authority",
         f.placed_by_another),
        ("still_missing", "Still missing", f.time_missing.get("still_missing", 0)),
        ("prevention_interview_in_time", "Prevention interview held in time (share of found)",
         _rate(f.prevention_interview_in_time)),
        ("rhi_offered_in_72h", "Return-home interview offered within 72 hours (share of "
                               "referrals)", _rate(f.rhi_offered_in_72h)),
        ("rhi_accepted", "Return-home interview accepted (share of referrals)",
         _rate(f.rhi_accepted)),
        ("rhi_completed", "Return-home interview completed (share of referrals)",
         _rate(f.rhi_completed)),
        ("reviews_on_time", "Supervisory reviews done on time", _rate(f.reviews_on_time)),
        ("concentration", "Share of incidents from the top 5% of children",
         _rate(f.concentration)),
    ]


# The Share behind each headline rate: the commissioner's office sees a rate only when its count
# and denominator could be shown (ADR 41).
SHARE_OF = {"no_apparent_risk_share": "no_apparent_risk",
            "prevention_interview_in_time": "prevention_interview_in_time",
            "rhi_offered_in_72h": "rhi_offered_in_72h", "rhi_accepted": "rhi_accepted",
            "rhi_completed": "rhi_completed", "reviews_on_time": "reviews_on_time",
            "concentration": "concentration"}


def headline_suppressed(figures: Figures) -> list[tuple[str, str, object]]:
    """The headline with counts of 1 to 4, and the rates and ratios built on them, suppressed."""
    rows = []
    for code, label, value in headline(figures):
        if code in SHARE_OF:
            of = getattr(figures, SHARE_OF[code])
            value = suppression.share(of.count, of.of, value)
        elif code == "episodes_per_child":
            if suppression.small(figures.incidents) or suppression.small(figures.individuals):
                value = suppression.FEWER
        else:
            value = suppression.count(value)
        rows.append((code, label, value))
    return rows


def breakdowns(figures: Figures) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
    """(code, title, [(value code, label, count)]) of each breakdown table."""
    def rows(counts: dict, order=None) -> list[tuple[str, str, int]]:
        keys = order or sorted(counts, key=lambda k: -counts[k])
        return [(key, LABELS.get(key, key), counts.get(key, 0)) for key in keys]

    return [
        ("initial_grade", "Initial grade", rows(figures.initial_grade)),
        ("highest_grade", "Highest grade", rows(figures.highest_grade)),
        ("time_missing", "Time missing, from report to found",
         rows(figures.time_missing, [code for code, _ in BANDS])),
        ("found_by", "Who found the child", rows(figures.found_by)),
        ("condition", "Condition when found", rows(figures.condition)),
        ("harm", "Harm recorded when found", rows(figures.harm)),
        ("missing_from", "Missing from", rows(figures.missing_from)),
    ]


def as_percent(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"
