"""Where a force's synthetic places are: its towns, each with a centre to scatter places around,
its real postcode districts (outward codes) and the local authority covering it, and the names
of its children's homes and hospitals (issue 11).

The demo force (Devon and Cornwall) has its real towns: centres rounded from public maps and
moved a little inland where a town meets the sea, so that places scattered around them stay on
land; the postcode districts are the ones those towns use. Every other force gets invented
districts of its area with no coordinates and no postcodes (nothing is known of its map). Pure
data; no geocoding service is called.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import names
from .people import area_name


@dataclass(frozen=True)
class Town:
    name: str
    latitude: float | None = None
    longitude: float | None = None
    # How far places scatter from the centre, in degrees of latitude (0.01 is about 1.1 km).
    spread: float = 0.0
    districts: tuple[str, ...] = ()  # outward codes of the town's postcodes
    authority: str = ""
    hub: bool = False  # a main town: stations, shops, hotels, a police station
    coast: bool = False
    city: bool = False
    weight: float = 1.0  # how many of the force's children live there, relatively


@dataclass(frozen=True)
class Area:
    towns: tuple[Town, ...]
    # South, north, west, east: the force's area, a box every place lies in (None: unknown).
    bounds: tuple[float, float, float, float] | None = None
    # Children's homes: name, town and which of the care providers the generator is given runs
    # it (0 the first, which runs the most).
    homes: tuple[tuple[str, str, int], ...] = ()
    hospitals: tuple[tuple[str, str], ...] = ()  # name, town

    def town(self, name: str) -> Town:
        return next(t for t in self.towns if t.name == name)

    @property
    def hubs(self) -> tuple[Town, ...]:
        return tuple(t for t in self.towns if t.hub)

    def nearest(self, name: str, among: tuple[Town, ...]) -> Town:
        """The town of `among` nearest to the town called `name` (itself when it is one)."""
        here = self.town(name)
        if here in among or here.latitude is None:
            return here if here in among else among[0]
        return min(among, key=lambda t: _distance(here, t))


def _distance(a: Town, b: Town) -> float:
    across = (a.longitude - b.longitude) * math.cos(math.radians(a.latitude))
    return math.hypot(a.latitude - b.latitude, across)


PLYMOUTH, DEVON, CORNWALL, TORBAY = ("Plymouth City Council", "Devon County Council",
                                     "Cornwall Council", "Torbay Council")

AREAS = {
    "devon-and-cornwall": Area(
        # The Isles of Scilly to the Dorset and Somerset borders; no place is put on Scilly.
        bounds=(49.85, 51.25, -6.45, -2.88),
        towns=(
            Town("Plymouth", 50.3850, -4.1420, 0.012, ("PL1", "PL2", "PL3", "PL4", "PL5", "PL6"),
                 PLYMOUTH, hub=True, coast=True, city=True, weight=8),
            Town("Exeter", 50.7240, -3.5270, 0.010, ("EX1", "EX2", "EX4"), DEVON, hub=True,
                 city=True, weight=4),
            Town("Torquay", 50.4710, -3.5340, 0.006, ("TQ1", "TQ2"), TORBAY, hub=True,
                 coast=True, weight=2.5),
            Town("Paignton", 50.4360, -3.5760, 0.005, ("TQ3", "TQ4"), TORBAY, coast=True,
                 weight=2),
            Town("Barnstaple", 51.0820, -4.0500, 0.005, ("EX31", "EX32"), DEVON, hub=True),
            Town("Truro", 50.2650, -5.0560, 0.005, ("TR1",), CORNWALL, hub=True, city=True),
            Town("Newquay", 50.4090, -5.0740, 0.004, ("TR7",), CORNWALL, hub=True, coast=True),
            Town("Penzance", 50.1210, -5.5440, 0.004, ("TR18",), CORNWALL, hub=True,
                 coast=True),
            Town("Falmouth", 50.1520, -5.0800, 0.004, ("TR11",), CORNWALL, coast=True),
            Town("St Austell", 50.3400, -4.7920, 0.005, ("PL25",), CORNWALL),
            Town("Bodmin", 50.4700, -4.7200, 0.005, ("PL31",), CORNWALL),
            Town("Camborne", 50.2120, -5.3010, 0.004, ("TR14",), CORNWALL),
            Town("Redruth", 50.2330, -5.2270, 0.004, ("TR15",), CORNWALL),
            Town("Exmouth", 50.6250, -3.4030, 0.005, ("EX8",), DEVON, coast=True, weight=1.5),
            Town("Newton Abbot", 50.5300, -3.6100, 0.005, ("TQ12",), DEVON, weight=1.5),
            Town("Tiverton", 50.9030, -3.4900, 0.005, ("EX16",), DEVON),
            Town("Bideford", 51.0150, -4.2150, 0.004, ("EX39",), DEVON),
        ),
        homes=(("Oakridge House", "Plymouth", 0), ("Larch Lodge", "Plymouth", 0),
               ("Beacon View", "Torquay", 0), ("The Willows", "Exeter", 1),
               ("Foxglove House", "Exeter", 1), ("Holly Tree House", "Barnstaple", 1),
               ("Seaview children's home", "Newquay", 2),
               ("Harbourside children's home", "Truro", 2)),
        hospitals=(("Tamar General Hospital", "Plymouth"), ("Exe Valley Hospital", "Exeter"),
                   ("Fal County Hospital", "Truro"))),
}


def area_for(force_code: str, force_name: str) -> Area:
    """The force's area: the real one for the demo force, invented districts for the others."""
    known = AREAS.get(force_code)
    if known is not None:
        return known
    area = area_name(force_name)
    towns = names.TOWNS.get(force_code) or [f"{d} {area}" for d in names.DISTRICTS]
    return Area(towns=tuple(Town(name, authority=f"{area} Council", hub=number < 2)
                            for number, name in enumerate(towns)))
