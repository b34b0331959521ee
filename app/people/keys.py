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
- `f`: sound of the first name (its formal names) + year of birth + first letter of the surname
  (each part): despite a mistyped surname.
- `p`: sound of the surname (each part) + first two letters of the first name, and `q`: sound
  of the first name + first two letters of the surname (each part): a misspelt name when the
  date of birth is unknown on either side. A person whose date of birth is known files them in
  upper case (`P`, `Q`), looked up only by a check without a date of birth: the blocks of common
  names (every "Ja..." Smith) then stay out of the usual check, which has one.

Measured on FEBRL4 (bench/person_check.py): these keys find 97.1% of the true pairs (nearly all
those the scoring can show) with under two candidates per check; at a million synthetic people
a check reads a median of about a hundred candidate rows.

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


def _dated_keys(first: str | None, last: str | None, dob: date | None) -> set[str]:
    keys: set[str] = set()
    year = f"{dob.year:04d}" if dob else ""
    if dob is not None:
        keys.add("d" + year + "".join(sorted((f"{dob.month:02d}", f"{dob.day:02d}"))))
    surnames = surname_forms(last)
    first_sounds = {sound(n) for n in name_group(first or "")} - {""}
    for ls in {sound(s) for s in surnames} - {""}:
        keys.update(f"n{ls}|{fs}" for fs in first_sounds)
        if year:
            keys.add(f"s{ls}|{year}")
    if year:
        keys.update(f"f{fs}|{year}|{s[0]}" for fs in first_sounds for s in surnames)
    return keys


def _spelling_keys(first: str | None, last: str | None) -> set[str]:
    """The `p` and `q` keys, without their kind (the caller says whose date of birth is known)."""
    surnames = surname_forms(last)
    first_letters, first_sound = compact(first), sound(first or "")
    keys = {f"p{sound(s)}|{first_letters[:2]}" for s in surnames if first_letters and sound(s)}
    if first_sound:
        keys.update(f"q{first_sound}|{s[:2]}" for s in surnames)
    return keys


def person_keys(first: str | None, last: str | None, dob: date | None) -> set[str]:
    """Every key a person with these details is filed under (empty when nothing is known). The
    spelling keys (`p`, `q`) of a person whose date of birth is known are filed in upper case
    (`P`, `Q`): only a check without a date of birth looks them up, so the blocks of common
    names stay small for the usual check, which has one (the `d`, `s` and `f` keys cover it)."""
    spelling = _spelling_keys(first, last)
    if dob is not None:
        spelling = {k[0].upper() + k[1:] for k in spelling}
    return {k[:KEY_LENGTH] for k in _dated_keys(first, last, dob) | spelling}


def lookup_keys(first: str | None, last: str | None, dob: date | None) -> set[str]:
    """The keys to look up for a check: those of the names as given and the other way round."""
    if not normalise(first) and not normalise(last) and dob is None:
        return set()
    keys: set[str] = set()
    for f, la in ((first, last), (last, first)):
        spelling = _spelling_keys(f, la)
        keys |= _dated_keys(f, la, dob) | spelling
        if dob is None:
            keys |= {k[0].upper() + k[1:] for k in spelling}
    return {k[:KEY_LENGTH] for k in keys}
