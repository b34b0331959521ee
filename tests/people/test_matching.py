"""Name matching: the phonetic key, Jaro-Winkler and the combined score."""

from datetime import date

import pytest

from app.people.matching import MATCH_THRESHOLD, jaro_winkler, normalise, phonetic_key, score

DOB = date(1985, 2, 14)


class TestPhoneticKey:
    @pytest.mark.parametrize("a,b", [
        ("Smith", "Smyth"), ("Catherine", "Kathryn"), ("Philips", "Fillips"), ("Jonathan", "Jonathon"),
        ("Testperson", "Testpersson"), ("McDonald", "MacDonald"), ("Stephen", "Steven"), ("Knight", "Night"),
        ("Wright", "Right"), ("O'Neill", "ONeil"), ("Zoë", "Zoe"), ("Gemma", "Jemma"), ("Cecil", "Sesil"),
    ])
    def test_names_that_sound_alike_share_a_key(self, a, b):
        assert phonetic_key(a) == phonetic_key(b) != ""

    @pytest.mark.parametrize("a,b", [("Brown", "Green"), ("Smith", "Jones"), ("Patel", "Peters")])
    def test_different_names_do_not(self, a, b):
        assert phonetic_key(a) != phonetic_key(b)

    def test_no_letters_gives_an_empty_key(self):
        assert phonetic_key("  -' ") == "" and normalise("Ann-Marie O'Neill") == "ANNMARIEONEILL"


class TestJaroWinkler:
    def test_known_values(self):
        assert jaro_winkler("MARTHA", "MARHTA") == pytest.approx(0.961, abs=0.001)
        assert jaro_winkler("DWAYNE", "DUANE") == pytest.approx(0.84, abs=0.001)
        assert jaro_winkler("DIXON", "DICKSONX") == pytest.approx(0.813, abs=0.001)
        assert jaro_winkler("ABC", "ABC") == 1.0 and jaro_winkler("", "ABC") == 0.0 and jaro_winkler("ABC", "XYZ") == 0.0


class TestScore:
    def test_a_different_spelling_of_the_surname_matches(self):
        s = score("Alex", "Testperson", DOB, "Alex", "Tesstperson", None)
        assert s.is_match and "surname sounds the same" in s.reasons

    def test_same_date_of_birth_raises_the_score(self):
        without = score("Alex", "Testperson", None, "Alex", "Testpersen", None)
        with_dob = score("Alex", "Testperson", DOB, "Alex", "Testpersen", DOB)
        assert with_dob.value > without.value and "same date of birth" in with_dob.reasons

    def test_different_date_of_birth_is_not_a_match(self):
        s = score("Alex", "Testperson", DOB, "Alex", "Testperson", date(1990, 6, 1))
        assert not s.is_match and "different date of birth" in s.reasons

    def test_day_and_month_swapped_still_matches(self):
        assert score("Alex", "Testperson", date(1985, 2, 11), "Alex", "Testperson", date(1985, 11, 2)).is_match

    def test_names_the_other_way_round_match(self):
        s = score("Alex", "Testperson", None, "Testperson", "Alex", None)
        assert s.is_match and "first and last names swapped" in s.reasons

    def test_same_surname_with_another_first_name_is_not_a_match(self):
        assert not score("Jane", "Smith", None, "John", "Smith", None).is_match
        assert not score("Jane", "Smith", None, "Mary", "Smith", None).is_match

    def test_same_surname_and_date_of_birth_is_shown_even_with_another_first_name(self):
        assert score("Jane", "Smith", DOB, "Mary", "Smith", DOB).is_match

    def test_a_shortened_first_name_matches(self):
        assert score("Jon", "Smith", None, "Jonathan", "Smith", None).is_match

    def test_unrelated_people_score_low(self):
        assert score("Alex", "Testperson", DOB, "Sam", "Brown", DOB).value < MATCH_THRESHOLD
