"""Harder matching data (issue 11): children in households, from several communities, recorded
again with the slips that defeated the first matcher. For bench/matching.py's "hard" part and the
matching tests. Pure and deterministic by seed; no database.

What makes it hard, and why each is here (an independent evaluation found each one):
- **Names from several communities**, with their own spellings: English, Irish, South Asian,
  Polish (ł, ó, ś, ż), West African, and others (ø, æ, ß, đ). The name lists are this module's
  own, not names.py's, so the benchmark is not tuned to the generator the matcher grew up on.
- **Households**: siblings share a family name and an address; **twins** share the date of
  birth too, with different given names. Twins and siblings are the hard negatives: a matcher
  that leans on family name, date of birth and address merges them.
- **Two given names** for some children; a later record may use the middle name as the first.
- **Two slips at once** on some later records (a typo and a one-digit date slip, say).
- **A change of surname** (a carer's or step-parent's), a double-barrelled surname cut to one
  part, a name typed on an English keyboard (Łukasz as Lukasz), a community short form (Kuba for
  Jakub, Seun for Oluwaseun, Paddy for Patrick).
- **No address** on about a third of the records.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

from mispers.people.models import Ethnicity
from mispers.people.services import ChildDetails

from .noise import typo

# Community: (female given names, male given names, family names). Invented combinations of
# common names; a full name never describes a real person on purpose.
COMMUNITIES = {
    "english": (
        ["Amelia", "Olivia", "Isla", "Emily", "Alice", "Eleanor", "Grace", "Sophie", "Lucy",
         "Hannah", "Charlotte", "Amy", "Rosie", "Evie", "Harriet", "Jessica", "Elizabeth",
         "Poppy", "Florence", "Matilda", "Imogen", "Georgia", "Phoebe", "Esme", "Willow",
         "Daisy", "Erin", "Lola", "Maisie", "Beatrice", "Martha", "Zoe", "Abigail", "Nancy",
         "Heidi", "Iris", "Lydia", "Megan", "Paige", "Tilly"],
        ["William", "John", "Thomas", "George", "Harry", "Oliver", "Jack", "Edward", "Samuel",
         "Joseph", "Henry", "Alfie", "Charlie", "Daniel", "Jonathan", "James", "Robert",
         "Arthur", "Freddie", "Theo", "Archie", "Louis", "Reuben", "Stanley", "Toby", "Ethan",
         "Mason", "Lewis", "Callum", "Harvey", "Jacob", "Finley", "Max", "Joshua", "Tyler",
         "Bradley", "Ryan", "Kieran", "Elliot", "Nathan"],
        ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Hall", "Marshall", "Wright", "Walker",
         "Green", "Hughes", "Turner", "Cooper", "Ward", "Baker", "Fletcher", "Barker",
         "Smith-Jones", "Taylor-Hughes", "Ali-Khan", "Harding", "Pearce", "Chapman", "Lloyd",
         "Webb", "Stevens", "Holmes", "Palmer", "Lawrence", "Simpson", "Pritchard", "Dawson",
         "Shepherd", "Hartley", "Rowe", "Naylor", "Stubbs", "Fenwick", "Ashworth", "Oakley",
         "Bentley", "Hollis", "Garner", "Blackwell", "Prescott"],
    ),
    "irish": (
        ["Siobhán", "Aoife", "Niamh", "Saoirse", "Róisín", "Caoimhe", "Orla", "Bridget",
         "Mary", "Sinéad", "Eimear", "Clodagh", "Aisling", "Ciara", "Gráinne", "Nuala",
         "Áine", "Maeve", "Deirdre", "Muireann"],
        ["Patrick", "Seán", "Ciarán", "Oisín", "Liam", "Declan", "Cormac", "Eoin", "Pádraig",
         "Michael", "Conor", "Darragh", "Tadhg", "Fionn", "Rónán", "Colm", "Donal", "Cathal",
         "Niall", "Lorcan"],
        ["O'Brien", "Murphy", "Kelly", "O'Sullivan", "McCarthy", "Byrne", "Ryan", "Doherty",
         "O'Connor", "Gallagher", "Ó Briain", "McLaughlin", "Quinn", "Brennan", "Ní Bhriain",
         "Fitzgerald", "Kavanagh", "McGrath", "Lynch", "Whelan", "Flanagan", "Hennessy",
         "Ó Súilleabháin", "Mac Cárthaigh", "Dunne"],
    ),
    "south_asian": (
        ["Aisha", "Fatima", "Priya", "Simran", "Harpreet", "Zainab", "Maryam", "Anjali",
         "Nusrat", "Ayesha", "Jaspreet", "Sana", "Kiran", "Navneet", "Rukhsana", "Shabana",
         "Tahira", "Parveen", "Noor", "Hira", "Mehreen", "Pooja", "Divya", "Ishani"],
        ["Muhammad", "Mohammed", "Arjun", "Gurpreet", "Imran", "Hamza", "Rohan", "Bilal",
         "Sandeep", "Yusuf", "Harjit", "Zain", "Amrit", "Kamran", "Faisal", "Usman", "Nabil",
         "Ravi", "Vikram", "Sukhdev", "Tariq", "Irfan", "Sajid", "Kabir"],
        ["Khan", "Ali", "Patel", "Begum", "Hussain", "Ahmed", "Dhaliwal", "Sandhu", "Chowdhury",
         "Rahman", "Gill", "Sharma", "Bibi", "Malik", "Iqbal", "Akhtar", "Mahmood", "Bains",
         "Grewal", "Kaur", "Singh", "Mistry", "Uddin", "Islam", "Rashid", "Siddiqui",
         "Qureshi", "Sidhu", "Johal", "Nawaz"],
    ),
    "polish": (
        ["Katarzyna", "Małgorzata", "Zofia", "Agnieszka", "Łucja", "Joanna", "Aleksandra",
         "Magdalena", "Wiktoria", "Barbara", "Natalia", "Julia", "Zuzanna", "Maja", "Oliwia",
         "Weronika", "Dorota", "Ewa", "Karolina", "Alicja"],
        ["Jakub", "Łukasz", "Tomasz", "Wojciech", "Michał", "Paweł", "Krzysztof", "Piotr",
         "Szymon", "Bartłomiej", "Mateusz", "Kacper", "Filip", "Dawid", "Maciej", "Marcin",
         "Grzegorz", "Adrian", "Kamil", "Przemysław"],
        ["Kozłowski", "Nowak", "Wójcik", "Wiśniewski", "Dąbrowski", "Lewandowski", "Żak",
         "Kamiński", "Łukaszewicz", "Zieliński", "Szymański", "Woźniak", "Kowalczyk",
         "Jankowski", "Mazur", "Krawczyk", "Piotrowski", "Grabowski", "Pawłowski", "Michalski",
         "Król", "Wieczorek", "Jabłoński", "Wróbel", "Górski"],
    ),
    "west_african": (
        ["Folasade", "Chiamaka", "Ngozi", "Adaeze", "Oluwatoyin", "Abimbola", "Efua", "Abena",
         "Temitope", "Nkechi", "Funmilayo", "Yetunde", "Adwoa", "Akosua", "Chidinma",
         "Ifeoma", "Oluwakemi", "Omolara", "Nneka", "Ebele"],
        ["Oluwaseun", "Oluwafemi", "Chukwuemeka", "Adebayo", "Kwame", "Kofi", "Olumide",
         "Babatunde", "Ikechukwu", "Oluwadamilare", "Kwabena", "Yaw", "Obinna", "Chinedu",
         "Ayodeji", "Oluwatobi", "Kayode", "Nnamdi", "Kwesi", "Adewale"],
        ["Adeyemi", "Okafor", "Mensah", "Okonkwo", "Adeleke", "Oyelaran", "Asante", "Boateng",
         "Nwosu", "Ogunleye", "Eze", "Owusu", "Adebayo", "Oladipo", "Appiah", "Ofori",
         "Nwachukwu", "Afolabi", "Osei", "Danso", "Okoro", "Adegoke", "Bamidele", "Agyeman"],
    ),
    "other": (
        ["Søren", "Astrid", "Ingrid", "Sigrún", "Mai", "Linh", "Greta", "Ælfwyn", "Hanna",
         "Björk", "Thu", "Lena", "Marta", "Inés"],
        ["Bjørn", "Jürgen", "Đức", "Minh", "Lars", "Tomás", "Æthan", "Matthias", "Jørgen",
         "Huy", "Stefan", "Nils", "Andrés", "Quang"],
        ["Weiß", "Groß", "Đặng", "Nguyễn", "Sørensen", "Øster", "Müller", "Hæger", "Trần",
         "Lê", "Schröder", "Jørgensen", "Fernández", "Ødegaard", "Strauß", "Phạm"],
    ),
}
COMMUNITY_WEIGHTS = [("english", 0.45), ("irish", 0.12), ("south_asian", 0.15),
                     ("polish", 0.12), ("west_african", 0.11), ("other", 0.05)]
# Everyday short forms in those communities (a later record may use one).
SHORT_FORMS = {
    "Jakub": "Kuba", "Katarzyna": "Kasia", "Tomasz": "Tomek", "Małgorzata": "Gosia",
    "Wojciech": "Wojtek", "Aleksandra": "Ola", "Magdalena": "Magda",
    "Oluwaseun": "Seun", "Oluwafemi": "Femi", "Chukwuemeka": "Emeka", "Adebayo": "Bayo",
    "Folasade": "Sade", "Oluwatoyin": "Toyin", "Abimbola": "Bimbo", "Babatunde": "Tunde",
    "Oluwadamilare": "Dami", "Ikechukwu": "Ike", "Temitope": "Tope",
    "William": "Liam", "Patrick": "Paddy", "John": "Johnny", "Amelia": "Amy",
    "Elizabeth": "Lizzie", "Jonathan": "Jon", "Robert": "Bobby", "James": "Jamie",
    "Muhammad": "Mo", "Mohammed": "Mo", "Alexander": "Sasha", "Harriet": "Hattie",
    "Edward": "Ted", "Daniel": "Danny", "Samuel": "Sam", "Joseph": "Joe", "Henry": "Harry",
}
# Issue 11 again (ADR 53): the lists above are each community's *common* names, but on their own
# they made namesakes far commoner than in a real force (40 given names and 45 family names for
# 9,000 English children: two children in three shared their full name with another). Real
# names have a head and a long tail. So a child's given name comes from the list above in
# HEAD_GIVEN of cases and otherwise from Faker's longer list for the community (TAIL_LOCALES);
# the family name from the list above in HEAD_FAMILY of cases. Both shares are set *above* what
# real names show, so that the benchmark stays harder than real data: the 40 commonest given
# names of a sex cover about 35% of births in England and Wales (ONS baby names, 2008-2017) and
# the 45 commonest surnames about 11% of people (ONS/Office for National Statistics surname
# counts), against 50% and 30% here.
HEAD_GIVEN = 0.5
HEAD_FAMILY = 0.3
TAIL_LOCALES = {
    "english": ("en_GB",),
    "irish": ("ga_IE",),
    "south_asian": ("en_IN", "en_PK"),
    "polish": ("pl_PL",),
    "west_african": ("yo_NG", "ig_NG", "en_NG"),
    "other": ("de_DE", "no_NO", "da_DK", "es_ES", "vi_VN"),
}


@cache
def _tail(community: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(female, male, family) names of the community's long tail, sorted (deterministic)."""
    female, male, family = set(), set(), set()
    for locale in TAIL_LOCALES[community]:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        unsexed = tuple(getattr(provider, "first_names", ()))
        female.update(getattr(provider, "first_names_female", None) or unsexed)
        male.update(getattr(provider, "first_names_male", None) or unsexed)
        for attribute in ("last_names", "male_last_names", "unisex_last_names"):
            family.update(n for n in getattr(provider, attribute, ()) if n != "Doe")
    return tuple(sorted(female)), tuple(sorted(male)), tuple(sorted(family))


STREETS = ["Mill Lane", "Church Road", "Victoria Street", "Park Avenue", "Station Road",
           "Queens Drive", "Orchard Close", "Meadow View", "Castle Street", "Harbour Way"]
TOWNS = ["Exeter", "Plymouth", "Torquay", "Truro", "Barnstaple", "Newquay", "Bodmin"]

# A later record's slips (one or two of them), with their shares.
SLIPS = [
    ("typo_given", 0.12), ("typo_family", 0.12), ("ascii", 0.10), ("short_form", 0.08),
    ("middle_as_first", 0.06), ("surname_change", 0.10), ("double_barrel_part", 0.04),
    ("dob_digit", 0.10), ("dob_swapped", 0.05), ("dob_year", 0.05), ("age_only", 0.06),
    ("no_address", 0.06), ("address_changed", 0.06),
]
TWO_SLIPS = 0.3          # the share of later records with two slips at once
NO_ADDRESS = 0.33        # the share of records with no address at all
TWIN_SHARE = 0.06        # of households with children: a pair of twins
SECOND_GIVEN = 0.15      # children with a middle name


@dataclass(frozen=True)
class Person:
    """One real child: who they are, and the household they belong to."""

    truth_id: int
    household: int
    twin_of: int | None
    details: ChildDetails


@dataclass(frozen=True)
class Record:
    truth_id: int
    details: ChildDetails
    slips: tuple[str, ...] = ()


def _pick(rng: random.Random, pairs):
    return rng.choices([v for v, _ in pairs], [w for _, w in pairs])[0]


def _address(rng: random.Random) -> str:
    return f"{rng.randrange(1, 160)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"


def _given_name(rng: random.Random, community: str, sex: str, avoid: set[str]) -> str:
    """One given name: from the community's common names (COMMUNITIES) in HEAD_GIVEN of
    children, otherwise from its long tail (TAIL_LOCALES)."""
    female, male, _ = COMMUNITIES[community]
    head = female if sex == "female" else male
    if rng.random() >= HEAD_GIVEN:
        tail = _tail(community)[0 if sex == "female" else 1]
        for _ in range(5):
            name = rng.choice(tail)
            if name not in avoid:
                return name
    return rng.choice([n for n in head if n not in avoid])


def _family_name(rng: random.Random, community: str) -> str:
    if rng.random() >= HEAD_FAMILY:
        return rng.choice(_tail(community)[2])
    return rng.choice(COMMUNITIES[community][2])


def _given(rng: random.Random, community: str, sex: str, avoid: set[str]) -> str:
    given = _given_name(rng, community, sex, avoid)
    if rng.random() < SECOND_GIVEN:
        second = _given_name(rng, community, sex, {given, *avoid})
        given = f"{given} {second}"
    return given


def _born(rng: random.Random, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=rng.randrange(9 * 365, 17 * 365 + 300))


def people(*, seed: int, n: int, today: dt.date) -> list[Person]:
    """About `n` children in households of one to four: siblings share the family name and the
    address; some households have twins (the same date of birth, different given names)."""
    rng = random.Random(seed)
    out: list[Person] = []
    household = 0
    while len(out) < n:
        household += 1
        community = _pick(rng, COMMUNITY_WEIGHTS)
        family = _family_name(rng, community)
        address = "" if rng.random() < NO_ADDRESS else _address(rng)
        size = _pick(rng, [(1, 0.55), (2, 0.28), (3, 0.12), (4, 0.05)])
        twins = size >= 2 and rng.random() < TWIN_SHARE / 0.45
        used: set[str] = set()
        first_born = _born(rng, today)
        for index in range(size):
            if twins and index == 1:
                born, twin_of = first_born, len(out) - 1
            else:
                gap = rng.randrange(400, 4 * 365) * (index if not twins else max(0, index - 1))
                born, twin_of = first_born + dt.timedelta(days=gap), None
                if born >= today - dt.timedelta(days=8 * 365):
                    break
            sex = rng.choice(["female", "male"])
            given = _given(rng, community, sex, used)
            used.update(given.split())
            out.append(Person(len(out), household, twin_of, ChildDetails(
                given_name=given, family_name=family, date_of_birth=born, sex=sex,
                ethnicity=Ethnicity.NOT_STATED, placement_address=address)))
    return out[:n]


# --- The slips ---------------------------------------------------------------------------------


def _ascii(word: str) -> str:
    """As typed on an English keyboard by someone who drops what it lacks: ł as l, ø as o,
    ß as ss, æ as ae, accents left off."""
    table = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                           "ß": "ss", "æ": "ae", "Æ": "Ae"})
    plain = unicodedata.normalize("NFKD", word.translate(table))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def _digit(rng: random.Random, born: dt.date, today: dt.date) -> dt.date:
    text = born.strftime("%d%m%Y")
    for _ in range(50):
        i = rng.choice([0, 1, 3, 7])
        slipped = text[:i] + rng.choice("0123456789".replace(text[i], "")) + text[i + 1:]
        try:
            day = dt.datetime.strptime(slipped, "%d%m%Y").date()
        except ValueError:
            continue
        if day != born and day < today:
            return day
    return born


def slip(rng: random.Random, kind: str, d: ChildDetails, today: dt.date) -> ChildDetails | None:
    """The details with one slip of `kind` (SLIPS), or None when it does not apply to them."""
    born = d.date_of_birth
    if kind == "typo_given" and d.given_name:
        return replace(d, given_name=typo(rng, d.given_name.split()[0]))
    if kind == "typo_family" and d.family_name:
        return replace(d, family_name=typo(rng, d.family_name))
    if kind == "ascii":
        plain = replace(d, given_name=_ascii(d.given_name), family_name=_ascii(d.family_name))
        return plain if plain != d else None
    if kind == "short_form":
        short = SHORT_FORMS.get(d.given_name.split()[0])
        return replace(d, given_name=short) if short and short != d.given_name else None
    if kind == "middle_as_first" and " " in d.given_name:
        return replace(d, given_name=d.given_name.split()[1])
    if kind == "surname_change":
        # A carer's or step-parent's surname, from any community.
        community = _pick(rng, COMMUNITY_WEIGHTS)
        new = d.family_name
        while new == d.family_name:
            new = _family_name(rng, community)
        return replace(d, family_name=new)
    if kind == "double_barrel_part" and "-" in d.family_name:
        return replace(d, family_name=rng.choice(d.family_name.split("-")))
    if kind == "dob_digit" and born:
        return replace(d, date_of_birth=_digit(rng, born, today))
    if kind == "dob_swapped" and born and born.day <= 12 and born.day != born.month:
        return replace(d, date_of_birth=born.replace(month=born.day, day=born.month))
    if kind == "dob_year" and born and not (born.month == 2 and born.day == 29):
        return replace(d, date_of_birth=born.replace(year=born.year + rng.choice([-1, 1])))
    if kind == "age_only" and born:
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return replace(d, date_of_birth=None, estimated_age=age)
    if kind == "no_address" and d.placement_address:
        return replace(d, placement_address="")
    if kind == "address_changed":
        return replace(d, placement_address=_address(rng))
    return None


def later_record(rng: random.Random, person: Person, *, today: dt.date) -> Record:
    """The same child recorded again with one slip or, sometimes, two at once."""
    wanted = 2 if rng.random() < TWO_SLIPS else 1
    details, slips = person.details, []
    for _ in range(40):
        if len(slips) == wanted:
            break
        kind = _pick(rng, SLIPS)
        if kind in slips:
            continue
        slipped = slip(rng, kind, details, today)
        if slipped is None or slipped == details:
            continue
        if slipped.date_of_birth and (today - slipped.date_of_birth).days >= 18 * 365:
            continue
        details, slips = slipped, [*slips, kind]
    if rng.random() < 0.3 and details.placement_address:
        details = replace(details, placement_address=details.placement_address.replace(
            "Road", "Rd").replace("Street", "St").lower())
    return Record(person.truth_id, details, tuple(slips))


def population(*, seed: int, n_people: int, duplicate_share: float,
               today: dt.date) -> tuple[list[Person], list[Record]]:
    """The people, and a force's records of them: each recorded once as they are and a
    `duplicate_share` of them recorded again (two or three records in all). Shuffled."""
    rng = random.Random(seed + 101)
    everyone = people(seed=seed, n=n_people, today=today)
    records = []
    for person in everyone:
        records.append(Record(person.truth_id, person.details))
        if rng.random() < duplicate_share:
            for _ in range(1 if rng.random() < 0.8 else 2):
                records.append(later_record(rng, person, today=today))
    rng.shuffle(records)
    return everyone, records


def hard_negative_pairs(everyone: list[Person]) -> tuple[set[frozenset], set[frozenset]]:
    """(twin pairs, other sibling pairs) by truth id: different children whom a matcher is
    most tempted to call the same."""
    by_household: dict[int, list[Person]] = {}
    for person in everyone:
        by_household.setdefault(person.household, []).append(person)
    twins, siblings = set(), set()
    for members in by_household.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = frozenset((a.truth_id, b.truth_id))
                same_day = a.details.date_of_birth == b.details.date_of_birth
                (twins if same_day else siblings).add(pair)
    return twins, siblings
