"""The national tables as they were first computed (issue 13): plain Python over every record
the hub holds, one force at a time. Kept beside the tests as the reference the database's
counting over the national incidents (tables.py, ADR 48) must equal, table by table."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from mispers.insights.measures import RHI_OFFER_HOURS
from mispers.national.models import NationalPerson
from mispers.national.quality import force_completeness
from mispers.national.tables import (
    ENGLAND_AND_WALES,
    LONDON,
    ForceRecords,
    Tables,
    Year,
    _age_at,
    _age_band,
    _band,
    _survivor,
    _when,
    records_by_force,
)

ATTRIBUTES = ("incidents", "by_age_sex", "ethnicity", "grade_age_sex", "vulnerability",
              "outcome", "duration", "found_by", "completeness")


def as_dicts(tables: Tables) -> dict:
    """Every table as plain dicts, a cell held at 0 kept (the CSV writes it)."""
    return {attribute: {area: dict(cells) for area, cells in getattr(tables, attribute).items()}
            for attribute in ATTRIBUTES}


def python_tables(*, year: Year) -> Tables:
    tables = Tables(year=year)
    persons = dict(NationalPerson.objects.values_list("key", "person_id"))
    linked = set()
    for force, records in records_by_force():
        people = _force_tables(tables, force, records, year)
        tables.completeness[force] = force_completeness(force)
        if persons:
            linked |= {persons.get(f"{force}:{child}", f"{force}:{child}") for child in people}
    if persons:
        # Individuals with the cross-force linkage: one child missing in two forces counts once.
        tables.incidents[ENGLAND_AND_WALES]["individuals_linked"] = len(linked)
    return tables


def _force_tables(tables: Tables, force: str, records: dict, year: Year) -> set[str]:
    held = ForceRecords(records)
    children = held.children
    markers = defaultdict(list)
    for data in records["marker"].values():
        markers[_survivor(children, data["child"])].append(data)
    people = set()
    for episode_id, data, reported, child_id in held.in_year(year):
        day = reported.astimezone(LONDON).date()
        child = children.get(child_id, {})
        people.add(child_id)
        assessed = held.first_assessment.get(episode_id)
        age = assessed["age_at_report"] if assessed else _age_at(child, day)
        band, sex = _age_band(age), child.get("sex", "not_known")
        grade = assessed["effective_grade"] if assessed else "not_graded"
        looked_after = assessed["looked_after"] if assessed else child.get("looked_after")
        active = [m for m in markers[child_id] if m["active_from"] <= day.isoformat()
                  and (m.get("active_until") is None or m["active_until"] >= day.isoformat())]
        outcome = held.outcomes.get(episode_id)
        repeat = held.is_repeat(child_id, reported)
        for where in (force, ENGLAND_AND_WALES):
            tables.incidents[where].update({"incidents": 1, "repeat_incidents": int(repeat),
                                            "missing_from_care":
                                                int(data["missing_from"] == "care")})
            tables.by_age_sex[where][(band, sex)] += 1
            tables.ethnicity[where][("self_defined",
                                     child.get("ethnicity", "not_stated").split("_")[0])] += 1
            tables.ethnicity[where][("observed",
                                     child.get("observed_ethnicity", "not_recorded"))] += 1
            tables.grade_age_sex[where][(grade, band, sex)] += 1
            tables.vulnerability[where].update({
                "looked_after": int(bool(looked_after)),
                "exploitation": int(any(m["marker_kind"] == "exploitation" for m in active)
                                    or bool(assessed and assessed["exploitation_marker"])),
                "mental_health": int(any(m["marker_kind"] in ("mental_health", "self_harm")
                                         for m in active))})
            tables.duration[where][_band(reported, _when(outcome["found_at"])
                                         if outcome else None)] += 1
            if outcome:
                tables.outcome[where][outcome["condition"]] += 1
                for harm in outcome["harms"]:
                    tables.outcome[where][f"harm_{harm}"] += 1
                tables.found_by[where][outcome["found_by"]] += 1
    # Individuals: distinct children of the force (merges within the force followed); across
    # forces they are summed, counting a child who went missing in two forces twice; with the
    # cross-force linkage, "individuals_linked" counts each national person once.
    tables.incidents[force]["individuals"] = len(people)
    tables.incidents[ENGLAND_AND_WALES]["individuals"] += len(people)
    return people


def python_force_counts(*, year: Year) -> dict[str, Counter]:
    """The national dashboard's counts as first computed: per force, the events and
    denominators of every measure, over every record's JSON."""
    counts = {}
    for force, records in records_by_force():
        tally = Counter()
        held = ForceRecords(records)
        prevention = {d["episode"]: d for d in records["interview"].values()
                      if d["interview"] == "prevention"}
        return_home = {d["episode"]: d for d in records["interview"].values()
                       if d["interview"] == "return_home"}
        for episode_id, _data, reported, child_id in held.in_year(year):
            tally["incidents"] += 1
            tally["repeat"] += held.is_repeat(child_id, reported)
            first = held.first_assessment.get(episode_id)
            if first:
                tally["graded"] += 1
                tally["no_apparent_risk"] += first["effective_grade"] == "no_apparent_risk"
            found = held.outcomes.get(episode_id)
            if found and found["condition"] != "deceased":
                tally["found"] += 1
                interview = prevention.get(episode_id)
                tally["prevention_held"] += bool(interview and interview.get("held_at")
                                                 and not interview.get("waived"))
            referral = return_home.get(episode_id)
            if referral and found:
                tally["referrals"] += 1
                offered = _when(referral.get("offered_at"))
                tally["rhi_in_72h"] += bool(offered and (offered - _when(found["found_at"]))
                                            <= dt.timedelta(hours=RHI_OFFER_HOURS))
        counts[force] = tally
    return counts
