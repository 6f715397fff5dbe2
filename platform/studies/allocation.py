"""Who reads what, in which order: a study's allocation, pure and reproducible from its seed.

No Django here: the study stores the seed and the plan, and `allocate` rebuilds every reader's
sequence from them, so an allocation can be audited (and tested) years later.

Readers take *slots*: slot i's sequence depends only on (seed, plan, pool, i), so a reader who
joins late gets exactly the sequence that slot always had.

- Fully crossed (default): every slot reads every main item (MRMC analysis needs it), each in its
  own order.
- Balanced subsets: each slot reads `per_reader` items with the target synthetic share (±1), and
  every item is read by `min_reads` slots or more; read counts differ by at most one within a class.
- Repeats: a share of a slot's main trials is shown again at least `repeat_gap` positions later,
  for intra-reader consistency.
- Catch trials (attention checks) are mixed in; a calibration block (with feedback) comes first.
  Both are marked so analysis leaves them out.
- Sessions: the sequence after calibration is cut into sessions of at most `session_size` trials.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

Truth = Literal["real", "synthetic"]
ItemRole = Literal["main", "catch", "calibration"]
TrialKind = Literal["main", "repeat", "catch", "calibration"]

SINGLE, TWO_AFC = "single", "2afc"
CROSSED, SUBSETS = "crossed", "subsets"


class AllocationError(ValueError):
    """The plan cannot be met with this pool and these readers; the message says why in one sentence."""


@dataclass(frozen=True)
class PoolItem:
    key: str
    truth: Truth
    finding: str = ""
    role: ItemRole = "main"


@dataclass(frozen=True)
class Plan:
    design: str = SINGLE
    mode: str = CROSSED
    reader_slots: int = 1
    per_reader: int | None = None  # subsets only: main trials per reader
    min_reads: int = 1  # subsets only: every main item read by at least this many slots
    synthetic_share: float = 0.5  # subsets only: target share of synthetic items per reader
    repeat_share: float = 0.0
    repeat_gap: int = 20
    catch_trials: int = 0
    calibration_trials: int = 0
    session_size: int | None = None


@dataclass(frozen=True)
class Trial:
    """One thing a reader rates: one item (single) or (left, right) items (2-AFC)."""

    items: tuple[str, ...]
    kind: TrialKind
    session: int = 1
    repeat_of: int | None = None  # position of the first showing, for repeats

    @property
    def counts_in_analysis(self) -> bool:
        return self.kind in ("main", "repeat")


@dataclass
class _Pools:
    real: list[PoolItem] = field(default_factory=list)
    synthetic: list[PoolItem] = field(default_factory=list)
    catch: list[PoolItem] = field(default_factory=list)
    calibration: list[PoolItem] = field(default_factory=list)


def _split(pool: list[PoolItem]) -> _Pools:
    pools = _Pools()
    keys = [item.key for item in pool]
    if len(set(keys)) != len(keys):
        raise AllocationError("The pool lists an image twice.")
    for item in sorted(pool, key=lambda i: i.key):  # the caller's order never changes the outcome
        if item.role == "main":
            (pools.real if item.truth == "real" else pools.synthetic).append(item)
        else:
            getattr(pools, item.role).append(item)
    return pools


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def pair_for_two_afc(real: list[PoolItem], synthetic: list[PoolItem], seed: int) -> list[tuple[PoolItem, PoolItem]]:
    """(real, synthetic) pairs, matched by finding class first, then the rest at random.

    Each image is in at most one pair; the count is min(len(real), len(synthetic))."""
    rng = _rng(seed, "pairs")
    real, synthetic = real[:], synthetic[:]
    rng.shuffle(real)
    rng.shuffle(synthetic)
    by_finding: dict[str, list[PoolItem]] = defaultdict(list)
    for item in synthetic:
        by_finding[item.finding].append(item)
    pairs, unmatched_real = [], []
    for item in real:
        if by_finding.get(item.finding):
            pairs.append((item, by_finding[item.finding].pop()))
        else:
            unmatched_real.append(item)
    leftover = [item for items in by_finding.values() for item in items]
    rng.shuffle(leftover)
    pairs.extend(zip(unmatched_real, leftover))
    return pairs


def _balanced_subsets(items: list[PoolItem], per_slot: int, slots: int, seed: int, label: str) -> list[list[PoolItem]]:
    """`per_slot` distinct items for each slot, read counts differing by at most one.

    Items are dealt from a stream of shuffled passes over the class; a slot that would get an item
    twice at a pass boundary takes the next item that it does not hold yet."""
    if per_slot > len(items):
        raise AllocationError(f"Each reader needs {per_slot} {label} images but the pool has {len(items)}.")
    rng = _rng(seed, "subsets", label)
    stream: list[PoolItem] = []
    subsets = []
    for _ in range(slots):
        chosen: list[PoolItem] = []
        while len(chosen) < per_slot:
            if not stream:
                stream = items[:]
                rng.shuffle(stream)
            index = next((i for i, item in enumerate(stream) if item not in chosen), None)
            if index is None:  # every item left in this pass is already held: start a new pass
                fresh = items[:]
                rng.shuffle(fresh)
                stream.extend(fresh)
                continue
            chosen.append(stream.pop(index))
        subsets.append(chosen)
    return subsets


def _main_trials(pools: _Pools, plan: Plan, seed: int) -> list[list[Trial]]:
    """Each slot's main trials, not yet ordered."""
    slots = plan.reader_slots
    if plan.design == TWO_AFC:
        pairs = pair_for_two_afc(pools.real, pools.synthetic, seed)
        if not pairs:
            raise AllocationError("A 2-AFC study needs at least one real and one synthetic image.")
        if plan.mode == SUBSETS:
            if not plan.per_reader:
                raise AllocationError("Balanced subsets need a number of trials per reader.")
            as_items = [PoolItem(key=str(i), truth="real") for i in range(len(pairs))]
            chosen = _balanced_subsets(as_items, plan.per_reader, slots, seed, "2-AFC pair")
            per_slot = [[pairs[int(item.key)] for item in subset] for subset in chosen]
            _check_min_reads([[item.key for item in s] for s in chosen], len(pairs), plan.min_reads, "pair")
        else:
            per_slot = [pairs[:] for _ in range(slots)]
        # Counterbalance: half of each reader's trials (±1) show the real image on the left. Fully
        # crossed, a pair's side also flips between consecutive slots, so position and pair never
        # confound; in subsets each slot balances its own trials.
        base = [i % 2 == 0 for i in range(len(pairs))]
        _rng(seed, "sides").shuffle(base)
        out = []
        for slot, slot_pairs in enumerate(per_slot):
            if plan.mode == SUBSETS:
                lefts = [i % 2 == slot % 2 for i in range(len(slot_pairs))]
                _rng(seed, "sides", slot).shuffle(lefts)
            else:
                lefts = [side != (slot % 2 == 1) for side in base]
            out.append([Trial(items=(r.key, s.key) if real_left else (s.key, r.key), kind="main")
                        for (r, s), real_left in zip(slot_pairs, lefts)])
        return out

    main = pools.real + pools.synthetic
    if not main:
        raise AllocationError("The pool has no images to read.")
    if plan.mode == CROSSED:
        return [[Trial(items=(item.key,), kind="main") for item in main] for _ in range(slots)]
    if plan.mode != SUBSETS:
        raise AllocationError(f"Unknown allocation mode {plan.mode!r}.")
    if not plan.per_reader:
        raise AllocationError("Balanced subsets need a number of images per reader.")
    n_synthetic = round(plan.per_reader * plan.synthetic_share)
    n_real = plan.per_reader - n_synthetic
    real = _balanced_subsets(pools.real, n_real, slots, seed, "real") if n_real else [[] for _ in range(slots)]
    synthetic = (_balanced_subsets(pools.synthetic, n_synthetic, slots, seed, "synthetic")
                 if n_synthetic else [[] for _ in range(slots)])
    for label, subsets, items in (("real", real, pools.real), ("synthetic", synthetic, pools.synthetic)):
        if items:
            _check_min_reads([[i.key for i in s] for s in subsets], len(items), plan.min_reads, label + " image")
    return [[Trial(items=(item.key,), kind="main") for item in r + s] for r, s in zip(real, synthetic)]


def _check_min_reads(subsets: list[list[str]], n_items: int, min_reads: int, label: str) -> None:
    counts: dict[str, int] = defaultdict(int)
    for subset in subsets:
        for key in subset:
            counts[key] += 1
    fewest = min(counts.values()) if len(counts) == n_items else 0
    if fewest < min_reads:
        raise AllocationError(
            f"With {len(subsets)} readers, some {label}s are read {fewest} times; every one must be read "
            f"at least {min_reads} times (add readers or images per reader)."
        )


def _insert_repeats(sequence: list[Trial], plan: Plan, rng: random.Random) -> list[Trial]:
    """Show `repeat_share` of the main trials again, each `repeat_gap` or more positions after the first.

    Later insertions only push an original and its repeat further apart, never closer, so the gap
    holds for every repeat once all are placed."""
    count = round(plan.repeat_share * len(sequence))
    if count == 0:
        return sequence
    eligible = list(range(max(0, len(sequence) - plan.repeat_gap + 1)))  # a repeat fits after these
    if len(eligible) < count:
        raise AllocationError(
            f"{count} repeats at least {plan.repeat_gap} trials after their first showing do not fit in "
            f"{len(sequence)} trials (lower the share of repeats or the gap)."
        )
    out = list(sequence)
    position = list(range(len(out)))  # current position of each first showing
    for original in sorted(rng.sample(eligible, count)):
        at = rng.randint(position[original] + plan.repeat_gap, len(out))
        out.insert(at, Trial(items=sequence[original].items, kind="repeat", repeat_of=original))
        position = [p + 1 if p >= at else p for p in position]
    return [Trial(items=t.items, kind=t.kind, repeat_of=position[t.repeat_of]) if t.kind == "repeat" else t
            for t in out]


def _extra_trials(items: list[PoolItem], count: int, kind: TrialKind, plan: Plan, rng: random.Random,
                  label: str) -> list[Trial]:
    if count == 0:
        return []
    if not items:
        raise AllocationError(f"The plan asks for {count} {label} trials but the pool has no {label} images.")
    if plan.design == TWO_AFC:
        real = [i for i in items if i.truth == "real"]
        synthetic = [i for i in items if i.truth == "synthetic"]
        pairs = pair_for_two_afc(real, synthetic, rng.randrange(2**31))
        if not pairs:
            raise AllocationError(f"2-AFC {label} trials need a real and a synthetic {label} image.")
        trials = []
        for i in range(count):
            r, s = pairs[i % len(pairs)]
            trials.append(Trial(items=(r.key, s.key) if rng.random() < 0.5 else (s.key, r.key), kind=kind))
        return trials
    pool = items[:]
    rng.shuffle(pool)
    return [Trial(items=(pool[i % len(pool)].key,), kind=kind) for i in range(count)]


def allocate(pool: list[PoolItem], plan: Plan, seed: int) -> list[list[Trial]]:
    """Every slot's ordered trials. Same (pool, plan, seed) -> same result, whatever the pool order."""
    if plan.reader_slots < 1:
        raise AllocationError("A study needs at least one reader slot.")
    pools = _split(pool)
    sequences = []
    for slot, trials in enumerate(_main_trials(pools, plan, seed)):
        rng = _rng(seed, "order", slot)
        rng.shuffle(trials)
        trials = _insert_repeats(trials, plan, rng)
        for catch in _extra_trials(pools.catch, plan.catch_trials, "catch", plan, rng, "catch"):
            at = rng.randint(0, len(trials))
            trials.insert(at, catch)
            trials = [Trial(items=t.items, kind=t.kind, repeat_of=t.repeat_of + 1)
                      if t.repeat_of is not None and t.repeat_of >= at else t for t in trials]
        calibration = _extra_trials(pools.calibration, plan.calibration_trials, "calibration", plan, rng,
                                    "calibration")
        sequences.append(_sessions(calibration, trials, plan))
    return sequences


def _sessions(calibration: list[Trial], trials: list[Trial], plan: Plan) -> list[Trial]:
    """Calibration first (session 1), then sessions of at most `session_size` trials."""
    size = plan.session_size or len(trials) or 1
    shift = len(calibration)
    out = [Trial(items=t.items, kind=t.kind, session=1) for t in calibration]
    for i, t in enumerate(trials):
        out.append(Trial(items=t.items, kind=t.kind, session=1 + i // size,
                         repeat_of=None if t.repeat_of is None else t.repeat_of + shift))
    return out
