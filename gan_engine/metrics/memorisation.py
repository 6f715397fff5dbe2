"""Memorisation / privacy check: is a synthetic image a near-copy of a training image?

For each synthetic image we find its nearest training image, both in pixel space (RMS difference
of the [-1, 1] images) and in feature space (Euclidean), and compare that distance with how far
the matched training image lies from its own nearest *other* training image:

    ratio_j = d(fake_j, train_i*) / d_nn(train_i*),   i* = nearest training image to fake_j.

This follows the "authenticity" idea of Alaa et al. 2022 ("How faithful is your synthetic data?",
ICML, section 3.3: a sample closer to a training point than that point's nearest real neighbour
is suspect) and the data-copying test of Meehan, Chaudhuri & Dasgupta 2020 (AISTATS), which
compares generated-to-training distances against the training set's own distances. Dividing by
the local nearest-neighbour distance makes the threshold adapt to dense regions (adjacent CT slices
are almost identical, so an absolute threshold would flag honest samples there).

A synthetic image is flagged as a near-copy when ratio < NEAR_COPY_RATIO = 0.25 in either space:
it is less than a quarter as far from a training image as that image is from any other training
image. An exact copy gives 0. Calibration (tests' blob images, 64 px, 30-200 training images):
fresh samples of the training distribution gave ratios with a 1st percentile of 0.33 (pixels) and
0.25 (random-CNN features), i.e. ~0.5% false flags; training images plus N(0, 0.02) pixel noise
gave 0.03-0.21 (95th percentile), all flagged. The result is the flagged fraction, and the pairs
(indices) for the web app to display.
"""
from __future__ import annotations

import numpy as np

from gan_engine.metrics.bootstrap import mean_ci
from gan_engine.metrics.knn import knn_radii, nearest_neighbours
from gan_engine.metrics.registry import NEEDS_FEATURES, NEEDS_IMAGES, MetricInputs, register_metric
from gan_engine.metrics.result import MetricResult

MEMORISATION = "memorisation"

# Flag when the nearest-training distance is below this fraction of that training image's own
# nearest-neighbour distance (calibration in the module docstring).
NEAR_COPY_RATIO = 0.25


def _ratios(distance: np.ndarray, local_scale: np.ndarray) -> np.ndarray:
    # 0/0 (a copy of a duplicated training image) -> 0, d/0 -> inf (not a copy of either twin).
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = distance / local_scale
    ratio[(distance == 0) & (local_scale == 0)] = 0.0
    return ratio


def nearest_training_match(train: np.ndarray, fake: np.ndarray) -> dict[str, np.ndarray]:
    """Nearest training sample for each synthetic sample, in one space (rows = flattened samples).

    Returns {"index": int64 [n_fake], "distance": float64 [n_fake], "ratio": float64 [n_fake]}
    where ratio = distance / (the matched training sample's distance to its nearest other
    training sample). Distances are Euclidean in the units of the rows.
    """
    train = np.asarray(train, dtype=np.float64).reshape(len(train), -1)
    fake = np.asarray(fake, dtype=np.float64).reshape(len(fake), -1)
    if train.shape[1] != fake.shape[1]:
        raise ValueError(f"training and synthetic samples differ in size: {train.shape[1]} vs {fake.shape[1]}")
    index, distance = nearest_neighbours(fake, train)
    own_nn = knn_radii(train, 1)
    return {"index": index, "distance": distance, "ratio": _ratios(distance, own_nn[index])}


def pixel_rms_match(train_images: np.ndarray, fake_images: np.ndarray) -> dict[str, np.ndarray]:
    """`nearest_training_match` in pixel space with distances as RMS pixel differences
    ([-1, 1] units per pixel; multiply by 812 for HU with the default 1624-HU range)."""
    n_pixels = int(np.prod(np.shape(train_images)[1:]))
    match = nearest_training_match(train_images, fake_images)
    match["distance"] = match["distance"] / np.sqrt(n_pixels)
    return match


def flag_near_copies(*matches: dict[str, np.ndarray], threshold: float = NEAR_COPY_RATIO) -> np.ndarray:
    """bool [n_fake]: flagged in any of the given spaces (ratio < threshold)."""
    return np.any([m["ratio"] < threshold for m in matches], axis=0)


def _json_float(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


@register_metric("memorisation", keys=(MEMORISATION,), needs=(NEEDS_FEATURES,), uses_training_set=True)
def memorisation_metric(inputs: MetricInputs) -> dict[str, MetricResult]:
    """Fraction of synthetic images flagged as near-copies of training images, with a bootstrap
    CI over synthetic images; `extra["pairs"]` lists each synthetic image's nearest training image
    per space (indices into the training set) for side-by-side display."""
    train_features = inputs.train_features if inputs.train_features is not None else inputs.real_features
    train_images = inputs.train_images if inputs.train_images is not None else inputs.real_images
    matches = {"feature": nearest_training_match(train_features, inputs.fake_features)}
    if train_images is not None and inputs.fake_images is not None:
        matches["pixel"] = pixel_rms_match(train_images, inputs.fake_images)
    flagged = flag_near_copies(*matches.values())
    pairs = []
    for j in range(len(flagged)):
        pair: dict[str, object] = {"fake": j, "flagged": bool(flagged[j])}
        for space, m in matches.items():
            pair[f"{space}_nearest_train"] = int(m["index"][j])
            pair[f"{space}_distance"] = _json_float(m["distance"][j])
            pair[f"{space}_ratio"] = _json_float(m["ratio"][j])
        pairs.append(pair)
    low, high = mean_ci(flagged, inputs.n_bootstrap, inputs.rng("memorisation"))
    extra = {"threshold_ratio": NEAR_COPY_RATIO, "spaces": list(matches),
             "n_train": int(len(train_features)), "flagged_fake": np.flatnonzero(flagged).tolist(),
             "pairs": pairs}
    return {MEMORISATION: MetricResult(float(flagged.mean()), low, high,
                                       len(inputs.real_features), len(inputs.fake_features), extra)}
