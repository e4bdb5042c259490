"""The national hub's pages (issue 13, ADR 45): what each force sent, when, and its data
completeness; a file's report (a rejected file's problems); loading a file."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.shortcuts import redirect, render

from mispers.core.clock import now
from mispers.core.errors import DomainError
from mispers.core.views import add_domain_error, csv_response, log_view, or_404, require
from mispers.insights.charts import funnel as funnel_chart

from . import selectors
from .dashboard import MEASURES, force_counts, funnel
from .forms import ForceFileForm, PairDecisionForm
from .linkage import hub_link, pair_decide
from .permissions import can_use_hub
from .quality import LABELS
from .report import SECTIONS, completeness_rows, report_body, rows
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
        "run": selectors.latest_run(),
    }, status=400 if form.errors else 200)


@hub_required
def link(request):
    """Run the cross-force linkage now (POST; `mispers hub link` does the same)."""
    if request.method != "POST":
        return redirect("national:hub")
    run = hub_link(actor=request.user, now=now())
    messages.success(request, f"Linkage: {run.records} child records, {run.linked} pairs "
                              f"linked, {run.review} for review, {run.people} national "
                              f"persons ({run.seconds} s).")
    return redirect("national:review" if run.review else "national:hub")


@hub_required
def review(request):
    return render(request, "national/review.html", {
        "pairs": selectors.pairs_for_review(), "run": selectors.latest_run()})


@hub_required
def pair(request, pk: int):
    chosen = or_404(selectors.pair, pk=pk)
    form = PairDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pair_decide(actor=request.user, now=now(), pair=chosen,
                        same=form.cleaned_data["decision"] == "same",
                        note=form.cleaned_data["note"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Recorded: the national persons follow your decision.")
            return redirect("national:review")
    records = selectors.pair_records(chosen)
    for record in records:  # two children's identifying details are on this page
        log_view(request, object_type="national_child", object_id=record["record_id"],
                 child_id=None)
    return render(request, "national/pair.html", {"pair": chosen, "records": records,
                                                  "form": form},
                  status=400 if form.errors else 200)


@hub_required
def force_file(request, pk: int):
    chosen = or_404(selectors.force_file, pk=pk)
    rules = [(LABELS.get(code, code), met, of, met / of if of else None)
             for code, (met, of) in chosen.quality.get("rules", {}).items()]
    return render(request, "national/file.html", {"file": chosen, "rules": rules})


@hub_required
def tables(request):
    """The national tables of a year: the report's page, each table as CSV for every area
    (`download`), suppressed when `published`."""
    asked = request.GET.get("year") or str(Year.latest(now().date()))
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
    body = report_body(result, published=published)
    return render(request, "national/tables_page.html", {
        "year": year, "report": body, "sections": SECTIONS, "published": published,
        "asked": asked})


@hub_required
def dashboard(request):
    """The forces compared on one measure: a funnel plot and its table (CSV with `download`)."""
    asked = request.GET.get("year") or str(Year.latest(now().date()))
    code = request.GET.get("measure") or "no_apparent_risk"
    try:
        year = Year.parse(asked)
    except DomainError as error:
        return render(request, "national/dashboard.html",
                      {"error": error.message, "asked": asked, "measures": MEASURES},
                      status=400)
    if code not in MEASURES:
        return render(request, "national/dashboard.html",
                      {"error": "Choose one of the measures listed", "asked": asked,
                       "measures": MEASURES}, status=400)
    result = funnel(force_counts(year=year), code)
    if request.GET.get("download") == "csv":
        return csv_response(f"{code}-{year}.csv",
                            ["force", "cases", "events", "rate", "95% interval low",
                             "95% interval high", "outside the 99.8% limits"],
                            [[u.name, u.n, u.events, round(u.rate, 4), round(u.interval[0], 4),
                              round(u.interval[1], 4), u.outlier] for u in result.units])
    return render(request, "national/dashboard.html", {
        "year": year, "asked": asked, "code": code, "measure": MEASURES[code],
        "measures": MEASURES, "result": result,
        "chart": funnel_chart(result, x_title=MEASURES[code].of)})
