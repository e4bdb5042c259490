"""Reads for where to look and searches (issue 14, ADR 52): always through the episodes the user
may see, and only for the roles that may read intelligence (the suggestions draw on it).

`where_to_look_for` gathers, in a fixed number of queries, what the pure ranking in
`where_to_look.py` needs as of a moment: the child's earlier returns, home and placement,
relatives' addresses, where last seen, the child's place links in the intelligence, where the
children linked to the child's associates were found, the Philomena profile's places, the
force's places near where last seen, and this episode's searches."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from mispers.core.errors import NotFound
from mispers.episodes.models import Episode, MissingFrom
from mispers.episodes.selectors import episode_for, episodes_visible_to
from mispers.intelligence.models import EntityKind, Link
from mispers.partners.models import PhilomenaProfile
from mispers.places.models import Place, PlaceKind
from mispers.returns.models import FoundRecord

from . import where_to_look as wtl
from .models import Search, SearchResult, SuggestionsShown
from .permissions import can_use_searches

# The force's places offered by the base rates near where last seen: public places and the
# addresses where children are found, never another family's home or a children's home.
NEARBY_KINDS = (PlaceKind.STREET_OR_PARK, PlaceKind.SHOP_OR_LEISURE, PlaceKind.ASSOCIATE,
                PlaceKind.TRANSPORT_HUB)
NEARBY_LIMIT = 400
# 18 km, the outer ring, in degrees (latitude; longitude at 50 to 58 degrees north).
NEARBY_LAT, NEARBY_LON = 0.17, 0.30
PHILOMENA_LINES = 12
TOP_KEPT = 10


@dataclass
class WhereToLook:
    episode: Episode
    result: wtl.Result
    inputs: wtl.Inputs
    entity_ids: list = field(default_factory=list)  # persons named in the reasons


def episode_for_searches(*, user, episode_id) -> Episode:
    """An episode of the user's force, for those who may see where to look (else not found:
    the view refuses the role first)."""
    if not can_use_searches(user):
        raise NotFound("Episode not found")
    return episode_for(user=user, episode_id=episode_id)


def searches_of(*, user, episode: Episode) -> list[Search]:
    if not can_use_searches(user):
        return []
    return list(Search.objects.filter(episode__in=episodes_visible_to(user=user),
                                      episode=episode)
                .select_related("place", "searched_by"))


def _fact(place: Place) -> wtl.PlaceFact:
    return wtl.PlaceFact(
        id=place.pk, name=str(place), kind=place.kind,
        latitude=float(place.latitude) if place.latitude is not None else None,
        longitude=float(place.longitude) if place.longitude is not None else None)


def _live(place: Place | None) -> Place | None:
    """A merged place stands for the place it was merged into."""
    while place is not None and place.merged_into_id is not None:
        place = place.merged_into
    return place


def _day(day) -> str:
    return f"{day:%-d %b %Y}"


def where_to_look_for(*, user, episode: Episode, now: dt.datetime) -> WhereToLook:
    """The ranked places to look for the child of `episode`, as of `now` (or, for a child found
    already, as of when they were found)."""
    if not can_use_searches(user) or episode.force_id != user.force_id:
        raise NotFound("Episode not found")
    found = FoundRecord.objects.filter(episode=episode).only("found_at").first()
    as_of = min(now, found.found_at) if found else now
    inputs, entity_ids = gather(episode=episode, as_of=as_of)
    return WhereToLook(episode=episode, result=wtl.rank(inputs), inputs=inputs,
                       entity_ids=entity_ids)


def gather(*, episode: Episode, as_of: dt.datetime) -> tuple[wtl.Inputs, list]:
    child = episode.child
    places: dict = {}
    leads: list[wtl.Lead] = []

    def add(place, source: str, reason: str, weight: float = 1.0) -> None:
        place = _live(place)
        if place is None:
            return
        places.setdefault(place.pk, _fact(place))
        leads.append(wtl.Lead(place_id=place.pk, source=source, reason=reason, weight=weight))

    related = ("merged_into",)
    # The child's earlier returns, most recent first.
    returns = []
    for record in (FoundRecord.objects.filter(episode__child=child, found_at__lt=as_of)
                   .exclude(episode=episode)
                   .select_related(*(f"found_place__{r}" for r in related), "found_place")):
        place = _live(record.found_place)
        if place is not None:
            places.setdefault(place.pk, _fact(place))
        returns.append(wtl.EarlierReturn(at=record.found_at,
                                         place_id=place.pk if place else None))

    # Home, placement, relatives: the child's record and earlier reports.
    home_ids = set()
    placement = _live(child.placement) if child.placement_id else None
    if placement is not None:
        home_ids.add(placement.pk)
        add(placement, "placement", f"Placement: {placement.name}")
    earlier = (Episode.objects.filter(child=child, reported_at__lte=as_of)
               .select_related("missing_from_place", "last_seen_place",
                               "missing_from_place__merged_into",
                               "last_seen_place__merged_into")
               .order_by("-reported_at"))
    home_added = relatives = False
    for other in earlier:
        gone_from = _live(other.missing_from_place)
        if gone_from is None:
            continue
        if (other.missing_from == MissingFrom.HOME and not home_added
                and gone_from.pk not in home_ids):
            home_ids.add(gone_from.pk)
            add(gone_from, "home", "Home: where the child went missing from")
            home_added = True
        elif (other.pk == episode.pk and other.missing_from == MissingFrom.CARE
              and gone_from.pk not in home_ids):
            home_ids.add(gone_from.pk)
            add(gone_from, "placement", f"Placement: {gone_from.name}")
        if gone_from.kind == PlaceKind.RELATIVE and not relatives:
            add(gone_from, "relative", "A relative's address on an earlier report")
            relatives = True
    seen = _live(episode.last_seen_place)
    if seen is not None:
        add(seen, "last_seen", "Where last seen")

    # Intelligence: the child's place links, and where their associates' children were found.
    entity_ids = []
    links = list(Link.objects.filter(child=child, occurred_on__lte=as_of.date())
                 .select_related("entity", "entity__place", "entity__place__merged_into"))
    for link in links:
        if link.entity.kind == EntityKind.PLACE and link.entity.place_id:
            add(link.entity.place, "intelligence",
                f"Intelligence: {link.get_kind_display().lower()} on {_day(link.occurred_on)} "
                f"({link.grading})", weight=1.0 if link.kind == "found_at" else 0.7)
    persons = {link.entity_id: link.entity for link in links
               if link.entity.kind == EntityKind.PERSON}
    if persons:
        others = defaultdict(set)  # another child -> the persons they share with this child
        for link in (Link.objects.filter(entity_id__in=list(persons),
                                         occurred_on__lte=as_of.date())
                     .exclude(child=child).only("child_id", "entity_id")):
            others[link.child_id].add(link.entity_id)
        counts = defaultdict(lambda: defaultdict(int))  # place -> person -> times
        for record in (FoundRecord.objects.filter(episode__child_id__in=list(others),
                                                  found_at__lt=as_of,
                                                  found_place__isnull=False)
                       .select_related("episode", "found_place", "found_place__merged_into")):
            place = _live(record.found_place)
            for person in others[record.episode.child_id]:
                places.setdefault(place.pk, _fact(place))
                counts[place.pk][person] += 1
        for link in (Link.objects.filter(child_id__in=list(others), kind="found_at",
                                         entity__kind=EntityKind.PLACE,
                                         occurred_on__lte=as_of.date())
                     .select_related("entity__place", "entity__place__merged_into")):
            place = _live(link.entity.place)
            if place is None:
                continue
            for person in others[link.child_id]:
                places.setdefault(place.pk, _fact(place))
                counts[place.pk][person] += 1
        for pid, by_person in counts.items():
            for person_id, times in by_person.items():
                person = persons[person_id]
                role = f" ({person.get_role_display().lower()})" if person.role else ""
                leads.append(wtl.Lead(
                    place_id=pid, source="associate", weight=min(2.0, float(times)),
                    reason=f"Children linked to {person.name or 'an associate'}{role} were "
                           f"found here {times} time{'s' if times != 1 else ''}"))
                if person_id not in entity_ids:
                    entity_ids.append(person_id)

    # The Philomena profile's places frequented: a place on record when the words name one.
    notes = []
    profile = (PhilomenaProfile.objects.filter(child=child).order_by("-last_reviewed_at")
               .only("places_frequented").first())
    if profile and profile.places_frequented.strip():
        lines = [" ".join(line.split()) for line in
                 re.split(r"[\n;]+", profile.places_frequented)]
        for line in [line for line in lines if len(line) >= 4][:PHILOMENA_LINES]:
            candidates = Place.objects.filter(force_id=child.force_id,
                                              merged_into__isnull=True)
            matches = (list(candidates.filter(name__iexact=line)[:2])
                       or list(candidates.filter(name__icontains=line)[:2]))
            if len(matches) == 1:
                add(matches[0], "philomena", "In the Philomena profile's places frequented")
            else:
                notes.append(line)

    # The force's places near where last seen, for the base rates.
    nearby_ids: tuple = ()
    if seen is not None and seen.latitude is not None and seen.longitude is not None:
        lat, lon = float(seen.latitude), float(seen.longitude)
        nearby = list(Place.objects.filter(
            force_id=child.force_id, merged_into__isnull=True, kind__in=NEARBY_KINDS,
            latitude__range=(lat - NEARBY_LAT, lat + NEARBY_LAT),
            longitude__range=(lon - NEARBY_LON, lon + NEARBY_LON),
            created_at__lte=as_of).exclude(pk__in=list(places))[:NEARBY_LIMIT])
        for place in nearby:
            places[place.pk] = _fact(place)
        nearby_ids = tuple(place.pk for place in nearby)

    searches = tuple(wtl.SearchDone(at=s.searched_at, result=s.result, place_id=s.place_id,
                                    note=s.place_note, who=s.who or str(s.searched_by))
                     for s in Search.objects.filter(episode=episode, searched_at__lte=as_of)
                     .select_related("searched_by"))
    for search in Search.objects.filter(episode=episode, place__isnull=False).select_related(
            "place"):
        places.setdefault(search.place_id, _fact(search.place))

    inputs = wtl.Inputs(
        as_of=as_of, age=child.age_on(episode.reported_at.date()), places=places,
        returns=tuple(returns), leads=tuple(leads), home_ids=frozenset(home_ids),
        last_seen_id=seen.pk if seen else None, nearby_ids=nearby_ids, searches=searches,
        notes=tuple(notes))
    return inputs, entity_ids


def top_kept(result: wtl.Result) -> list[dict]:
    """What is kept of a list shown (SuggestionsShown.top)."""
    return [{"rank": s.rank, "place": str(s.place.id), "sources": s.sources}
            for s in result.suggestions[:TOP_KEPT]]


# --- the force's figure: which suggestions find children --------------------------------------

@dataclass(frozen=True)
class Figures:
    since: dt.datetime
    until: dt.datetime
    returns: int  # returns in the period with a found place on record
    with_suggestions: int  # of which a where-to-look list had been shown while missing
    top_three: int  # found at one of the first three places of the last list shown
    listed: int  # found at any place of the last list shown
    by_source: dict  # source of the suggestion that was right -> returns
    searches: dict  # result -> searches recorded in the period
    found_by_suggestion: int  # searches that followed a suggestion and found the child

    @property
    def top_three_share(self) -> float | None:
        return self.top_three / self.with_suggestions if self.with_suggestions else None


SOURCE_LABELS = {"own": "The child's own earlier found places", "home": "Home",
                 "placement": "Placement", "relative": "A relative's address",
                 "last_seen": "Where last seen", "intelligence": "The child's intelligence",
                 "associate": "Where associates' children were found",
                 "philomena": "The Philomena profile", "base_rate": "Base rates nearby"}


def suggestion_figures(*, user, since: dt.datetime, until: dt.datetime) -> Figures:
    """For the returns of the force between `since` and `until`: how often the place the child
    was found at was among the first three of the last where-to-look list shown while missing.
    Counts only: no child is named."""
    if not can_use_searches(user):
        raise NotFound("Not found")
    episodes = episodes_visible_to(user=user)
    found = list(FoundRecord.objects.filter(episode__in=episodes, found_at__gte=since,
                                            found_at__lt=until, found_place__isnull=False)
                 .values_list("episode_id", "found_place_id", "found_at"))
    shown = defaultdict(list)
    for row in (SuggestionsShown.objects.filter(episode_id__in=[f[0] for f in found])
                .order_by("at").values_list("episode_id", "at", "top")):
        shown[row[0]].append((row[1], row[2]))
    with_lists = top_three = listed = 0
    by_source = defaultdict(int)
    for episode_id, place_id, found_at in found:
        before = [top for at, top in shown.get(episode_id, []) if at <= found_at]
        if not before:
            continue
        with_lists += 1
        hit = next((item for item in before[-1] if item["place"] == str(place_id)), None)
        if hit is None:
            continue
        listed += 1
        if hit["rank"] <= 3:
            top_three += 1
            for source in hit["sources"]:
                by_source[source] += 1
    searches = defaultdict(int)
    found_by_suggestion = 0
    for result, rank in (Search.objects.filter(episode__in=episodes, searched_at__gte=since,
                                               searched_at__lt=until)
                         .values_list("result", "suggestion_rank")):
        searches[result] += 1
        if result == SearchResult.FOUND and rank is not None:
            found_by_suggestion += 1
    return Figures(since=since, until=until, returns=len(found), with_suggestions=with_lists,
                   top_three=top_three, listed=listed, by_source=dict(by_source),
                   searches={label: searches.get(value, 0)
                             for value, label in SearchResult.choices},
                   found_by_suggestion=found_by_suggestion)
