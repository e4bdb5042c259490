"""The national hub's pages (issue 13, ADR 45): what each force sent, when, and its data
completeness; a file's report (a rejected file's problems); loading a file."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.shortcuts import redirect, render

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import csv_response, or_404, require

from . import selectors
from .forms import ForceFileForm
from .permissions import can_use_hub
from .quality import LABELS
from .report import SECTIONS, completeness_rows, render_html, rows
from .services import hub_import
from .tables import Year, national_tables

hub_required = require(can_use_hub)


@hub_required
def hub(request):
    form = ForceFileForm()
    if request.method == "POST":
        form = ForceFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / Path(upload.name).name
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                outcome = hub_import(actor=request.user, now=now(), path=path)
            (messages.error if outcome.status == "rejected" else messages.success)(
                request, outcome.message.replace(str(path), path.name))
            if outcome.file is not None:
                return redirect("national:file", pk=outcome.file.pk)
            return redirect("national:hub")
    return render(request, "national/hub.html", {
        "form": form, "forces": selectors.force_summaries(), "files": selectors.recent_files(),
    }, status=400 if form.errors else 200)


@hub_required
def force_file(request, pk: int):
    chosen = or_404(selectors.force_file, pk=pk)
    rules = [(LABELS.get(code, code), met, of, met / of if of else None)
             for code, (met, of) in chosen.quality.get("rules", {}).items()]
    return render(request, "national/file.html", {"file": chosen, "rules": rules})


def _latest_year(today) -> str:
    """The last whole financial year."""
    first = today.year - 1 if today.month >= 4 else today.year - 2
    return f"{first}-{(first + 1) % 100:02d}"


@hub_required
def tables(request):
    """The national tables of a year: the report's page, each table as CSV for every area
    (`download`), suppressed when `published`."""
    asked = request.GET.get("year") or _latest_year(now().date())
    published = request.GET.get("published") == "yes"
    try:
        year = Year.parse(asked)
    except DomainError as error:
        return render(request, "national/tables_page.html",
                      {"error": error.message, "asked": asked}, status=400)
    result = national_tables(year=year)
    wanted = request.GET.get("download")
    for code, _title, dimensions, attribute in SECTIONS:
        if wanted == code:
            return csv_response(f"{code}-{year}.csv", ["area", *dimensions, "incidents"],
                                rows(result, attribute, published=published))
    if wanted == "completeness":
        return csv_response(f"completeness-{year}.csv", ["force", "rule", "met", "of", "share"],
                            completeness_rows(result))
    html = render_html(result, published=published)
    body = html[html.index("<body>") + len("<body>"):html.index("</body>")]
    return render(request, "national/tables_page.html", {
        "year": year, "report": body, "sections": SECTIONS, "published": published,
        "asked": asked})
