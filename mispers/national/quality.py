"""A force's data completeness at the hub (issue 13): the share of its records that carry what
the national tables need, per rule, and their mean as one score. Shown beside what each force
sent; the same spirit as the force's own data-quality rules (ADR 39), on the exchange fields."""

from __future__ import annotations

from .models import NationalRecord

# (code, label, kind, test of a record's data, which records count)
RULES = [
    ("age_known", "Children with a date or month of birth, or an estimated age", "child",
     lambda d: bool(d.get("date_of_birth") or d.get("birth_month") or d.get("estimated_age")
                    is not None), None),
    ("ethnicity_stated", "Children with a self-defined ethnicity stated", "child",
     lambda d: d.get("ethnicity") not in (None, "not_stated"), None),
    ("sex_known", "Children whose sex is known", "child",
     lambda d: d.get("sex") not in (None, "not_known"), None),
    ("missing_from_place", "Episodes naming the place missing from", "episode",
     lambda d: bool(d.get("missing_from_place")), lambda d: d.get("state") != "withdrawn"),
    ("found_place", "Outcomes naming the place found", "outcome",
     lambda d: bool(d.get("found_place")), None),
    ("graded", "Episodes open, found or closed with a grade", "episode",
     lambda d: bool(d.get("grade")), lambda d: d.get("state") in ("open", "found", "closed")),
]
LABELS = {code: label for code, label, *_ in RULES}


def force_completeness(force_code: str) -> dict:
    """{"rules": {code: [met, of]}, "score": mean share of the rules with records, or None}."""
    tallies = {code: [0, 0] for code, *_ in RULES}
    kinds = {kind for _c, _l, kind, _t, _w in RULES}
    for kind, data in NationalRecord.objects.filter(force_code=force_code,
                                                    kind__in=kinds).values_list("kind", "data"):
        for code, _label, rule_kind, test, counted in RULES:
            if rule_kind == kind and (counted is None or counted(data)):
                tallies[code][1] += 1
                tallies[code][0] += bool(test(data))
    shares = [met / of for met, of in tallies.values() if of]
    return {"rules": tallies, "score": round(sum(shares) / len(shares), 4) if shares else None}
