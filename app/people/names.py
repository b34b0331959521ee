"""How names are read for the person check: normalised spelling, the parts of a multi-part
surname, the sound of a name (jellyfish's Metaphone) and nickname groups (the `nicknames`
package's hand-curated list, used in both directions).

Shared by the scoring (app.people.matching) and the candidate keys (app.people.keys), so a
name is read the same way when it is stored and when it is looked up.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

import jellyfish
from nicknames import NickNamer

#: Stored sounds are cut to this many symbols (Metaphone codes of long names keep their start).
SOUND_LENGTH = 8
#: Parts of a multi-part surname shorter than this are particles or initials, not a surname.
MIN_PART = 2


@lru_cache(maxsize=100_000)
def normalise(name: str | None) -> str:
    """Upper-case ASCII letters, spaces and hyphens: accents dropped ("Zoë" -> "ZOE"),
    apostrophes and other marks removed ("O'Neill" -> "ONEILL"), runs of spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    kept = "".join(
        ch if ("A" <= ch <= "Z" or ch in " -") else ("" if ch.isalpha() or ch in "'’`.," else " ")
        for ch in decomposed.upper()
        if not unicodedata.combining(ch)
    )
    return re.sub(r"\s+", " ", kept).strip(" -")


@lru_cache(maxsize=100_000)
def compact(name: str | None) -> str:
    """The name's letters only: "Brown-Davies" -> "BROWNDAVIES", "O Neill" -> "ONEILL"."""
    return re.sub(r"[^A-Z]", "", normalise(name))


@lru_cache(maxsize=100_000)
def parts(name: str | None) -> tuple[str, ...]:
    """The parts of a multi-part name ("Brown-Davies", "Lloyd George"), in the order written."""
    return tuple(p for p in re.split(r"[ -]+", normalise(name)) if len(p) >= MIN_PART)


def surname_forms(name: str | None) -> set[str]:
    """The whole surname and each part of it: a double-barrelled surname is found under either
    part, whichever order it was written in."""
    forms = {compact(name), *parts(name)}
    forms.discard("")
    return forms


@lru_cache(maxsize=50_000)
def sound(name: str) -> str:
    """The Metaphone code of a name's letters ("" for no letters): "Smith" and "Smyth",
    "Catherine" and "Kathryn", "Stephen" and "Steven" sound the same."""
    letters = compact(name)
    return jellyfish.metaphone(letters)[:SOUND_LENGTH] if letters else ""


@lru_cache(maxsize=1)
def _namer() -> NickNamer:
    return NickNamer()  # reads the package's own CSV: no network


@lru_cache(maxsize=50_000)
def name_group(first: str) -> frozenset[str]:
    """The first name and the formal names it is a nickname of ("BILL" -> BILL, WILLIAM,
    ROBERT, ...), upper case. Two first names whose groups meet are nickname equivalent."""
    letters = compact(first)
    if not letters:
        return frozenset()
    formal = {compact(n) for n in _namer().canonicals_of(letters.lower())}
    return frozenset({letters, *formal} - {""})


@lru_cache(maxsize=50_000)
def nicknames_of(first: str) -> frozenset[str]:
    letters = compact(first)
    return frozenset(compact(n) for n in _namer().nicknames_of(letters.lower())) if letters else frozenset()


def nickname_equivalent(a: str, b: str) -> bool:
    """One is a nickname of the other ("Bill"/"William", either way round), or both are
    nicknames of one formal name ("Bill"/"Will")."""
    ca, cb = compact(a), compact(b)
    if not ca or not cb or ca == cb:
        return False
    return cb in nicknames_of(ca) or ca in nicknames_of(cb) or bool(name_group(ca) & name_group(cb))


def dob_text(dob: date | None) -> str:
    """YYYYMMDD, or "" when unknown: dates are compared digit by digit, as they are typed."""
    return dob.strftime("%Y%m%d") if dob else ""
