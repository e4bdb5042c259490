"""The national tables as files (issue 13): one CSV per table (every area: England and Wales and
each force), and the same in one HTML page and its PDF. `published` suppresses counts of 1 to
4 (and the cell a total would reveal) as the commissioner's figures are (ADR 41)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.template.loader import render_to_string

from mispers.insights import suppression
from mispers.insights.measures import AGE_BANDS, BANDS
from mispers.risk.policy.loader import known_force_codes

from .tables import ENGLAND_AND_WALES, Tables

LABELS = {code: label for code, label, *_ in AGE_BANDS} | dict(BANDS) | {
    "not_known": "Not known", "female": "Female", "male": "Male", "not_graded": "Not graded",
    ENGLAND_AND_WALES: "England and Wales"}

# (code, title, the dimensions of its cells, the Tables attribute)
SECTIONS = [
    ("incidents", "Incidents and individuals", ["measure"], "incidents"),
    ("age_sex", "Incidents by age band and sex", ["age_band", "sex"], "by_age_sex"),
    ("ethnicity", "Incidents by ethnicity (self-defined group; officer-observed)",
     ["recorded_as", "group"], "ethnicity"),
    ("grade_age_sex", "Incidents by initial risk grade, age band and sex",
     ["grade", "age_band", "sex"], "grade_age_sex"),
    ("vulnerability", "Incidents by vulnerability at the report", ["flag"], "vulnerability"),
    ("outcome", "Outcomes when found: condition and harm", ["outcome"], "outcome"),
    ("duration", "Incidents by time missing", ["band"], "duration"),
    ("found_by", "Who found the child", ["found_by"], "found_by"),
]


def rows(tables: Tables, attribute: str, *, published: bool) -> list[list]:
    """[area, *dimensions, count] for every area and cell, England and Wales first."""
    table = getattr(tables, attribute)
    out = []
    for area in sorted(table, key=lambda a: (a != ENGLAND_AND_WALES, a)):
        cells = sorted(table[area].items(), key=lambda item: str(item[0]))
        counts = [count for _key, count in cells]
        # "individuals" is not a part of "incidents": each measure is suppressed on its own.
        shown = ([suppression.count(c) for c in counts] if attribute == "incidents"
                 else suppression.counts(counts)) if published else counts
        for (key, _count), value in zip(cells, shown, strict=True):
            out.append([area, *(key if isinstance(key, tuple) else (key,)), value])
    return out


def completeness_rows(tables: Tables) -> list[list]:
    out = []
    for force, result in sorted(tables.completeness.items()):
        for code, (met, of) in result["rules"].items():
            out.append([force, code, met, of, round(met / of, 4) if of else ""])
        out.append([force, "score", "", "", result["score"] if result["score"] is not None
                    else ""])
    return out


def write_tables(tables: Tables, out: Path, *, published: bool) -> list[Path]:
    """Write the CSV files, the HTML page and its PDF into `out`; the paths written."""
    written = []
    for code, _title, dimensions, attribute in SECTIONS:
        written.append(_csv(out / f"{code}.csv", ["area", *dimensions, "incidents"],
                            rows(tables, attribute, published=published)))
    written.append(_csv(out / "completeness.csv", ["force", "rule", "met", "of", "share"],
                        completeness_rows(tables)))
    html = render_html(tables, published=published)
    (out / "national-tables.html").write_text(html, encoding="utf-8")
    written.append(out / "national-tables.html")
    from weasyprint import HTML  # the system libraries load only when a PDF is made

    HTML(string=html).write_pdf(out / "national-tables.pdf")
    written.append(out / "national-tables.pdf")
    return written


def render_html(tables: Tables, *, published: bool) -> str:
    known = known_force_codes()
    sections = []
    for code, title, dimensions, attribute in SECTIONS:
        national = [row[1:] for row in rows(tables, attribute, published=published)
                    if row[0] == ENGLAND_AND_WALES]
        sections.append({"code": code, "title": title,
                         "dimensions": [d.replace("_", " ") for d in dimensions],
                         "rows": [[LABELS.get(str(cell), str(cell).replace("_", " "))
                                   for cell in row[:-1]] + [row[-1]] for row in national]})
    forces = [[force, *row[1:]] for force in sorted(tables.incidents) if force in known
              for row in [[force, tables.incidents[force]["incidents"],
                           tables.incidents[force]["individuals"],
                           tables.completeness.get(force, {}).get("score")]]]
    if published:
        forces = [[f, suppression.count(i), suppression.count(n), s] for f, i, n, s in forces]
    return render_to_string("national/tables.html", {
        "year": tables.year, "sections": sections, "forces": forces, "published": published})


def report_body(tables: Tables, *, published: bool) -> str:
    """The report's body, for showing inside the hub's page (the page has its own head)."""
    html = render_html(tables, published=published)
    return html[html.index("<body>") + len("<body>"):html.index("</body>")]


def _csv(path: Path, header: list, body: list[list]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
