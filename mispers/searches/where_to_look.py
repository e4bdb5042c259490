"""Where to look for a missing child (issue 14, ADR 52): a pure ranking of places, each with its
reasons and how often it has been right for this child before. No database and no clock: the
selector gathers `Inputs` as of a moment (now for an open case, the report time for the
benchmark) and this module ranks them, so the page, the API and the benchmark rank alike.

The estimate is a mixture. The child's own earlier found places, weighted by recency (a
half-life) and frequency, take a share that grows with the child's history: with returns of
total weight W the child's own places take W / (W + NEW_PLACE), and NEW_PLACE / (W + NEW_PLACE)
is left for places the child has not been found at. That rest is shared out by the base rates
of where children are found (home, a friend's, street or park, a relative's, shops or leisure,
elsewhere): within each kind, places known for this child (home, placement, relatives, places in
the intelligence and the Philomena profile, where the child's associates' other children were
found, where last seen) take most of the kind's share, and the force's other places of the kind
near where the child was last seen the rest, by the distance rings (half within 3 km, four in
five within 18 km). A place searched during this episode without finding the child moves down.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

# --- base rates --------------------------------------------------------------------------------

# Where children are found (Grampian study, children aged 12 to 14; docs/DOMAIN). Published for
# that band only: the other bands use the same figures, and say so, until a force's own figures
# replace them.
GRAMPIAN_12_14 = {"home": 0.25, "friend": 0.24, "street": 0.19, "relative": 0.12,
                  "shops": 0.11, "other": 0.09}
BASE_RATES = {"12-14": GRAMPIAN_12_14}
CATEGORY_LABELS = {"home": "at home or the placement", "friend": "at a friend's address",
                   "street": "in a street or park", "relative": "at a relative's address",
                   "shops": "at shops or leisure", "other": "somewhere else"}
# 50% within 3 km of where last seen, 80% within 18 km (the same study).
RINGS = ((3.0, 0.5, "within 3 km"), (18.0, 0.3, "3 to 18 km"), (math.inf, 0.2, "beyond 18 km"))

HALF_LIFE_DAYS = 180.0  # an earlier return counts half as much after six months
NEW_PLACE = 3.0  # the weight of "somewhere this child has not been found before"
KNOWN_SHARE = 0.7  # of a kind's share, what the child's known places of that kind take
SEARCHED_NOT_FOUND = 0.25  # a place searched without finding the child keeps this much
# How strongly each kind of lead says "this child's place" (within its kind).
LEAD_WEIGHTS = {"home": 1.0, "placement": 1.0, "relative": 1.0, "last_seen": 1.0,
                "intelligence": 1.0, "philomena": 0.7, "associate": 0.5}
LIMIT = 10


def age_band(age: int | None) -> str:
    if age is None:
        return "not known"
    if age < 12:
        return "under 12"
    if age <= 14:
        return "12-14"
    return "15-17"


def base_rates_for(age: int | None) -> tuple[dict[str, float], str]:
    band = age_band(age)
    rates = BASE_RATES.get(band)
    if rates is not None:
        return rates, f"children aged {band.replace('-', ' to ')}"
    return GRAMPIAN_12_14, "children aged 12 to 14 (the published figures; used for all ages)"


# --- inputs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlaceFact:
    id: object
    name: str
    kind: str
    latitude: float | None = None
    longitude: float | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class EarlierReturn:
    """One of the child's earlier returns: where (a place id, or None when not recorded)."""
    at: dt.datetime
    place_id: object = None


@dataclass(frozen=True)
class Lead:
    """A place known for this child: `source` is a LEAD_WEIGHTS key; `reason` says why."""
    place_id: object
    source: str
    reason: str
    weight: float = 1.0


@dataclass(frozen=True)
class SearchDone:
    at: dt.datetime
    result: str
    place_id: object = None
    note: str = ""
    who: str = ""


@dataclass(frozen=True)
class Inputs:
    as_of: dt.datetime
    age: int | None
    places: dict  # id -> PlaceFact: every place named below
    returns: tuple[EarlierReturn, ...] = ()
    leads: tuple[Lead, ...] = ()
    home_ids: frozenset = frozenset()  # the child's home and placement
    last_seen_id: object = None
    nearby_ids: tuple = ()  # the force's other places near where last seen (base rates)
    searches: tuple[SearchDone, ...] = ()
    notes: tuple[str, ...] = ()  # Philomena places that are not places on record


# --- outputs -----------------------------------------------------------------------------------

@dataclass
class Suggestion:
    rank: int
    place: PlaceFact
    score: float
    reasons: list[str]
    sources: list[str]
    right_before: int
    returns_before: int
    distance_km: float | None = None
    ring: str = ""
    searches: list[SearchDone] = field(default_factory=list)

    @property
    def right_text(self) -> str:
        if not self.returns_before:
            return "No earlier returns to judge by"
        return (f"Right for this child before: {self.right_before} of {self.returns_before} "
                f"time{'s' if self.returns_before != 1 else ''}")

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class KindRate:
    category: str
    label: str
    share: float
    right_before: int
    returns_before: int


@dataclass
class Result:
    suggestions: list[Suggestion]
    kinds: list[KindRate]
    population: str
    band: str
    returns_before: int
    last_seen: PlaceFact | None
    notes: tuple[str, ...]
    rings: tuple = RINGS

    def top(self, n: int = 3) -> list:
        return [s.place.id for s in self.suggestions[:n]]


# --- helpers -----------------------------------------------------------------------------------

def distance_km(a: PlaceFact, b: PlaceFact) -> float | None:
    """Great-circle distance (haversine), or None without both coordinates."""
    if not (a.has_coordinates and b.has_coordinates):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude,
                                                b.longitude))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def ring_of(distance: float | None) -> tuple[int, str]:
    if distance is None:
        return -1, ""
    for index, (limit, _share, label) in enumerate(RINGS):
        if distance <= limit:
            return index, label
    return len(RINGS) - 1, RINGS[-1][2]


def category(place: PlaceFact, home_ids) -> str:
    if place.id in home_ids or place.kind == "home":
        return "home"
    return {"associate_address": "friend", "relative": "relative", "street_or_park": "street",
            "shop_or_leisure": "shops"}.get(place.kind, "other")


def _weight(at: dt.datetime, as_of: dt.datetime) -> float:
    days = max(0.0, (as_of - at).total_seconds() / 86400)
    return 0.5 ** (days / HALF_LIFE_DAYS)


def _day(at: dt.datetime) -> str:
    return f"{at:%-d %b %Y}"


# --- the ranking -------------------------------------------------------------------------------

def rank(inputs: Inputs, *, limit: int = LIMIT) -> Result:
    places = inputs.places
    rates, population = base_rates_for(inputs.age)
    short = population.split(" (")[0]
    earlier = [r for r in inputs.returns if r.at < inputs.as_of]
    n = len(earlier)
    home_ids = inputs.home_ids

    # The child's own found places: recency and frequency.
    own = defaultdict(float)
    own_count = defaultdict(int)
    own_last: dict = {}
    total = 0.0
    for ret in earlier:
        w = _weight(ret.at, inputs.as_of)
        total += w
        if ret.place_id is not None and ret.place_id in places:
            own[ret.place_id] += w
            own_count[ret.place_id] += 1
            own_last[ret.place_id] = max(own_last.get(ret.place_id, ret.at), ret.at)
    rest = NEW_PLACE / (total + NEW_PLACE)
    score = {pid: w / (total + NEW_PLACE) for pid, w in own.items()}
    reasons: dict = defaultdict(list)
    sources: dict = defaultdict(list)
    for pid, count in own_count.items():
        reasons[pid].append(f"Found here {count} time{'s' if count != 1 else ''} before, last "
                            f"on {_day(own_last[pid])}")
        sources[pid].append("own")

    # Places known for this child, by kind of place.
    lead_weight = defaultdict(float)
    for lead in inputs.leads:
        if lead.place_id not in places:
            continue
        lead_weight[lead.place_id] += LEAD_WEIGHTS.get(lead.source, 0.5) * lead.weight
        if lead.reason not in reasons[lead.place_id]:
            reasons[lead.place_id].append(lead.reason)
        if lead.source not in sources[lead.place_id]:
            sources[lead.place_id].append(lead.source)
    known_by_cat = defaultdict(float)
    for pid, w in lead_weight.items():
        known_by_cat[category(places[pid], home_ids)] += w
    for pid, w in lead_weight.items():
        cat = category(places[pid], home_ids)
        score[pid] = score.get(pid, 0.0) + rest * rates[cat] * KNOWN_SHARE * w / known_by_cat[cat]

    # The force's other places near where last seen: the rest of each kind's share, by ring.
    last_seen = places.get(inputs.last_seen_id)
    distances = {pid: distance_km(places[pid], last_seen) if last_seen else None
                 for pid in set(places)}
    in_ring = defaultdict(int)
    # Within the outer ring only: beyond it the places in reach of a search are too few to
    # share a fifth of the children between them.
    nearby = [pid for pid in inputs.nearby_ids
              if pid in places and pid not in lead_weight and distances.get(pid) is not None
              and distances[pid] <= RINGS[1][0]]
    for pid in nearby:
        in_ring[(category(places[pid], home_ids), ring_of(distances[pid])[0])] += 1
    for pid in nearby:
        cat = category(places[pid], home_ids)
        index, _label = ring_of(distances[pid])
        known = KNOWN_SHARE if known_by_cat.get(cat) else 0.0
        share = rest * rates[cat] * (1 - known) * RINGS[index][1] / in_ring[(cat, index)]
        score[pid] = score.get(pid, 0.0) + share
        reasons[pid].append(f"Base rate: {int(round(rates[cat] * 100))}% of {short} are found "
                            f"{CATEGORY_LABELS[cat]}")  # the distance is shown beside it
        sources[pid].append("base_rate")

    # Searched during this episode: not found there moves the place down; the list updates.
    searched = defaultdict(list)
    for search in inputs.searches:
        if search.place_id is not None:
            searched[search.place_id].append(search)
    for pid, done in searched.items():
        if pid in score and any(s.result == "not_found" for s in done):
            score[pid] *= SEARCHED_NOT_FOUND

    ordered = sorted(score, key=lambda pid: (-score[pid], places[pid].name, str(pid)))
    found_kinds = defaultdict(int)
    for ret in earlier:
        if ret.place_id in places:
            found_kinds[category(places[ret.place_id], home_ids)] += 1
    suggestions = []
    for number, pid in enumerate(ordered[:limit], start=1):
        distance = distances.get(pid)
        suggestions.append(Suggestion(
            rank=number, place=places[pid], score=score[pid], reasons=reasons[pid],
            sources=sources[pid], right_before=own_count.get(pid, 0), returns_before=n,
            distance_km=None if distance is None else round(distance, 1),
            ring=ring_of(distance)[1],
            searches=sorted(searched.get(pid, []), key=lambda s: s.at)))
    kinds = [KindRate(category=cat, label=CATEGORY_LABELS[cat], share=share,
                      right_before=found_kinds.get(cat, 0), returns_before=n)
             for cat, share in sorted(rates.items(), key=lambda item: -item[1])]
    return Result(suggestions=suggestions, kinds=kinds, population=population,
                  band=age_band(inputs.age), returns_before=n, last_seen=last_seen,
                  notes=inputs.notes)


def baseline(inputs: Inputs, *, limit: int = LIMIT) -> Result:
    """Base rates alone: the same ranking with no history of the child and no intelligence:
    only the child's home or placement, where last seen, and the force's places near it."""
    kept = tuple(lead for lead in inputs.leads if lead.source in {"home", "placement",
                                                                  "last_seen"})
    return rank(Inputs(as_of=inputs.as_of, age=inputs.age, places=inputs.places, leads=kept,
                       home_ids=inputs.home_ids, last_seen_id=inputs.last_seen_id,
                       nearby_ids=inputs.nearby_ids, searches=inputs.searches),
                limit=limit)
