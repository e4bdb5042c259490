"""The synthetic history's places (issue 11): which places the force has, where each child lives
and goes, and where each episode went missing from, was last seen and was found.

- **The force's places**, recorded before the history starts: children's homes (each run by one
  of the force's care providers, with an Ofsted-style registration number), foster placements,
  schools, parks and town centres, shops, bus and railway stations, hotels, hospitals, police
  stations and a few associates' flats, scattered around the towns of `areas.py`.
- **A child's own places**, recorded by the first report or return that names them (as a call
  handler records a new place at intake): the child's home, a relative's.
- **A looked-after child's placement** is one of the force's children's homes or foster
  placements, and the child's local authority is mostly the one covering the placement's town.
- **Repeat children keep going back to a few places** (a bus station, a skate park or the
  seafront, an associate's flat, sometimes a hotel), so a few places account for many episodes,
  as the force picture and the repeat list show.

Pure and deterministic: everything comes from its own Random, so the rest of the plan is drawn
exactly as it was before places were added. The notes beside each place (last seen, found) name
the place chosen.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from mispers.places.details import PlaceDetails
from mispers.places.models import PlaceKind as K

from . import names
from .areas import Area, Town, area_for
from .people import pick

# The children and episodes here are plan.py's ChildPlan and EpisodePlan (not imported: plan.py
# imports this module).

# Inward codes: a digit and two of the letters the Royal Mail uses there.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
STREETS = [*names.STREETS, *names.PLACE_STREETS]
PROVIDER_SLOTS = 3  # a force with no homes of its own in areas.py: providers take turns
FOSTER_PLACEMENTS = 10

# Of a looked-after child: placed in a children's home (else a foster placement); placed by the
# authority covering the placement's town.
IN_A_HOME = 0.6
LOCAL_PLACEMENT = 0.75
REPEAT = 3  # episodes from which a child has places they keep going back to
# How often a repeat child is last seen, and found, at one of their places.
LAST_SEEN_AT_HAUNT, FOUND_AT_HAUNT = 0.7, 0.8
# Found by whom, and how often that means the child came back to their home or placement.
CAME_BACK = {"own_accord": 0.7, "carer_agency": 0.45, "family_friend": 0.2}
NO_PLACE_FOUND = ["A friend's house", "Walking in the street", "A friend's car"]


@dataclass(frozen=True)
class PlacePlan:
    key: int
    kind: str
    name: str
    town: str
    address: str
    postcode: str = ""
    latitude: str | None = None
    longitude: str | None = None
    provider_slot: int | None = None  # a children's home: which care provider runs it
    registration_number: str = ""
    # The force's own (recorded before the history) or a child's own (recorded by the first
    # report or return that names it).
    shared: bool = True

    @property
    def label(self) -> str:
        """What a note says: the name, with the town when the name does not say it."""
        return self.name if self.town in self.name else f"{self.name}, {self.town}"

    def details(self, *, provider_id=None) -> PlaceDetails:
        return PlaceDetails(kind=self.kind, name=self.name, address=self.address,
                            postcode=self.postcode, latitude=self.latitude,
                            longitude=self.longitude, provider_id=provider_id,
                            registration_number=self.registration_number)


@dataclass
class Haunts:
    """A repeat child's places, each with how likely it is where they were last seen and where
    they were found."""
    keys: list[int] = field(default_factory=list)
    seen: list[float] = field(default_factory=list)
    found: list[float] = field(default_factory=list)

    def add(self, key: int | None, seen: float, found: float) -> None:
        if key is not None and key not in self.keys:
            self.keys.append(key)
            self.seen.append(seen)
            self.found.append(found)


class PlacesPlanner:
    def __init__(self, rng: random.Random, *, force_code: str, force_name: str) -> None:
        self.rng = rng
        self.force_code = force_code
        self.area: Area = area_for(force_code, force_name)
        self.places: list[PlacePlan] = []
        self.by_kind: dict[str, list[int]] = {}
        self._shared()

    # --- where a place is ---------------------------------------------------------------

    def _postcode(self, town: Town) -> str:
        if not town.districts:
            return ""
        rng = self.rng
        return (f"{rng.choice(town.districts)} {rng.randrange(10)}"
                f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}")

    def _point(self, town: Town) -> tuple[str | None, str | None]:
        """A point within `town.spread` of its centre (uniform over the disc)."""
        if town.latitude is None:
            return None, None
        rng = self.rng
        reach = town.spread * math.sqrt(rng.random())
        angle = rng.uniform(0, 2 * math.pi)
        latitude = town.latitude + reach * math.cos(angle)
        longitude = town.longitude + reach * math.sin(angle) / math.cos(
            math.radians(town.latitude))
        return f"{latitude:.5f}", f"{longitude:.5f}"

    def _street(self) -> str:
        return self.rng.choice(STREETS)

    def add(self, kind: str, name: str, town: Town, *, street: str = "", number: bool = False,
            flat: bool = False, shared: bool = True, **extra) -> int:
        """A place in `town`: its address is `street` (a street of the town when not given),
        with a house number when `number` and a flat number too when `flat`."""
        rng = self.rng
        street = street or self._street()
        if number or flat:
            street = f"{rng.randrange(1, 120)} {street}"
        if flat:
            street = f"Flat {rng.randrange(1, 9)}, {street}"
        return self._append(kind, name, town, f"{street}, {town.name}", shared=shared, **extra)

    def _append(self, kind: str, name: str, town: Town, address: str, *, shared: bool,
                **extra) -> int:
        latitude, longitude = self._point(town)
        key = len(self.places)
        self.places.append(PlacePlan(key=key, kind=kind, name=name, town=town.name,
                                     address=address, postcode=self._postcode(town),
                                     latitude=latitude, longitude=longitude, shared=shared,
                                     **extra))
        if shared:
            self.by_kind.setdefault(kind, []).append(key)
        return key

    # --- the force's places -------------------------------------------------------------

    def _shared(self) -> None:
        rng, area = self.rng, self.area
        towns, hubs = area.towns, area.hubs
        homes = area.homes or [
            (name, towns[n % len(towns)].name, n % PROVIDER_SLOTS)
            for n, name in enumerate(names.CARE_HOMES)]
        for name, town, slot in homes:
            self.add(K.CHILDRENS_HOME, name, area.town(town), number=True, provider_slot=slot,
                     registration_number=f"SC{rng.randrange(100000, 1000000)}")
        carers = rng.sample(names.FAMILY["white"], FOSTER_PLACEMENTS)
        weights = [3 if t.city else 2 if t.hub else 1 for t in towns]
        for family in carers:
            town = rng.choices(towns, weights)[0]
            self.add(K.FOSTER_PLACEMENT, f"The {family} family (foster carers)", town,
                     number=True)
        schools = iter(rng.sample(names.SCHOOLS, len(names.SCHOOLS)))
        for town in towns:
            for _ in range(2 if town.city else 1):
                self.add(K.SCHOOL, f"{next(schools)} {rng.choice(names.SCHOOL_KINDS)}", town)
        for town in towns:
            if town.hub:
                centre = "city centre" if town.city else "town centre"
                self.add(K.STREET_OR_PARK, f"{town.name} {centre}", town)
                self.add(K.STREET_OR_PARK, f"{town.name} skate park", town)
                if town.coast:
                    self.add(K.STREET_OR_PARK, f"{town.name} seafront", town)
                self.add(K.TRANSPORT_HUB, f"{town.name} bus station", town)
                self.add(K.TRANSPORT_HUB, f"{town.name} railway station", town,
                         street="Station Road")
                self.add(K.SHOP_OR_LEISURE, f"{town.name} retail park", town)
                street = self._street()
                self.add(K.SHOP_OR_LEISURE, f"Fast-food restaurant, {street}", town,
                         street=street, number=True)
            else:
                self.add(K.STREET_OR_PARK, f"{town.name} recreation ground", town)
        by_coast = sorted(hubs, key=lambda t: (not t.coast, not t.city))
        for (name, street), town in zip(names.HOTELS, by_coast, strict=False):
            self.add(K.HOTEL, name, town, street=street, number=True)
        hospitals = area.hospitals or ((f"{hubs[0].name} General Hospital", hubs[0].name),)
        for name, town in hospitals:
            self.add(K.HOSPITAL, name, area.town(town))
        for town in [t for t in hubs if t.city or t.coast][:4] or hubs[:1]:
            self.add(K.POLICE_STATION, f"{town.name} police station", town)
        # Associates' flats, most in the biggest towns: the first few are where many of the
        # force's repeat children are found.
        flats = [hubs[n % len(hubs)] for n in (0, 0, 2, 1, 0, 3, 4, 5)]
        for who, town in zip(names.ASSOCIATES, flats, strict=True):
            street = self._street()
            self.add(K.ASSOCIATE, f"{who}'s flat, {street}", town, street=street, flat=True)

    def _of_kind(self, kind: str, town: str, *, nearest: bool = True) -> list[int]:
        """The force's places of `kind` in `town`, else (when `nearest`) in the nearest town
        that has one."""
        keys = self.by_kind.get(kind, [])
        here = [k for k in keys if self.places[k].town == town]
        if here or not nearest or not keys:
            return here
        having = tuple(t for t in self.area.towns if any(self.places[k].town == t.name
                                                         for k in keys))
        there = self.area.nearest(town, having).name
        return [k for k in keys if self.places[k].town == there]

    def _named(self, kind: str, town: str, word: str) -> int | None:
        found = [k for k in self._of_kind(kind, town) if word in self.places[k].name]
        return found[0] if found else None

    # --- children -----------------------------------------------------------------------

    def settle(self, children: list, *, authorities) -> None:
        """Each child's places: a looked-after child's placement (and the local authority and
        town that go with it), a home, a relative's, a school, and a repeat child's haunts.
        `authorities`: (name, weight) pairs of the force's local authorities."""
        rng = self.rng
        towns = self.area.towns
        weights = [t.weight for t in towns]
        for child in children:  # where the family lives: more in the cities than the towns
            before, town = child.identity["town"], rng.choices(towns, weights)[0].name
            child.identity["town"] = child.home_town = town
            address = child.identity["home_address"]
            if address.endswith(f", {before}"):
                child.identity["home_address"] = f"{address[:-len(before)]}{town}"
        looked_after = [c for c in children if c.looked_after]
        homes = self._interleaved(self.by_kind.get(K.CHILDRENS_HOME, []))
        fosters = self.by_kind.get(K.FOSTER_PLACEMENT, [])
        in_homes = round(IN_A_HOME * len(looked_after))
        for number, child in enumerate(looked_after):
            if number < in_homes or not fosters:
                child.placement = homes[number % len(homes)]
            else:
                child.placement = fosters[(number - in_homes) % len(fosters)]
            place = self.places[child.placement]
            town = self.area.town(place.town)
            child.identity["town"] = place.town
            child.identity["placement_address"] = placement_address(place)
            child.identity["local_authority"] = (
                town.authority if town.authority and rng.random() < LOCAL_PLACEMENT
                else pick(rng, authorities))
        for child in children:
            home = self.area.town(child.home_town)
            if not child.looked_after:
                child.home = self._home(child, home)
            relative = rng.choice(names.RELATIVES)
            street = self._street()
            child.relative = self.add(K.RELATIVE, f"{relative}'s house, {street}", home,
                                      street=street, number=True, shared=False)
            child.school = rng.choice(self._of_kind(K.SCHOOL, child.identity["town"]))
            if child.count >= REPEAT:
                child.haunts = self._haunts(child)

    def _home(self, child, town: Town) -> int:
        """The child's home: the address on the child's record, named by it."""
        address = child.identity["home_address"]
        return self._append(K.HOME, address, town, address, shared=False)

    def _interleaved(self, homes: list[int]) -> list[int]:
        """Children's homes in the order children are placed in them: one of each provider's
        in turn, so every provider has children even in a small history."""
        rank = {}
        for key in homes:
            slot = self.places[key].provider_slot
            rank[key] = (sum(1 for k in rank if self.places[k].provider_slot == slot), slot)
        return sorted(homes, key=lambda k: rank[k])

    def _haunts(self, child) -> Haunts:
        """A repeat child's places, in the nearest main town or (more often for a child being
        exploited) drawn to the biggest towns: its bus station and skate park, often an
        associate's flat (most often the same one), sometimes a hotel."""
        rng = self.rng
        hubs = self.area.hubs
        exploited = child.traits.exploited
        if rng.random() < (0.7 if exploited else 0.4):
            hub = rng.choices(hubs, [t.weight for t in hubs])[0].name
        else:
            hub = self.area.nearest(child.identity["town"], hubs).name
        haunts = Haunts()
        haunts.add(self._named(K.TRANSPORT_HUB, hub, "bus station"), 3, 1.5)
        haunts.add(self._named(K.STREET_OR_PARK, hub, "skate park"), 3, 2)
        if rng.random() < 0.3:
            haunts.add(self._named(K.STREET_OR_PARK, hub, "seafront"), 1.5, 1)
        flats = self._of_kind(K.ASSOCIATE, hub)
        if flats and rng.random() < 0.75:
            haunts.add(flats[min(int(rng.expovariate(1.5)), len(flats) - 1)], 1.5, 3)
        if rng.random() < (0.7 if exploited else 0.2):
            haunts.add(self._of_kind(K.HOTEL, hub)[0], 0.5, 2)
        if rng.random() < 0.4:
            haunts.add(self._named(K.TRANSPORT_HUB, hub, "railway station"), 1.5, 1)
        if rng.random() < 0.4:
            haunts.add(rng.choice(self._of_kind(K.SHOP_OR_LEISURE, hub)), 1.5, 1)
        return haunts

    # --- episodes -----------------------------------------------------------------------

    def place_episodes(self, episodes: list) -> None:
        """Where each episode went missing from, was last seen and (unless the child came back
        by themselves) was found; the last-seen note names the place."""
        rng = self.rng
        for ep in episodes:
            child = ep.child
            town = child.identity["town"]
            ep.missing_from_place = self._missing_from(ep)
            haunts = child.haunts
            if haunts and rng.random() < LAST_SEEN_AT_HAUNT:
                seen = rng.choices(haunts.keys, haunts.seen)[0]
            else:
                seen = self._seen(ep.seen, town, child)
            ep.last_seen_place = seen
            if seen is not None:
                ep.report["last_seen_where"] = self.places[seen].label
            if haunts and rng.random() < FOUND_AT_HAUNT:
                away = rng.choices(haunts.keys, haunts.found)[0]
            elif seen is not None and rng.random() < 0.5:
                away = seen
            else:
                away = None
            ep.found_away = ((away, self.places[away].label) if away is not None
                             else (None, rng.choice(NO_PLACE_FOUND)))

    def _missing_from(self, ep) -> int | None:
        child = ep.child
        if ep.report["missing_from"] == "care":
            return child.placement
        if ep.report["missing_from"] == "home":
            return child.home
        if ep.report["missing_from"] == "school":
            return child.school
        if ep.report["missing_from"] == "hospital":
            return self.rng.choice(self._of_kind(K.HOSPITAL, child.identity["town"]))
        if "relative" in ep.report["circumstances"]:
            return child.relative
        return None  # a school trip: where the group was is not a place of the force

    def _seen(self, phrase: str, town: str, child) -> int | None:
        """The place a last-seen phrase of names.PLACES_SEEN means in (or near) the child's
        town; None for a place nobody recorded (a friend's address, the corner shop)."""
        if phrase == "outside school":
            return child.school
        wanted = {
            "the bus station": (K.TRANSPORT_HUB, "bus station"),
            "the railway station": (K.TRANSPORT_HUB, "railway station"),
            "the town centre": (K.STREET_OR_PARK, "centre"),
            "the park near home": (K.STREET_OR_PARK, ""),
            "the skate park": (K.STREET_OR_PARK, "skate park"),
            "the seafront": (K.STREET_OR_PARK, "seafront"),
            "the beach car park": (K.STREET_OR_PARK, "seafront"),
            "the retail park": (K.SHOP_OR_LEISURE, "retail park"),
            "a fast-food restaurant": (K.SHOP_OR_LEISURE, "Fast-food"),
        }.get(phrase)
        if wanted is None:
            return None
        kind, word = wanted
        here = [k for k in self._of_kind(kind, town, nearest=False)
                if word in self.places[k].name]
        if here:
            return self.rng.choice(here)
        return self._named(kind, self.area.nearest(town, self.area.hubs).name, word)


def placement_address(place: PlacePlan) -> str:
    """The child's placement address as the record shows it: the place's address and
    postcode."""
    return f"{place.address}, {place.postcode}" if place.postcode else place.address


def found_place_for(rng: random.Random, *, found_by: str, ep,
                    places: list[PlacePlan]) -> tuple[int | None, str]:
    """Where the child was found (a place key, or None) and what the found record's note says:
    back at home or at the placement (mostly when they came back by themselves), at a
    relative's (found by family), else where the plan says the child was away."""
    child = ep.child
    draw = rng.random()
    if draw < CAME_BACK.get(found_by, 0.0):
        back = child.placement if child.looked_after else child.home
        return back, "Returned to the placement" if child.looked_after else "Returned home"
    if found_by == "family_friend" and draw < 0.75:
        return child.relative, places[child.relative].label
    return ep.found_away
