"""Scoring for the person check: how two recorded adults compare, field by field.

Each field is compared to a *level* (no field vetoes a match, and a field missing on either
side is neutral). Each level carries a fixed weight in bits (log2 of how much likelier that
level is for the same adult than for two different adults, a Fellegi-Sunter match weight);
the weights add up, and the total gives the band.

Levels, best first, with their weight in bits:
- first name: exact 6; nickname equivalent 4 (the `nicknames` package's groups, either way
  round); sounds the same 3 (Metaphone or NYSIIS codes equal, and Jaro-Winkler >= 0.72);
  similar spelling 2.5 (Jaro-Winkler >= 0.88, or one edit); an initial or short form 1;
  different -4; unknown 0.
- surname: exact 8; the same parts in another order 7.5 ("Brown-Davies"/"Davies-Brown");
  sounds the same 5; similar spelling 4; one part of a multi-part surname 4; different -5;
  unknown 0.
- date of birth: exact 13; day and month swapped 8; one digit wrong or two adjacent digits
  transposed 4; same year and month 2; different -5.5; unknown 0.

Then:
- The names are compared as recorded and the other way round (first and last swapped); the
  better reading counts, a swapped one 1 bit less.
- Same first name (or a nickname) and date of birth with another surname is the pattern of a
  surname changed by marriage: the surname counts -1 instead of -5.
- Same surname and date of birth with another first name could be a twin or a sibling: shown
  with that reason, never as strong.
- When both names are exactly the same, a name several people carry says less: the check
  passes how many candidate people carry it, and each doubling takes 1 bit off (at most 4).
- A match needs two of the three fields to agree at some level, or one with neither of the
  others different (only unknown): a date of birth alone beside another name is not shown.

Bands: strong >= 20 bits, possible >= 13, weak >= 8.5; below that the pair is not shown.
Nothing is ever linked automatically: the band only orders what the LADO reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA, JaroWinkler

from app.people.names import compact, dob_text, nickname_equivalent, parts


class Level(StrEnum):
    EXACT = "exact"
    NICKNAME = "nickname"
    REORDERED = "reordered"  # surname parts in another order
    PHONETIC = "phonetic"
    SIMILAR = "similar"
    SHARED_PART = "shared_part"  # one part of a multi-part surname
    INITIAL = "initial"
    CHANGED = "changed"  # surname different, with first name and date of birth the same
    SWAPPED = "swapped"  # date of birth with day and month swapped
    ONE_EDIT = "one_edit"
    SAME_MONTH = "same_month"
    DIFFERENT = "different"
    UNKNOWN = "unknown"


class Band(StrEnum):
    STRONG = "strong"
    POSSIBLE = "possible"
    WEAK = "weak"


FIRST_WEIGHTS = {
    Level.EXACT: 6.0,
    Level.NICKNAME: 4.0,
    Level.PHONETIC: 3.0,
    Level.SIMILAR: 2.5,
    Level.INITIAL: 1.0,
    Level.DIFFERENT: -4.0,
    Level.UNKNOWN: 0.0,
}
LAST_WEIGHTS = {
    Level.EXACT: 8.0,
    Level.REORDERED: 7.5,
    Level.PHONETIC: 5.0,
    Level.SIMILAR: 4.0,
    Level.SHARED_PART: 4.0,
    Level.CHANGED: -1.0,
    Level.DIFFERENT: -5.0,
    Level.UNKNOWN: 0.0,
}
DOB_WEIGHTS = {
    Level.EXACT: 13.0,
    Level.SWAPPED: 8.0,
    Level.ONE_EDIT: 4.0,
    Level.SAME_MONTH: 2.0,
    Level.DIFFERENT: -5.5,
    Level.UNKNOWN: 0.0,
}
SWAP_PENALTY = 1.0
MAX_FREQUENCY_PENALTY = 4.0
STRONG, POSSIBLE, WEAK = 20.0, 13.0, 8.5

PHONETIC_FLOOR = 0.72
SIMILAR_FLOOR = 0.88

_FIRST_TEXT = {
    Level.EXACT: "same first name",
    Level.NICKNAME: "first name a nickname of the other",
    Level.PHONETIC: "first name sounds the same",
    Level.SIMILAR: "first name spelt similarly",
    Level.INITIAL: "first name an initial or short form of the other",
    Level.DIFFERENT: "different first name",
    Level.UNKNOWN: "first name not known for both",
}
_LAST_TEXT = {
    Level.EXACT: "same surname",
    Level.REORDERED: "same surname parts in another order",
    Level.PHONETIC: "surname sounds the same",
    Level.SIMILAR: "surname spelt similarly",
    Level.SHARED_PART: "shares one part of a multi-part surname",
    Level.CHANGED: "different surname (could have changed, e.g. by marriage)",
    Level.DIFFERENT: "different surname",
    Level.UNKNOWN: "surname not known for both",
}
_DOB_TEXT = {
    Level.EXACT: "same date of birth",
    Level.SWAPPED: "date of birth with day and month swapped",
    Level.ONE_EDIT: "date of birth one digit different or two digits transposed",
    Level.SAME_MONTH: "born in the same month and year",
    Level.DIFFERENT: "different date of birth",
    Level.UNKNOWN: "date of birth not known for both",
}
TWIN = "same surname and date of birth, different first name: could be a twin or sibling"
SWAPPED_NAMES = "first and last names recorded the other way round"
_AGREEING = {
    Level.EXACT,
    Level.NICKNAME,
    Level.REORDERED,
    Level.PHONETIC,
    Level.SIMILAR,
    Level.SHARED_PART,
    Level.INITIAL,
    Level.SWAPPED,
    Level.ONE_EDIT,
    Level.SAME_MONTH,
}


@dataclass(frozen=True)
class Score:
    weight: float  # bits
    band: Band | None  # None: not shown
    first: Level
    last: Level
    dob: Level
    names_swapped: bool
    reasons: tuple[str, ...]

    @property
    def is_match(self) -> bool:
        return self.band is not None

    @property
    def possible_twin(self) -> bool:
        return TWIN in self.reasons

    @property
    def explained(self) -> list[tuple[str, bool]]:
        """Each reason, and whether it is a warning to read before linking (a possible twin)."""
        return [(reason, reason == TWIN) for reason in self.reasons]


def _spelling(a: str, b: str) -> Level | None:
    similarity = JaroWinkler.similarity(a, b)
    if similarity >= PHONETIC_FLOOR and (
        jellyfish.metaphone(a) == jellyfish.metaphone(b) or jellyfish.nysiis(a) == jellyfish.nysiis(b)
    ):
        return Level.PHONETIC
    if similarity >= SIMILAR_FLOOR or (min(len(a), len(b)) >= 3 and OSA.distance(a, b) <= 1):
        return Level.SIMILAR
    return None


@lru_cache(maxsize=200_000)
def first_name_level(a: str, b: str) -> Level:
    ca, cb = compact(a), compact(b)
    if not ca or not cb:
        return Level.UNKNOWN
    if ca == cb:
        return Level.EXACT
    if nickname_equivalent(ca, cb):
        return Level.NICKNAME
    level = _spelling(ca, cb)
    if level is not None:
        return level
    if ca.startswith(cb) or cb.startswith(ca):
        return Level.INITIAL
    return Level.DIFFERENT


@lru_cache(maxsize=200_000)
def surname_level(a: str, b: str) -> Level:
    ca, cb = compact(a), compact(b)
    if not ca or not cb:
        return Level.UNKNOWN
    if ca == cb:
        return Level.EXACT
    pa, pb = parts(a), parts(b)
    if len(pa) > 1 and sorted(pa) == sorted(pb):
        return Level.REORDERED
    level = _spelling(ca, cb)
    if level is not None:
        return level
    if (len(pa) > 1 or len(pb) > 1) and set(pa) & set(pb):
        return Level.SHARED_PART
    return Level.DIFFERENT


def dob_level(a: date | None, b: date | None) -> Level:
    if a is None or b is None:
        return Level.UNKNOWN
    if a == b:
        return Level.EXACT
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return Level.SWAPPED
    if OSA.distance(dob_text(a), dob_text(b)) <= 1:
        return Level.ONE_EDIT
    if (a.year, a.month) == (b.year, b.month):
        return Level.SAME_MONTH
    return Level.DIFFERENT


def _band(weight: float, twin: bool) -> Band | None:
    if weight >= STRONG and not twin:
        return Band.STRONG
    if weight >= POSSIBLE or (twin and weight >= WEAK):
        return Band.POSSIBLE
    if weight >= WEAK:
        return Band.WEAK
    return None


def _reading(
    first: str, last: str, other_first: str, other_last: str, dob: Level, same_name_count: int
) -> tuple[float, Level, Level]:
    fl, ll = first_name_level(first, other_first), surname_level(last, other_last)
    if ll == Level.DIFFERENT and dob == Level.EXACT and fl in (Level.EXACT, Level.NICKNAME):
        ll = Level.CHANGED
    weight = FIRST_WEIGHTS[fl] + LAST_WEIGHTS[ll] + DOB_WEIGHTS[dob]
    if fl == ll == Level.EXACT and same_name_count > 1:
        weight -= min(MAX_FREQUENCY_PENALTY, math.log2(same_name_count))
    return weight, fl, ll


def score(
    first: str,
    last: str,
    dob: date | None,
    other_first: str,
    other_last: str,
    other_dob: date | None,
    *,
    same_name_count: int = 1,
) -> Score:
    """How two recorded adults compare. `same_name_count`: how many candidate people carry
    exactly the other's first and last names (1 when only this one does)."""
    dl = dob_level(dob, other_dob)
    as_recorded = _reading(first, last, other_first, other_last, dl, same_name_count)
    swapped = _reading(first, last, other_last, other_first, dl, same_name_count)
    names_swapped = swapped[0] - SWAP_PENALTY > as_recorded[0]
    weight, fl, ll = (swapped[0] - SWAP_PENALTY, *swapped[1:]) if names_swapped else as_recorded
    agreeing = sum(level in _AGREEING for level in (fl, ll, dl))
    twin = (
        dl == Level.EXACT
        and fl == Level.DIFFERENT
        and ll in (Level.EXACT, Level.REORDERED, Level.PHONETIC, Level.SIMILAR)
    )
    differing = sum(level in (Level.DIFFERENT, Level.CHANGED) for level in (fl, ll, dl))
    band = _band(weight, twin) if agreeing >= 2 or (agreeing and not differing) else None
    reasons = [_FIRST_TEXT[fl], _LAST_TEXT[ll], _DOB_TEXT[dl]]
    if names_swapped:
        reasons.insert(0, SWAPPED_NAMES)
    if twin:
        reasons.append(TWIN)
    return Score(round(weight, 2), band, fl, ll, dl, names_swapped, tuple(reasons))
