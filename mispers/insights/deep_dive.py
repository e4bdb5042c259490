"""The commissioner's deep dive (issue 12, ADR 41): one PDF of the force's figures for a period,
made with WeasyPrint from an HTML page. It leaves the system, so it is always written as the
commissioner's office sees the figures: counts of 1 to 4 suppressed, no name of a child or an
officer, no reference, no free text. Definitions are appended from docs/insight-definitions.md,
the one place they are written."""

from __future__ import annotations

import datetime as dt

import altair as alt
import markdown
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from mispers.risk.services import policy_for_force

from . import engine, exploitation, suppression
from .charts import COLOUR, WIDTH, _svg, funnel
from .consistency import MEASURES, assessment_rows, consistency
from .outcomes import outcomes_by_grade
from .period import Period
from .presentation import SHARE_OF, as_percent, breakdowns, headline_suppressed
from .quality import RULES, force_quality

DEFINITIONS = settings.BASE_DIR / "docs" / "insight-definitions.md"


def _shown(value, *, rate: bool):
    if value == suppression.FEWER:
        return value
    if value is None:
        return "–"
    return as_percent(value) if rate else value


def _bars(title: str, rows: list[tuple[str, object]]) -> str:
    """A bar chart of a suppressed table: a suppressed cell is left out, never drawn."""
    values = [{"label": label, "count": count} for label, count in rows
              if isinstance(count, int) and not isinstance(count, bool)]
    if not values:
        return ""
    return _svg(alt.Chart(alt.Data(values=values)).mark_bar(color=COLOUR).encode(
        y=alt.Y("label:N", title=None, sort=[label for label, _ in rows]),
        x=alt.X("count:Q", title=title)).properties(width=WIDTH - 160, height=22 * len(rows)))


def deep_dive_context(*, force, period: Period, now: dt.datetime) -> dict:
    periods = [period, period.previous(), period.year_before()]
    figures = engine.figures(force_id=force.pk, periods=periods, now=now)
    heads = [headline_suppressed(f) for f in figures]
    rows = [(label, [_shown(head[i][2], rate=code in SHARE_OF) for head in heads])
            for i, (code, label, _v) in enumerate(heads[0])]
    tables = []
    for code, title, table in breakdowns(figures[0]):
        shown = suppression.counts([c for _k, _l, c in table])
        cells = [(label, value) for (_k, label, _c), value in zip(table, shown, strict=True)]
        tables.append({"code": code, "title": title, "rows": cells,
                       "chart": _bars("Incidents", cells) if code in (
                           "time_missing", "initial_grade", "missing_from") else ""})
    months = list(figures[0].by_month.items())
    month_cells = list(zip([m for m, _ in months],
                           suppression.counts([n for _, n in months]), strict=True))
    labels = policy_for_force(force).labels
    # Grading consistency without names: the force's rate for each measure, how many officers
    # and how many beyond the outer limits; the funnel's points are officers, unnamed.
    grading_rows = assessment_rows(force_id=force.pk, period=period)
    grading = []
    for code, measure in MEASURES.items():
        result = consistency(grading_rows, measure=code, unit="officer")
        grading.append({"label": measure.label,
                        "rate": _shown(suppression.share(result.events, result.n,
                                                         result.target), rate=True),
                        "officers": len(result.units), "outliers": len(result.outliers)})
    below = consistency(grading_rows, measure="below", unit="officer")
    outcome_tables = []
    for table in outcomes_by_grade(force_id=force.pk, period=period):
        outcome_tables.append({"version": table.policy_version, "rows": [
            (labels.get(g.grade, g.grade), suppression.count(g.found),
             suppression.count(g.harmed),
             _shown(suppression.share(g.harmed, g.found, g.rate), rate=True))
            for g in table.by_grade]})
    quality = force_quality(force_id=force.pk, period=period, now=now)
    quality_rows = []
    for rule in RULES:
        tally = quality.totals[rule.code]
        quality_rows.append((rule.label, suppression.count(tally.checked),
                             suppression.count(tally.failing),
                             _shown(suppression.share(tally.failing, tally.checked,
                                                      tally.score), rate=True)))
    definitions = markdown.markdown(DEFINITIONS.read_text(encoding="utf-8"),
                                    extensions=["tables"]) if DEFINITIONS.exists() else ""
    return {"force": force, "period": period, "periods": periods, "rows": rows,
            "tables": tables, "months": month_cells,
            "exploitation": exploitation.tables(engine.exploitation(
                force_id=force.pk, period=period, now=now), suppress=True),
            "month_chart": _bars("Incidents", month_cells), "grading": grading,
            "funnel": funnel(below), "outcomes": outcome_tables,
            "quality": quality_rows, "quality_score": _shown(quality.overall.score, rate=True),
            "definitions": definitions, "made_at": timezone.localtime(now)}


def deep_dive_pdf(*, force, period: Period, now: dt.datetime) -> bytes:
    from PIL import ImageFile

    loads_truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML  # imported here: the system libraries load only when needed

    # WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported; photo
    # uploads must keep refusing truncated files (partners/photos.py), so it is put back.
    ImageFile.LOAD_TRUNCATED_IMAGES = loads_truncated

    html = render_to_string("insights/deep_dive.html",
                            deep_dive_context(force=force, period=period, now=now))
    return HTML(string=html).write_pdf()
