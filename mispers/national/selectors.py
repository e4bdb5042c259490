"""What the hub's pages read (issue 13)."""

from django.db.models import Count

from mispers.core.errors import NotFound
from mispers.risk.policy.loader import known_force_codes

from .models import ForceFile, LinkRun, NationalPair, NationalRecord


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


def latest_run() -> LinkRun | None:
    return LinkRun.objects.order_by("-started_at", "-pk").first()


def pairs_for_review(limit: int = 100) -> list[NationalPair]:
    return list(NationalPair.objects.filter(status=NationalPair.Status.REVIEW)
                .order_by("-match_probability", "pk")[:limit])


def pair(pk: int) -> NationalPair:
    try:
        return NationalPair.objects.get(pk=pk)
    except NationalPair.DoesNotExist as error:
        raise NotFound("No such pair") from error


def pair_records(chosen: NationalPair) -> list[dict]:
    """The two child records of a pair as the forces sent them, with their episodes' count
    and reports, for the reviewer to compare."""
    shown = []
    for side in (chosen.a_key, chosen.b_key):
        force, record_id = side.split(":", 1)
        record = NationalRecord.objects.filter(force_code=force, kind="child",
                                               record_id=record_id).first()
        reported = sorted(data["reported_at"][:10] for data in NationalRecord.objects.filter(
            force_code=force, kind="episode", data__child=record_id).values_list(
            "data", flat=True))
        shown.append({"force": force, "record_id": record_id,
                      "data": record.data if record else {}, "episodes": len(reported),
                      "reported": reported[-3:]})
    return shown
