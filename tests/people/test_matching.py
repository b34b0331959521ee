"""The person check's reading of names and its scoring: levels per field, bands, reasons."""

from datetime import date

import pytest

from app.people.keys import lookup_keys, person_keys
from app.people.matching import Band, Level, dob_level, first_name_level, score, surname_level
from app.people.names import compact, name_group, nickname_equivalent, normalise, parts, sound

DOB = date(1985, 2, 14)


class TestNames:
    def test_normalise_drops_accents_and_apostrophes(self):
        assert normalise("Zoë") == "ZOE" and normalise("O'Neill") == "ONEILL"
        assert normalise(" josé  ") == "JOSE"
        assert compact("Ann-Marie O Neill") == "ANNMARIEONEILL" and compact("  -' ") == ""
        assert compact("Testperson12") == "TESTPERSON"

    def test_parts_of_a_multi_part_surname(self):
        assert parts("Brown-Davies") == ("BROWN", "DAVIES") and parts("Lloyd George") == ("LLOYD", "GEORGE")
        assert parts("Smith") == ("SMITH",)

    @pytest.mark.parametrize(
        "a,b",
        [
            ("Smith", "Smyth"),
            ("Catherine", "Kathryn"),
            ("Stephen", "Steven"),
            ("Philips", "Fillips"),
            ("Knight", "Night"),
            ("Zoë", "Zoe"),
        ],
    )
    def test_names_that_sound_alike(self, a, b):
        assert sound(a) == sound(b) != ""

    @pytest.mark.parametrize(
        "a,b",
        [
            ("Bill", "William"),
            ("William", "Bill"),
            ("Peggy", "Margaret"),
            ("Bill", "Will"),
            ("Liz", "Elizabeth"),
        ],
    )
    def test_nickname_groups_work_both_ways(self, a, b):
        assert nickname_equivalent(a, b) and nickname_equivalent(b, a)

    def test_unrelated_first_names_are_not_nicknames(self):
        assert not nickname_equivalent("John", "Mary") and not nickname_equivalent("Bill", "Bill")
        assert "WILLIAM" in name_group("Bill")


class TestLevels:
    @pytest.mark.parametrize(
        "a,b,level",
        [
            ("Alex", "ALEX", Level.EXACT),
            ("Bill", "William", Level.NICKNAME),
            ("Catherine", "Kathryn", Level.PHONETIC),
            ("Oliver", "Olivet", Level.SIMILAR),
            ("J", "John", Level.INITIAL),
            ("Jane", "John", Level.DIFFERENT),
            ("", "John", Level.UNKNOWN),
        ],
    )
    def test_first_name(self, a, b, level):
        assert first_name_level(a, b) == level

    @pytest.mark.parametrize(
        "a,b,level",
        [
            ("Smith", "smith", Level.EXACT),
            ("Brown-Davies", "Davies-Brown", Level.REORDERED),
            ("Smith", "Smyth", Level.PHONETIC),
            ("Testperson", "Testperspn", Level.SIMILAR),
            ("Brown-Davies", "Davies", Level.SHARED_PART),
            ("Smith", "Jones", Level.DIFFERENT),
            ("O'Neill", "ONeill", Level.EXACT),
            ("Smith", "", Level.UNKNOWN),
        ],
    )
    def test_surname(self, a, b, level):
        assert surname_level(a, b) == level

    @pytest.mark.parametrize(
        "other,level",
        [
            (DOB, Level.EXACT),
            (date(1985, 2, 15), Level.ONE_EDIT),
            (date(1958, 2, 14), Level.ONE_EDIT),
            (date(1985, 2, 28), Level.SAME_MONTH),
            (date(1990, 6, 1), Level.DIFFERENT),
            (None, Level.UNKNOWN),
        ],
    )
    def test_date_of_birth(self, other, level):
        assert dob_level(DOB, other) == level

    def test_day_and_month_swapped(self):
        assert dob_level(date(1985, 2, 11), date(1985, 11, 2)) == Level.SWAPPED


class TestScore:
    def test_the_same_adult_is_strong(self):
        s = score("Alex", "Testperson", DOB, "Alex", "Testperson", DOB)
        assert s.band == Band.STRONG
        assert s.reasons == ("same first name", "same surname", "same date of birth")

    def test_a_missing_field_is_neutral(self):
        s = score("Alex", "Testperson", None, "", "Testperson", DOB)
        assert s.first == Level.UNKNOWN and s.dob == Level.UNKNOWN and s.band is None  # surname alone
        with_dob = score("", "Testperson", DOB, "Alex", "Testperson", DOB)
        assert with_dob.band == Band.STRONG and "first name not known for both" in with_dob.reasons

    def test_a_typo_in_the_date_of_birth_does_not_veto(self):
        s = score("Alex", "Testperson", DOB, "Alex", "Testperson", date(1985, 2, 41 - 27))
        assert s.band == Band.STRONG
        typo = score("Alex", "Testperson", DOB, "Alex", "Testperson", date(1985, 2, 24))
        assert typo.dob == Level.ONE_EDIT and typo.band == Band.POSSIBLE

    def test_names_the_other_way_round(self):
        s = score("Alex", "Testperson", DOB, "Testperson", "Alex", DOB)
        assert s.names_swapped and s.band == Band.STRONG
        assert s.reasons[0] == "first and last names recorded the other way round"

    def test_a_surname_changed_by_marriage_is_possible(self):
        s = score("Georgia", "Maynard", DOB, "Georgia", "Petersen", DOB)
        assert s.last == Level.CHANGED and s.band == Band.POSSIBLE
        assert "different surname (could have changed, e.g. by marriage)" in s.reasons

    def test_twins_are_shown_with_that_reason_never_strong(self):
        s = score("Jane", "Smith", DOB, "Mary", "Smith", DOB)
        assert s.possible_twin and s.band == Band.POSSIBLE
        twin = "same surname and date of birth, different first name: could be a twin or sibling"
        assert (twin, True) in s.explained

    def test_double_barrelled_surnames_in_either_order(self):
        assert score("Sam", "Brown-Davies", DOB, "Sam", "Davies-Brown", DOB).band == Band.STRONG
        assert score("Sam", "Brown-Davies", None, "Sam", "Davies", None).last == Level.SHARED_PART

    def test_nickname_matches(self):
        s = score("Bill", "Testperson", DOB, "William", "Testperson", DOB)
        assert s.first == Level.NICKNAME and s.band == Band.STRONG
        assert score("Bill", "Testperson", DOB, "William", "Testperson", None).band == Band.WEAK

    def test_a_common_name_says_less(self):
        alone = score("Alex", "Testperson", DOB, "Alex", "Testperson", date(1990, 6, 1))
        common = score("Alex", "Testperson", DOB, "Alex", "Testperson", date(1990, 6, 1), same_name_count=3)
        assert alone.band == Band.WEAK and common.band is None and common.weight < alone.weight

    def test_a_date_of_birth_alone_is_not_a_match(self):
        assert score("Alex", "Testperson", DOB, "Sam", "Brown", DOB).band is None
        common = score("Alex", "Testperson", DOB, "Alex", "Testperson", date(1990, 6, 1), same_name_count=2)
        assert common.band is None


class TestKeys:
    """Two records of one adult share a key however they were written (what the SQL needs)."""

    @pytest.mark.parametrize(
        "stored,checked",
        [
            (("Alex", "Testperson", DOB), ("Alex", "Tesstperson", None)),
            (("Alex", "Testperson", DOB), ("Testperson", "Alex", None)),
            (("William", "Testperson", None), ("Bill", "Testperson", None)),
            (("Bill", "Testperson", None), ("William", "Testperson", None)),
            (("Sam", "Brown-Davies", None), ("Sam", "Davies-Brown", None)),
            (("Sam", "Brown-Davies", None), ("Sam", "Davies", None)),
            (("Georgia", "Maynard", DOB), ("Georgia", "Petersen", DOB)),
            (("Alex", "Testperson", date(1985, 2, 11)), ("Alex", "Testperson", date(1985, 11, 2))),
            (("Alex", "Testperson", DOB), ("Alex", "Testperson", date(1985, 2, 24))),
            (("Zoë", "O'Neill", DOB), ("Zoe", "ONeill", None)),
            (("Jonathan", "Testperson", None), ("Jonahtan", "Testperson", None)),
        ],
    )
    def test_variations_share_a_key(self, stored, checked):
        assert person_keys(*stored) & lookup_keys(*checked)

    def test_spelling_keys_of_people_with_a_date_of_birth_serve_checks_without_one(self):
        stored = person_keys("Michael", "Richmond", date(1965, 8, 31))  # "Michadl" sounds otherwise
        assert stored & lookup_keys("Michadl", "Richmond", None)
        assert not stored & lookup_keys("Michadl", "Richmond", date(1990, 1, 1))  # blocks stay small
        assert person_keys("Michael", "Richmond", None) & lookup_keys("Michadl", "Richmond", date(1990, 1, 1))

    def test_nothing_known_gives_no_keys(self):
        assert person_keys("", "", None) == set() == lookup_keys(" ", "-", None)
        assert all(len(k) <= 24 for k in person_keys("Bartholomew-Featherstonehaugh", "Christopherson", DOB))
