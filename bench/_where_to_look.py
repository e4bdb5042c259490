"""Where to look (issue 14, ADR 52): how often the place a child was found at was among the first
three places suggested while the child was missing, against the base rates alone.

Synthetic history with planted truth, made to be as awkward as real records rather than shaped
to the ranking (the generator never calls it, and the ranking's constants were set from the
published figures before this was run):

- a county of towns with parks, shops, stations and flats; each child has a home (or a
  placement), relatives (some far away), friends, and, for most, habitual places (a friend's, a
  relative's, a park) of their own strength; habits drift (a place is dropped for a new one);
- each episode: last seen at home, at a habit or a public place; found at home, at a habit, a
  friend's or relative's that is no habit, a public place at a distance drawn from the published
  rings (from where last seen), or somewhere never seen before (a new friend's flat, a hotel);
- children drawn into exploitation: an associate's flat where several of them are found; the
  police know the link to the associate for only some of them, from a date;
- Philomena profiles for looked-after children naming some true places and some stale ones;
- recording noise: no found place recorded, a duplicate place record typed instead of the
  place on record, a neighbouring place recorded for the true one;
- the force knows a private address only once it has been recorded on some report.

Suggestions are made as of each episode's report time from earlier history only. A return
counts when a found place was recorded (the ones without cannot be judged, and are counted).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mispers.searches import where_to_look as wtl  # noqa: E402  (pure: no Django needed)

KM_LAT = 1 / 111.0
START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
DAYS = 730
TOWNS = [(50.3755, -4.1427, 1.0), (50.4619, -3.5253, 0.6), (50.7236, -3.5275, 0.8),
         (50.5520, -4.1440, 0.3), (50.2660, -5.0527, 0.4), (50.4160, -4.8000, 0.3)]


def _km_lon(lat: float) -> float:
    return 1 / (111.0 * math.cos(math.radians(lat)))


def _offset(rng, lat, lon, km):
    angle = rng.uniform(0, 2 * math.pi)
    return (lat + km * math.cos(angle) * KM_LAT, lon + km * math.sin(angle) * _km_lon(lat))


@dataclass
class Place:
    id: int
    kind: str
    lat: float
    lon: float
    public: bool
    recorded_at: dt.datetime | None = None  # when first on a record (private places)

    def fact(self) -> wtl.PlaceFact:
        return wtl.PlaceFact(id=self.id, name=f"place {self.id}", kind=self.kind,
                             latitude=self.lat, longitude=self.lon)


@dataclass
class Child:
    id: int
    age: int
    looked_after: bool
    home: int
    town: int
    relatives: list
    friends: list
    habits: list
    habit_weights: list
    habit_strength: float
    home_pull: float
    exploited_by: int | None = None
    link_known_from: dt.datetime | None = None
    philomena: list = field(default_factory=list)
    episodes: list = field(default_factory=list)


@dataclass
class Episode:
    child: int
    reported_at: dt.datetime
    last_seen: int
    found_at: dt.datetime
    true_place: int | None  # None: somewhere no record will ever name
    recorded: int | None  # what the found record says


class World:
    def __init__(self, rng: random.Random, *, children: int):
        self.rng = rng
        self.places: list[Place] = []
        self.public_by_town = defaultdict(list)
        self.duplicates: dict[int, int] = {}
        for town, (lat, lon, size) in enumerate(TOWNS):
            for kind, count, radius in [("street_or_park", 40, 4), ("shop_or_leisure", 25, 3),
                                        ("transport_hub", 3, 1.5)]:
                for _ in range(int(count * size) + 2):
                    self.public_by_town[town].append(self._place(
                        kind, *_offset(rng, lat, lon, rng.uniform(0, radius)), public=True))
        self.flats = [self._place("associate_address", *_offset(
            rng, TOWNS[t][0], TOWNS[t][1], rng.uniform(0.3, 3)), public=False)
            for t in range(len(TOWNS)) for _ in range(3)]
        self.children = [self._child(i) for i in range(children)]

    def _place(self, kind, lat, lon, *, public) -> int:
        place = Place(id=len(self.places), kind=kind, lat=lat, lon=lon, public=public)
        self.places.append(place)
        return place.id

    def _child(self, number: int) -> Child:
        rng = self.rng
        town = rng.choices(range(len(TOWNS)), [t[2] for t in TOWNS])[0]
        lat, lon = _offset(rng, TOWNS[town][0], TOWNS[town][1], rng.uniform(0.2, 5))
        looked_after = rng.random() < 0.3
        home = self._place("childrens_home" if looked_after else "home", lat, lon,
                           public=False)
        relatives = [self._place("relative", *_offset(
            rng, lat, lon, rng.choice([rng.uniform(0.5, 6), rng.uniform(6, 40)])),
            public=False) for _ in range(rng.randint(1, 3))]
        friends = [self._place("associate_address", *_offset(rng, lat, lon,
                                                             rng.expovariate(1 / 2.5)),
                               public=False) for _ in range(rng.randint(1, 5))]
        parks = [p for p in self.public_by_town[town]
                 if self.places[p].kind in ("street_or_park", "transport_hub")]
        habits, weights = [], []
        if rng.random() < 0.6:  # most children have places of their own
            pool = friends + relatives[:1] + rng.sample(parks, 2)
            for _ in range(rng.randint(1, 3)):
                choice = rng.choice(pool)
                if choice not in habits:
                    habits.append(choice)
                    weights.append(rng.expovariate(1.0))
        age = rng.choices(range(8, 18), [1, 1, 2, 3, 5, 7, 9, 9, 8, 6])[0]
        child = Child(id=number, age=age, looked_after=looked_after, home=home, town=town,
                      relatives=relatives, friends=friends, habits=habits,
                      habit_weights=weights, habit_strength=rng.uniform(0.2, 0.7),
                      home_pull=rng.uniform(0.1, 0.4))
        if rng.random() < 0.08 and age >= 12:
            child.exploited_by = rng.randrange(len(self.flats))
            if rng.random() < 0.6:
                child.link_known_from = START + dt.timedelta(days=rng.uniform(0, DAYS))
        if looked_after and rng.random() < 0.7:
            true = habits[:1]
            stale = rng.sample(parks + friends, 1)
            child.philomena = true + stale
        return child

    def history(self) -> list[Episode]:
        rng = self.rng
        episodes = []
        for child in self.children:
            count = min(40, 1 + int(rng.paretovariate(1.3)) - 1 + (rng.random() < 0.35)
                        * rng.randint(1, 6))
            times = sorted(START + dt.timedelta(days=rng.uniform(0, DAYS))
                           for _ in range(count))
            for reported_at in times:
                if child.habits and rng.random() < 0.08:  # habits drift
                    index = rng.randrange(len(child.habits))
                    child.habits[index] = self._place("associate_address", *_offset(
                        rng, self.places[child.home].lat, self.places[child.home].lon,
                        rng.expovariate(1 / 3)), public=False)
                episodes.append(self._episode(child, reported_at))
        episodes.sort(key=lambda e: e.reported_at)
        for ep in episodes:
            for pid in (ep.recorded, ep.last_seen):
                if pid is not None and self.places[pid].recorded_at is None:
                    self.places[pid].recorded_at = ep.found_at
            self.children[ep.child].episodes.append(ep)
        for child in self.children:
            self.places[child.home].recorded_at = START - dt.timedelta(days=1)
        return episodes

    def _episode(self, child: Child, reported_at: dt.datetime) -> Episode:
        rng = self.rng
        home = self.places[child.home]
        town_public = self.public_by_town[child.town]
        draw = rng.random()
        if draw < 0.35:
            last_seen = min(town_public, key=lambda p: _dist(self.places[p], home)
                            + rng.uniform(0, 3))
        elif draw < 0.6 and child.habits:
            last_seen = rng.choices(child.habits, child.habit_weights)[0]
        else:
            last_seen = rng.choice(town_public)
        seen = self.places[last_seen]
        true = self._found(child, seen)
        recorded = true
        noise = rng.random()
        if true is None or noise < 0.15:
            recorded = None
        elif noise < 0.22:  # a duplicate record typed instead of the one on record
            recorded = self.duplicates.setdefault(true, self._place(
                self.places[true].kind, self.places[true].lat, self.places[true].lon,
                public=False)) if rng.random() < 0.5 else self._place(
                self.places[true].kind, self.places[true].lat, self.places[true].lon,
                public=False)
        elif noise < 0.27:  # the place next door recorded
            near = [p for p in town_public if _dist(self.places[p], self.places[true]) < 0.8]
            recorded = rng.choice(near) if near else true
        found_at = reported_at + dt.timedelta(hours=rng.expovariate(1 / 14))
        return Episode(child=child.id, reported_at=reported_at, last_seen=last_seen,
                       found_at=found_at, true_place=true, recorded=recorded)

    def _found(self, child: Child, seen: Place) -> int | None:
        rng = self.rng
        draw = rng.random()
        if child.exploited_by is not None and draw < 0.3:
            return self.flats[child.exploited_by]
        draw = rng.random()
        if draw < child.home_pull:
            return child.home
        draw = rng.random()
        if child.habits and draw < child.habit_strength:
            return rng.choices(child.habits, child.habit_weights)[0]
        draw = rng.random()
        if draw < 0.22:
            return rng.choice(child.friends)
        if draw < 0.34:
            return rng.choice(child.relatives)
        if draw < 0.80:  # a public place, at a distance from the published rings
            ring = rng.choices([(0, 3), (3, 18), (18, 60)], [0.5, 0.3, 0.2])[0]
            options = [p for town in range(len(TOWNS)) for p in self.public_by_town[town]
                       if ring[0] <= _dist(self.places[p], seen) < ring[1]]
            return rng.choice(options) if options else rng.choice(
                self.public_by_town[child.town])
        if draw < 0.90:  # a new friend's flat, a hotel: a place on no record yet
            return self._place(rng.choice(["associate_address", "hotel_or_short_let"]),
                               *_offset(rng, seen.lat, seen.lon, rng.expovariate(1 / 4)),
                               public=False)
        return None  # somewhere no record will name


def _dist(a: Place, b: Place) -> float:
    return wtl.distance_km(a.fact(), b.fact()) or 0.0


def inputs_for(world: World, ep: Episode) -> wtl.Inputs:
    """What the selector would gather as of the report: earlier history only."""
    child = world.children[ep.child]
    as_of = ep.reported_at
    places: dict = {}

    def fact(pid):
        places.setdefault(pid, world.places[pid].fact())

    returns = []
    for earlier in child.episodes:
        if earlier.found_at >= as_of:
            break
        if earlier.recorded is not None:
            fact(earlier.recorded)
        returns.append(wtl.EarlierReturn(at=earlier.found_at, place_id=earlier.recorded))
    leads = []
    fact(child.home)
    leads.append(wtl.Lead(place_id=child.home, source="placement" if child.looked_after
                          else "home", reason="Home"))
    fact(ep.last_seen)
    leads.append(wtl.Lead(place_id=ep.last_seen, source="last_seen", reason="Last seen"))
    for pid in child.philomena:
        fact(pid)
        leads.append(wtl.Lead(place_id=pid, source="philomena", reason="Philomena"))
    if child.exploited_by is not None and child.link_known_from and child.link_known_from < as_of:
        counts = defaultdict(int)
        for other in world.children:
            if (other.id != child.id and other.exploited_by == child.exploited_by
                    and other.link_known_from and other.link_known_from < as_of):
                for earlier in other.episodes:
                    if earlier.found_at >= as_of:
                        break
                    if earlier.recorded is not None:
                        counts[earlier.recorded] += 1
        for pid, times in counts.items():
            fact(pid)
            leads.append(wtl.Lead(place_id=pid, source="associate", reason="Associate",
                                  weight=min(2.0, float(times))))
    seen = world.places[ep.last_seen]
    nearby = []
    for place in world.places:
        if place.kind not in ("street_or_park", "shop_or_leisure", "associate_address",
                              "transport_hub") or place.id in places:
            continue
        if not place.public and (place.recorded_at is None or place.recorded_at >= as_of):
            continue
        if abs(place.lat - seen.lat) < 0.17 and abs(place.lon - seen.lon) < 0.30:
            nearby.append(place.id)
            fact(place.id)
    return wtl.Inputs(as_of=as_of, age=child.age, places=places, returns=tuple(returns),
                      leads=tuple(leads), home_ids=frozenset({child.home}),
                      last_seen_id=ep.last_seen, nearby_ids=tuple(nearby))


def measure(args) -> dict:
    """`args`: seed, wtl_children (number of children; default 1,500). Returns the figures."""
    seed = getattr(args, "seed", 7)
    children = getattr(args, "wtl_children", None) or 1_500
    rng = random.Random(seed + 14)
    started = time.perf_counter()
    world = World(rng, children=children)
    episodes = world.history()
    judged = hits = base_hits = hits1 = base_hits1 = unrecorded = 0
    repeat_judged = repeat_hits = repeat_base = 0
    for ep in episodes:
        if ep.recorded is None:
            unrecorded += 1
            continue
        inputs = inputs_for(world, ep)
        top = wtl.rank(inputs).top(3)
        base = wtl.baseline(inputs).top(3)
        judged += 1
        hit, base_hit = ep.recorded in top, ep.recorded in base
        hits += hit
        base_hits += base_hit
        hits1 += bool(top) and top[0] == ep.recorded
        base_hits1 += bool(base) and base[0] == ep.recorded
        if inputs.returns:
            repeat_judged += 1
            repeat_hits += hit
            repeat_base += base_hit
    seconds = time.perf_counter() - started

    def share(a, b):
        return round(a / b, 4) if b else 0.0

    return {
        "where_to_look_hit_at_3": share(hits, judged),
        "baseline_hit_at_3": share(base_hits, judged),
        "where_to_look_hit_at_1": share(hits1, judged),
        "baseline_hit_at_1": share(base_hits1, judged),
        "with_history_hit_at_3": share(repeat_hits, repeat_judged),
        "with_history_baseline_hit_at_3": share(repeat_base, repeat_judged),
        "children": len(world.children), "episodes": len(episodes), "returns_judged": judged,
        "returns_with_history": repeat_judged, "returns_without_found_place": unrecorded,
        "places": len(world.places), "seed": seed, "seconds": round(seconds, 1),
    }


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Where to look: hit at 3 against base rates")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wtl-children", type=int, default=1_500)
    parser.add_argument("--no-write", action="store_true")
    figures = measure(parser.parse_args())
    print(json.dumps(figures, indent=2))
    if not parser.parse_args().no_write:
        out = ROOT / "bench" / "results" / "where_to_look.json"
        out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
