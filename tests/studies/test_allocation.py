"""Allocation: reproducible from the seed, balanced as specified, repeats spaced, extras marked."""
from collections import Counter

import pytest

from studies.allocation import CROSSED, SUBSETS, TWO_AFC, AllocationError, Plan, PoolItem, allocate


def _pool(n_real=30, n_synthetic=30, findings=("nodule", "none")):
    return ([PoolItem(f"r{i:03d}", "real", findings[i % len(findings)]) for i in range(n_real)]
            + [PoolItem(f"s{i:03d}", "synthetic", findings[i % len(findings)]) for i in range(n_synthetic)])


def _keys(sequence):
    return [t.items for t in sequence]


def test_the_same_seed_gives_the_same_allocation_whatever_the_pool_order():
    plan = Plan(reader_slots=4, repeat_share=0.1, catch_trials=2)
    pool = _pool() + [PoolItem("c1", "synthetic", role="catch")]
    first = allocate(pool, plan, seed=1234)
    again = allocate(list(reversed(pool)), plan, seed=1234)
    assert first == again
    assert allocate(pool, plan, seed=1235) != first


def test_fully_crossed_gives_every_reader_every_image_in_an_own_order():
    sequences = allocate(_pool(), Plan(reader_slots=3, mode=CROSSED), seed=7)
    everything = sorted((k,) for k in [i.key for i in _pool()])
    for sequence in sequences:
        assert sorted(_keys(sequence)) == everything
    assert len({tuple(_keys(s)) for s in sequences}) == 3  # three different orders


def test_balanced_subsets_keep_the_ratio_and_the_minimum_reads():
    pool = _pool(n_real=40, n_synthetic=20)
    plan = Plan(reader_slots=7, mode=SUBSETS, per_reader=20, synthetic_share=0.3, min_reads=2)
    sequences = allocate(pool, plan, seed=99)
    reads = Counter()
    for sequence in sequences:
        keys = [t.items[0] for t in sequence]
        assert len(keys) == len(set(keys)) == 20
        synthetic = sum(k.startswith("s") for k in keys)
        assert abs(synthetic - 20 * 0.3) <= 1
        reads.update(keys)
    assert set(reads) == {i.key for i in pool}
    for prefix in ("r", "s"):
        counts = [c for k, c in reads.items() if k.startswith(prefix)]
        assert min(counts) >= 2 and max(counts) - min(counts) <= 1


def test_subsets_too_small_to_cover_the_pool_are_refused_with_the_reason():
    with pytest.raises(AllocationError, match="read at least 3 times"):
        allocate(_pool(), Plan(reader_slots=2, mode=SUBSETS, per_reader=20, min_reads=3), seed=1)


def test_repeats_come_at_least_the_gap_after_their_first_showing():
    plan = Plan(reader_slots=5, repeat_share=0.2, repeat_gap=20)
    for sequence in allocate(_pool(), plan, seed=3):
        repeats = [(i, t) for i, t in enumerate(sequence) if t.kind == "repeat"]
        assert len(repeats) == round(0.2 * 60)
        for position, trial in repeats:
            first = sequence[trial.repeat_of]
            assert first.kind == "main" and first.items == trial.items
            assert position - trial.repeat_of >= 20
        assert len({t.repeat_of for _, t in repeats}) == len(repeats)


def test_repeats_that_cannot_keep_the_gap_are_refused():
    with pytest.raises(AllocationError, match="do not fit"):
        allocate(_pool(10, 10), Plan(repeat_share=0.5, repeat_gap=20), seed=3)


def test_calibration_comes_first_and_catch_trials_are_marked_out_of_analysis():
    pool = _pool(10, 10) + [PoolItem("cal-r", "real", role="calibration"), PoolItem("cal-s", "synthetic", role="calibration"),
                            PoolItem("catch", "synthetic", role="catch")]
    sequence = allocate(pool, Plan(calibration_trials=4, catch_trials=3, repeat_share=0.1, repeat_gap=5), seed=5)[0]
    assert [t.kind for t in sequence[:4]] == ["calibration"] * 4
    assert {t.items[0] for t in sequence[:4]} <= {"cal-r", "cal-s"}
    assert sum(t.kind == "catch" for t in sequence) == 3
    assert [t for t in sequence if not t.counts_in_analysis] == [t for t in sequence if t.kind in ("catch", "calibration")]
    for i, t in enumerate(sequence):  # catch trials inserted after repeats still leave the gap intact
        if t.kind == "repeat":
            assert sequence[t.repeat_of].items == t.items and i - t.repeat_of >= 5


def test_sessions_hold_at_most_the_chosen_number_of_trials():
    sequence = allocate(_pool(), Plan(session_size=25), seed=2)[0]
    sizes = Counter(t.session for t in sequence)
    assert sizes == {1: 25, 2: 25, 3: 10}


def test_two_afc_pairs_match_findings_and_counterbalance_sides():
    pool = _pool(20, 20)
    truth = {i.key: i for i in pool}
    sequences = allocate(pool, Plan(design=TWO_AFC, reader_slots=2), seed=11)
    for slot, sequence in enumerate(sequences):
        assert len(sequence) == 20
        real_left = 0
        for t in sequence:
            left, right = (truth[k] for k in t.items)
            assert {left.truth, right.truth} == {"real", "synthetic"} and left.finding == right.finding
            real_left += left.truth == "real"
        assert abs(real_left - 10) <= 1
    # The same pair sits on opposite sides for the two readers.
    sides = [{frozenset(t.items): t.items for t in s} for s in sequences]
    assert all(sides[0][pair] != sides[1][pair] for pair in sides[0])


def test_an_image_listed_twice_is_refused():
    with pytest.raises(AllocationError, match="twice"):
        allocate([PoolItem("a", "real"), PoolItem("a", "synthetic")], Plan(), seed=1)
