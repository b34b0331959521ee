"""A small copy of bench/person_check.py's accuracy benchmark, on the vendored synthetic sample
tests/people/data/person_check_sample.csv (written by `bench/person_check.py write-sample`: a
FEBRL-like set of corrupted duplicates and each safeguarding variation among similar-name
distractors; nobody in it is a real person). It runs the product's own find_matches on the
test database and asserts the floors."""

from bench.person_accuracy import read_sample, run_checks, store

#: Floors. FEBRL4 itself (bench only) gives recall 0.956 at precision 0.986: 3.1% of its true
#: links agree on at most one of the three fields, so no method reaches 0.98 at 0.95 there.
FEBRL_LIKE_RECALL, FEBRL_LIKE_PRECISION = 0.95, 0.95
VARIATION_RECALL = 0.95


def test_recall_and_precision_floors(db):
    stored, checks = read_sample()
    tallies = run_checks(db, checks, store(db, stored))
    febrl = tallies.pop("febrl-like")
    assert febrl.recall >= FEBRL_LIKE_RECALL, febrl.recall
    assert febrl.precision >= FEBRL_LIKE_PRECISION, febrl.precision
    assert len(tallies) == 14
    low = {name: t.recall for name, t in tallies.items() if t.recall < VARIATION_RECALL}
    assert low == {}
