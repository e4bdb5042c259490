"""The force picture's charts (issue 12): altair specifications drawn to SVG on the server with
vl-convert, offline (no CDN, no browser). Each chart has its table beside it on the page: the
table is what a screen reader reads and what people copy."""

from __future__ import annotations

import altair as alt
import vl_convert

from .measures import BANDS, DAYS, Figures

WIDTH = 560
COLOUR = "#1d70b8"  # GOV.UK blue


def _svg(chart: alt.TopLevelMixin) -> str:
    return vl_convert.vegalite_to_svg(chart.to_json())


def by_month(figures: Figures) -> str:
    values = [{"month": month, "incidents": count} for month, count in figures.by_month.items()]
    return _svg(alt.Chart(alt.Data(values=values)).mark_bar(color=COLOUR).encode(
        x=alt.X("month:O", title="Month of report"),
        y=alt.Y("incidents:Q", title="Incidents")).properties(width=WIDTH, height=180))


def time_missing(figures: Figures) -> str:
    labels = dict(BANDS)
    values = [{"band": labels[code], "order": index, "incidents": figures.time_missing.get(code, 0)}
              for index, (code, _label) in enumerate(BANDS)]
    return _svg(alt.Chart(alt.Data(values=values)).mark_bar(color=COLOUR).encode(
        y=alt.Y("band:N", title=None, sort=[label for _code, label in BANDS]),
        x=alt.X("incidents:Q", title="Incidents")).properties(width=WIDTH - 120, height=150))


def hour_by_day(figures: Figures) -> str:
    values = [{"day": DAYS[day], "hour": f"{hour:02d}",
               "incidents": figures.hour_by_day.get((day, hour), 0)}
              for day in range(7) for hour in range(24)]
    return _svg(alt.Chart(alt.Data(values=values)).mark_rect().encode(
        x=alt.X("hour:O", title="Hour of report"),
        y=alt.Y("day:O", title=None, sort=DAYS),
        color=alt.Color("incidents:Q", title="Incidents",
                        scale=alt.Scale(scheme="blues"))).properties(width=WIDTH, height=170))


def concentration_curve(figures: Figures) -> str:
    values = [{"children": 0, "incidents": 0}] + [
        {"children": c, "incidents": i} for c, i in figures.concentration_curve]
    line = alt.Chart(alt.Data(values=values)).mark_line(color=COLOUR, point=True).encode(
        x=alt.X("children:Q", title="Share of children (most incidents first)",
                axis=alt.Axis(format="%")),
        y=alt.Y("incidents:Q", title="Share of incidents", axis=alt.Axis(format="%")))
    even = alt.Chart(alt.Data(values=[{"children": 0, "incidents": 0},
                                      {"children": 1, "incidents": 1}])).mark_line(
        color="#b1b4b6", strokeDash=[4, 4]).encode(x="children:Q", y="incidents:Q")
    return _svg((even + line).properties(width=320, height=240))


def funnel(result, *, x_title: str = "Assessments") -> str:
    """Each unit's rate against its number of assessments, with the force's rate and the 95%
    and 99.8% limits around it: the funnel plot (issue 12, ADR 40)."""
    from .consistency import INNER, OUTER, limits

    points = [{"n": u.n, "rate": u.rate,
               "state": {"above": "Above the outer limit", "below": "Below the outer limit"}
               .get(u.outlier, "Within the limits")} for u in result.units]
    if result.target is None or not points:
        return ""
    top = max(p["n"] for p in points)
    sizes = sorted({max(1, round(top * i / 60)) for i in range(1, 61)} | {1, 2, 3, 5})
    lines = [{"n": n, "rate": value, "limit": name}
             for n in sizes
             for name, level in (("95%", INNER), ("99.8%", OUTER))
             for value in limits(result.target, n, level)]
    # Two lines per level (lower and upper): a detail channel keeps them apart.
    for index, row in enumerate(lines):
        row["side"] = f"{row['limit']}-{index % 2}"
    base = alt.Chart(alt.Data(values=lines)).mark_line(interpolate="step-after").encode(
        x=alt.X("n:Q", title=x_title),
        y=alt.Y("rate:Q", title=result.measure.label, axis=alt.Axis(format="%")),
        strokeDash=alt.StrokeDash("limit:N", title="Limits"), detail="side:N",
        color=alt.value("#505a5f"))
    target = alt.Chart(alt.Data(values=[{"rate": result.target}])).mark_rule(
        color=COLOUR).encode(y="rate:Q")
    dots = alt.Chart(alt.Data(values=points)).mark_circle(size=60).encode(
        x="n:Q", y="rate:Q",
        color=alt.Color("state:N", title=None, scale=alt.Scale(
            domain=["Within the limits", "Above the outer limit", "Below the outer limit"],
            range=[COLOUR, "#d4351c", "#f47738"])))
    return _svg((base + target + dots).properties(width=WIDTH, height=300))
