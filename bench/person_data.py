"""Synthetic adults for the person-check benchmark and its small copy in the test suite.

Nobody here is a real person: first names and surnames are drawn independently from lists of
common English-language names (and made-up surnames for the long tail), dates of birth at
random. Three sets:

- `population(n)`: n people with a skewed name frequency (a few very common surnames and first
  names, a long tail), for the latency runs at 100k and 1M.
- `variations(n)`: the safeguarding variations of issue 17, each a stored adult and a later
  check written another way, among similar-name distractors (same surname and another first
  name, same first name and a similar surname, ...).
- `febrl_like(n)`: pairs corrupted the way FEBRL's generator corrupts duplicates (typos,
  missing values, swapped names, replaced values), for a small FEBRL-like sample.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta

FIRST_NAMES = """
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew
Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward
Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin
Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan
Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry Gerald
Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan
Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip
Louis Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty
Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah
Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma
Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather
Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan
Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice
Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly Isabella
Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori Gemma Zoe Chloe Megan Aisha
Priya Mohammed Ahmed Ali Omar Fatima Amira Yusuf Ravi Sanjay Anil Deepak Sunita Wei Li Chen
""".split()

SURNAMES = """
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner
Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott
Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson
Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams
Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell
Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens
Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews
Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson
Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong
Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh
Riley Dennis Barber Harper Ross Stone O'Neill McDonald MacDonald Byrne Doyle Nowak Kowalski
""".split()

_SYLLABLES_A = (
    "Ash Black Brad Brom Carr Cald Dun Elm Fair Fern Gar Hal Hart Hol Kel Lang Mar Mor "
    "Nor Oak Pen Rad Red Rom Sal Shel Stan Thorn Wal Wed Whit Win Wood Yar Aber Bel Crom "
    "Dal Gil Haw"
).split()
_SYLLABLES_B = (
    "ford ley ton field worth by wick combe stead well bridge more ham den hurst wood "
    "brook dale cott shaw thwaite mere land wright man son ridge stow"
).split()

NICKNAMES = [
    ("William", "Bill"),
    ("Robert", "Bob"),
    ("Elizabeth", "Liz"),
    ("Margaret", "Peggy"),
    ("Katherine", "Kate"),
    ("James", "Jim"),
    ("Richard", "Dick"),
    ("Edward", "Ted"),
    ("Anthony", "Tony"),
    ("Alexander", "Alex"),
    ("Jennifer", "Jenny"),
    ("Rebecca", "Becky"),
    ("Christopher", "Chris"),
    ("Michael", "Mike"),
    ("Deborah", "Debbie"),
    ("Patricia", "Trish"),
    ("Thomas", "Tom"),
    ("Daniel", "Danny"),
    ("Joseph", "Joe"),
    ("Samantha", "Sam"),
    ("Nicholas", "Nick"),
    ("Victoria", "Vicky"),
    ("Susan", "Sue"),
    ("Matthew", "Matt"),
    ("Stephen", "Steve"),
    ("Catherine", "Cathy"),
    ("Jonathan", "Jon"),
    ("Andrew", "Andy"),
]

ACCENTED = [
    ("Zoë", "Zoe"),
    ("José", "Jose"),
    ("Renée", "Renee"),
    ("Chloé", "Chloe"),
    ("Siân", "Sian"),
    ("Eléna", "Elena"),
    ("André", "Andre"),
    ("Zoë", "Zoe"),
    ("Åsa", "Asa"),
    ("Noël", "Noel"),
]
APOSTROPHE = [
    ("O'Neill", "ONeill"),
    ("O'Brien", "O Brien"),
    ("D'Souza", "DSouza"),
    ("O'Connor", "OConnor"),
    ("M'Bala", "Mbala"),
    ("O'Reilly", "O Reilly"),
    ("D'Arcy", "Darcy"),
    ("O'Hara", "OHara"),
]


@dataclass
class Record:
    ident: str
    first: str
    last: str
    dob: date | None


@dataclass
class Check:
    variation: str
    first: str
    last: str
    dob: date | None
    expected: str | None  # ident of the stored record it is about (None: nobody)


def _zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1 / (i + 1) ** s for i in range(n)]


_MIDDLES = ("", "er", "in", "ing", "el", "ers", "an")


class Names:
    """Names with a skewed frequency like England's: the commonest surname (the first of the
    list) about 1.3% of people, the 200 listed about 29%, the rest a long tail of made-up
    surnames (about 0.01% each); the commonest first name about 2.5%."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        tail = [a + m + b for a in _SYLLABLES_A for m in _MIDDLES for b in _SYLLABLES_B]
        head = _zipf_weights(len(SURNAMES), 0.57)
        self.surnames = SURNAMES + tail
        # listed surnames: 0.0126 * rank^-0.57 each (29% together); the tail shares the rest
        self.surname_weights = [0.0126 * w for w in head] + [(1 - 0.0126 * sum(head)) / len(tail)] * len(tail)
        self.firsts = list(dict.fromkeys(FIRST_NAMES))
        self.first_weights = _zipf_weights(len(self.firsts), 0.4)

        self._first_cum = list(itertools.accumulate(self.first_weights))
        self._surname_cum = list(itertools.accumulate(self.surname_weights))

    def first(self) -> str:
        return self.rng.choices(self.firsts, cum_weights=self._first_cum)[0]

    def last(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self._surname_cum)[0]

    def dob(self) -> date:
        return date(1950, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 55))


def population(n: int, seed: int = 17):
    """n synthetic people as (first, last, dob); about one in twenty without a date of birth."""
    rng = random.Random(seed)
    names = Names(rng)
    for _ in range(n):
        yield names.first(), names.last(), (names.dob() if rng.random() > 0.05 else None)


# -- variations ------------------------------------------------------------------------------
def _typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: a letter dropped, doubled, replaced or two letters transposed."""
    if len(text) < 3:
        return text + "e"
    i = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("drop", "double", "replace", "transpose"))
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if kind == "replace":
        return text[:i] + rng.choice("aeiourstnl") + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _dob_typo(rng: random.Random, dob: date) -> date:
    """The date with one digit wrong or two adjacent digits transposed, still a real date."""
    text = dob.strftime("%Y%m%d")
    while True:
        i = rng.randrange(2, 8)
        if rng.random() < 0.5 and i < 7:
            new = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        else:
            new = text[:i] + str(rng.randrange(10)) + text[i + 1 :]
        try:
            changed = date(int(new[:4]), int(new[4:6]), int(new[6:]))
        except ValueError:
            continue
        if changed != dob:
            return changed


VARIATIONS = (
    "as recorded",
    "names swapped",
    "nickname",
    "formal name for a nickname",
    "double-barrelled, other order",
    "double-barrelled, one part",
    "married surname",
    "date of birth typo",
    "day and month swapped",
    "date of birth unknown",
    "accents",
    "apostrophes",
    "surname typo",
    "first name typo",
)


def variations(per_variation: int = 60, seed: int = 10) -> tuple[list[Record], list[Check], list[Check]]:
    """Stored adults and checks: each check is one variation of one stored adult, among that
    adult's similar-name distractors. Also twins: same surname and date of birth, another first
    name (not the same adult, but shown with that reason)."""
    rng = random.Random(seed)
    names = Names(rng)
    stored: list[Record] = []
    checks: list[Check] = []
    twins: list[Check] = []
    serial = iter(range(1, 10**9))

    def store(first: str, last: str, dob: date | None) -> Record:
        r = Record(f"v{next(serial)}", first, last, dob)
        stored.append(r)
        return r

    for variation in VARIATIONS:
        for _ in range(per_variation):
            first, last, dob = names.first(), names.last(), names.dob()
            query_first, query_last, query_dob = first, last, dob
            if variation == "names swapped":
                query_first, query_last = last, first
            elif variation in ("nickname", "formal name for a nickname"):
                formal, short = rng.choice(NICKNAMES)
                first, query_first = (formal, short) if variation == "nickname" else (short, formal)
            elif variation.startswith("double-barrelled"):
                other = names.last()
                while other == last:
                    other = names.last()
                last = f"{last}-{other}"
                query_last = f"{other}-{last.split('-')[0]}" if variation.endswith("order") else other
            elif variation == "married surname":
                while query_last == last:
                    query_last = names.last()
            elif variation == "date of birth typo":
                query_dob = _dob_typo(rng, dob)
            elif variation == "day and month swapped":
                dob = date(dob.year, rng.randrange(1, 13), rng.randrange(1, 13))
                while dob.day == dob.month:
                    dob = date(dob.year, dob.month, rng.randrange(1, 13))
                query_dob = date(dob.year, dob.day, dob.month)
            elif variation == "date of birth unknown":
                query_dob = None
            elif variation == "accents":
                first, query_first = rng.choice(ACCENTED)
            elif variation == "apostrophes":
                last, query_last = rng.choice(APOSTROPHE)
                if rng.random() < 0.5:
                    last, query_last = query_last, last
            elif variation == "surname typo":
                query_last = _typo(rng, last)
            elif variation == "first name typo":
                query_first = _typo(rng, first)
            target = store(first, last, dob)
            # similar-name distractors: another adult of the same surname, one of the same first
            # name with a similar surname, one with the same first name and birth year
            store(names.first(), last, names.dob())
            store(first, _typo(rng, last), names.dob())
            store(first, names.last(), date(dob.year, rng.randrange(1, 13), rng.randrange(1, 29)))
            checks.append(Check(variation, query_first, query_last, query_dob, target.ident))
    for _ in range(per_variation):
        first, last, dob = names.first(), names.last(), names.dob()
        store(first, last, dob)
        other = names.first()
        while other[0] == first[0]:
            other = names.first()
        twins.append(Check("twin", other, last, dob, None))
    return stored, checks, twins


# -- FEBRL-like ------------------------------------------------------------------------------
def febrl_like(n: int = 300, seed: int = 4) -> tuple[list[Record], list[Check]]:
    """n originals and one duplicate of each, corrupted at FEBRL4's rates for these fields
    (measured on FEBRL4: about 1 field in 25 missing, names mistyped, 1 date of birth in 25
    replaced by another): the duplicate's check must find its original."""
    rng = random.Random(seed)
    names = Names(rng)
    stored = [Record(f"o{i}", names.first(), names.last(), names.dob()) for i in range(n)]
    checks = []
    for r in stored:
        first, last, dob = r.first, r.last, r.dob
        roll = rng.random
        if roll() < 0.05:
            first = ""
        elif roll() < 0.25:
            first = _typo(rng, first)
        elif roll() < 0.06:
            first = names.first()
        if roll() < 0.02:
            last = ""
        elif roll() < 0.25:
            last = _typo(rng, last)
        elif roll() < 0.04:
            last = names.last()
        if roll() < 0.02:
            first, last = last, first
        if roll() < 0.04:
            dob = None
        elif roll() < 0.03:
            dob = names.dob()
        elif roll() < 0.02 and dob is not None:
            dob = _dob_typo(rng, dob)
        checks.append(Check("febrl-like", first, last, dob, r.ident))
    return stored, checks
