"""Name matching for the person check: a phonetic key (stored on Person, indexed, to find
candidates in SQL) and a similarity score (computed in Python on those few candidates).

The key is a small Metaphone-like code: letters that sound alike map to one symbol, vowels after
the first letter are dropped and repeats collapse, so "Smith"/"Smyth", "Catherine"/"Kathryn",
"Philips"/"Fillips" share a key. The score is Jaro-Winkler on the normalised names, taking the
better of the two name orders (first/last swapped is a common recording slip), nudged by the
phonetic keys and decided by the date of birth where both are known.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

KEY_LENGTH = 8
#: A candidate scoring at least this much is shown as a possible match.
MATCH_THRESHOLD = 0.80

_VOWELS = set("AEIOUY")


def normalise(name: str) -> str:
    """Upper-case ASCII letters only: accents stripped, hyphens, apostrophes and spaces removed."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed.upper() if "A" <= ch <= "Z")


#: Leading letter groups that are written but not said, or said as another letter.
_INITIAL = (("KN", "N"), ("GN", "N"), ("PN", "N"), ("WR", "R"), ("PS", "S"), ("WH", "W"), ("X", "S"))
#: Letter groups anywhere in the name, longest first.
_GROUPS = (("TCH", "C"), ("SCH", "SK"), ("PH", "F"), ("TH", "T"), ("SH", "X"), ("CH", "X"), ("CK", "K"),
           ("GH", ""), ("DG", "J"), ("QU", "K"))
_LETTERS = {"C": "K", "Q": "K", "Z": "S", "V": "F", "G": "K", "X": "KS", "D": "T", "B": "P"}
#: C and G are soft before these letters ("Cecil", "Gemma").
_SOFTENING = set("EIY")


def phonetic_key(name: str) -> str:
    """A spelling-tolerant key: equal keys are candidate matches. Empty for a name with no letters."""
    s = normalise(name)
    if not s:
        return ""
    for written, said in _INITIAL:
        if s.startswith(written):
            s = said + s[len(written):]
            break
    out: list[str] = []
    i = 0
    while i < len(s):
        for written, said in _GROUPS:
            if s.startswith(written, i):
                out.append(said)
                i += len(written)
                break
        else:
            ch = s[i]
            if ch in _VOWELS or ch in "HW":
                # Vowels (and silent H/W) count only at the start, as one symbol.
                out.append("A" if i == 0 else "")
            elif ch in "CG" and i + 1 < len(s) and s[i + 1] in _SOFTENING:
                out.append("S" if ch == "C" else "J")
            else:
                out.append(_LETTERS.get(ch, ch))
            i += 1
    key: list[str] = []
    for ch in "".join(out):
        if not key or key[-1] != ch:
            key.append(ch)
    return "".join(key)[:KEY_LENGTH]


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity in [0, 1] (1 for equal strings; prefix weight 0.1, up to 4 letters)."""
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b:
        return 0.0
    window = max(0, max(len(a), len(b)) // 2 - 1)
    a_hit = [False] * len(a)
    b_hit = [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_hit[j] and b[j] == ch:
                a_hit[i] = b_hit[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    a_seq = [ch for ch, hit in zip(a, a_hit) if hit]
    b_seq = [ch for ch, hit in zip(b, b_hit) if hit]
    transpositions = sum(x != y for x, y in zip(a_seq, b_seq)) / 2
    jaro = (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def _similarity(a: str, b: str) -> float:
    """Spelling similarity of one name, lifted to 0.9 when the names sound alike and are already
    close in spelling ("Catherine"/"Kathryn"; not "Jane"/"John", which share a key)."""
    na, nb = normalise(a), normalise(b)
    value = jaro_winkler(na, nb)
    if na and value >= 0.75 and phonetic_key(na) == phonetic_key(nb):
        value = max(value, 0.9)
    return value


def _first_similarity(a: str, b: str) -> float:
    """As _similarity, and an initial or a shortened first name ("Al"/"Alexander") counts as close."""
    na, nb = normalise(a), normalise(b)
    if na and nb and (na.startswith(nb) or nb.startswith(na)):
        return max(0.9, _similarity(a, b))
    return _similarity(a, b)


#: Each name must be at least this similar on its own for the pair to count as a name match.
NAME_FLOOR = 0.8


@dataclass(frozen=True)
class Score:
    value: float  # 0..1
    reasons: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    @property
    def is_match(self) -> bool:
        return self.value >= MATCH_THRESHOLD


def _names(first: str, last: str, other_first: str, other_last: str) -> tuple[float, bool]:
    last_sim, first_sim = _similarity(last, other_last), _first_similarity(first, other_first)
    value = 0.6 * last_sim + 0.4 * first_sim
    if last_sim < NAME_FLOOR or first_sim < NAME_FLOOR:
        value = min(value, MATCH_THRESHOLD - 0.01)
    return value, last_sim >= NAME_FLOOR and first_sim >= NAME_FLOOR


def score(first: str, last: str, dob: date | None, other_first: str, other_last: str, other_dob: date | None) -> Score:
    """How likely two recorded adults are the same person.

    Names count 60% surname, 40% first name, in the better of the two orders, and each must be
    close on its own (same surname with another first name is not a name match). Dates of birth,
    when both are known, decide strongly: the same date adds (so same surname and date of birth
    is shown even with another first name), a different one keeps the pair below the threshold
    unless only day and month are swapped (a common slip)."""
    reasons: list[str] = []
    value, _ = _names(first, last, other_first, other_last)
    swapped, swapped_ok = _names(first, last, other_last, other_first)
    if swapped_ok and swapped > value + 0.05:
        value = swapped - 0.03  # a swap is a little less sure than the names as recorded
        reasons.append("first and last names swapped")
    if normalise(last) == normalise(other_last):
        reasons.append("same surname")
    elif normalise(last) and phonetic_key(last) == phonetic_key(other_last):
        reasons.append("surname sounds the same")
    if dob is not None and other_dob is not None:
        if dob == other_dob:
            value = min(1.0, value + 0.15)
            reasons.append("same date of birth")
        elif (dob.year, dob.month, dob.day) == (other_dob.year, other_dob.day, other_dob.month):
            value = min(1.0, value + 0.05)
            reasons.append("date of birth with day and month swapped")
        else:
            value = min(value, MATCH_THRESHOLD - 0.01) * 0.9
            reasons.append("different date of birth")
    else:
        reasons.append("date of birth not known for both")
    return Score(round(min(1.0, max(0.0, value)), 3), tuple(reasons))
