"""Candidate keys: the strings under which a person is filed in `person_keys`, so that the
person check finds candidates with one indexed lookup instead of reading every person.

A person is filed under several keys; two records that may be the same adult share at least one
of them, however the name was written:

- `d`: year of birth + day and month in either order. Finds the adult whatever the spelling of
  either name, with a surname changed by marriage, a twin; day and month swapped.
- `n`: sound of the surname (and of each of its parts) + sound of the first name (and of each
  formal name it is a nickname of). Finds despite an unknown or mistyped date of birth,
  nicknames, double-barrelled surnames in either order or only one part of them.
- `s`: sound of the surname (each part) + year of birth: despite an unknown or another first name.
- `f`: sound of the first name (its formal names) + year of birth: despite a changed or
  mistyped surname.
- `p`: sound of the surname (each part) + first two letters of the first name: a misspelt
  first name when the date of birth is unknown.
- `q`: sound of the first name + first two letters of the surname (each part): a misspelt
  surname when the date of birth is unknown.

A lookup uses the keys of the names as given and of the names the other way round (first and
last swapped), so a swapped record needs no keys of its own. Sounds are jellyfish's Metaphone
(app.people.names). Keys are recomputed whenever a person's names or date of birth change
(app.people.models, and the CSV importer for the rows it writes in bulk) and by migration 0006
for the people already held; a change to this scheme needs a migration that recomputes them.
"""

from __future__ import annotations

from datetime import date

from app.people.names import compact, name_group, normalise, sound, surname_forms

KEY_LENGTH = 24


def person_keys(first: str | None, last: str | None, dob: date | None) -> set[str]:
    """Every key a person with these details is filed under (empty when nothing is known)."""
    keys: set[str] = set()
    year = f"{dob.year:04d}" if dob else ""
    if dob is not None:
        day_month = sorted((f"{dob.month:02d}", f"{dob.day:02d}"))
        keys.add("d" + year + "".join(day_month))
    surnames = surname_forms(last)
    surname_sounds = {sound(s) for s in surnames} - {""}
    first_letters = compact(first)
    first_sound = sound(first or "")
    first_sounds = {sound(n) for n in name_group(first or "")} - {""}
    for ls in surname_sounds:
        for fs in first_sounds:
            keys.add(f"n{ls}|{fs}")
        if year:
            keys.add(f"s{ls}|{year}")
        if first_letters:
            keys.add(f"p{ls}|{first_letters[:2]}")
    for fs in first_sounds:
        if year:
            keys.add(f"f{fs}|{year}")
    if first_sound:
        for s in surnames:
            keys.add(f"q{first_sound}|{s[:2]}")
    return {k[:KEY_LENGTH] for k in keys}


def lookup_keys(first: str | None, last: str | None, dob: date | None) -> set[str]:
    """The keys to look up for a check: those of the names as given and the other way round."""
    if not normalise(first) and not normalise(last) and dob is None:
        return set()
    return person_keys(first, last, dob) | person_keys(last, first, dob)
