"""What the hub's pages read (issue 13)."""

from django.db.models import Count

from mispers.core.errors import NotFound
from mispers.risk.policy.loader import known_force_codes

from .models import ForceFile, NationalRecord


def force_summaries() -> list[dict]:
    """Per force that sent anything: its last loaded file, the changes held, records held by
    kind, its latest completeness, and its rejected files."""
    latest = {}
    for force_file in ForceFile.objects.order_by("received_at", "pk"):
        entry = latest.setdefault(force_file.force_code, {"force": force_file.force_code,
                                                          "loaded": None, "rejected": 0})
        if force_file.status == ForceFile.Status.LOADED:
            entry["loaded"] = force_file
        else:
            entry["rejected"] += 1
    held = {}
    for force, kind, count in (NationalRecord.objects.values_list("force_code", "kind")
                               .annotate(n=Count("pk")).values_list("force_code", "kind", "n")):
        held.setdefault(force, {})[kind] = count
    known = known_force_codes()
    return [{**entry, "held": held.get(code, {}), "known": code in known}
            for code, entry in sorted(latest.items())]


def recent_files(limit: int = 50) -> list[ForceFile]:
    return list(ForceFile.objects.order_by("-received_at", "-pk")[:limit])


def force_file(pk: int) -> ForceFile:
    try:
        return ForceFile.objects.get(pk=pk)
    except ForceFile.DoesNotExist as error:
        raise NotFound("No such force file") from error
