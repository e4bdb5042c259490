"""The national hub's pages (issue 13, ADR 45): what each force sent, when, and its data
completeness; a file's report (a rejected file's problems); loading a file."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.shortcuts import redirect, render

from mispers.core.clock import now
from mispers.core.views import or_404, require

from . import selectors
from .forms import ForceFileForm
from .permissions import can_use_hub
from .quality import LABELS
from .services import hub_import

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
