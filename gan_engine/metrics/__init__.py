"""Metrics for synthetic image sets: each compares a real and a synthetic set and returns a
`MetricResult` (value + 95% CI). One metric per file, registered with `@register_metric`:

    fid.py               FID (Heusel et al. 2017)                          -> "fid"
    kid.py               KID (Bińkowski et al. 2018)                       -> "kid"
    precision_recall.py  k-NN precision/recall (Kynkäänniemi et al. 2019)  -> "precision", "recall"
    density_coverage.py  density/coverage (Naeem et al. 2020)              -> "density", "coverage"
    diversity.py         pairwise MS-SSIM (Wang et al. 2003)               -> "ms_ssim_fake", "ms_ssim_real"
    memorisation.py      nearest-training-image near-copy check            -> "memorisation"
    turing.py            classifier two-sample test, out-of-fold ROC AUC   -> "turing_auc"

Example:
    from gan_engine.metrics import evaluate
    results = evaluate(real_images, fake_images, cache_dir="runs/.features")
    results["fid"].value, results["fid"].ci_low, results["fid"].ci_high
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Union

import numpy as np
import torch

# Importing a metric module registers it; the registry (and every report) keeps this order.
import gan_engine.metrics.fid  # noqa: F401  isort: skip
import gan_engine.metrics.kid  # noqa: F401  isort: skip
import gan_engine.metrics.precision_recall  # noqa: F401  isort: skip
import gan_engine.metrics.density_coverage  # noqa: F401  isort: skip
import gan_engine.metrics.diversity  # noqa: F401  isort: skip
import gan_engine.metrics.memorisation  # noqa: F401  isort: skip
import gan_engine.metrics.turing  # noqa: F401  isort: skip
from gan_engine.metrics.cache import cached_features
from gan_engine.metrics.density_coverage import COVERAGE, DENSITY
from gan_engine.metrics.diversity import MS_SSIM_FAKE, MS_SSIM_REAL
from gan_engine.metrics.features import (
    DEFAULT_FEATURE_SPACE, GIVEN_FEATURES_LABEL, FeatureExtractor, check_images, feature_space_label,
    get_feature_space,
)
from gan_engine.metrics.fid import FID
from gan_engine.metrics.kid import KID
from gan_engine.metrics.memorisation import MEMORISATION
from gan_engine.metrics.precision_recall import PRECISION, RECALL
from gan_engine.metrics.registry import (
    METRICS, NEEDS_FEATURES, NEEDS_IMAGES, MetricInputs, register_metric,
)
from gan_engine.metrics.result import MetricResult
from gan_engine.metrics.turing import TURING_AUC

__all__ = [
    "evaluate", "MetricResult", "METRICS", "register_metric", "results_to_json",
    "FID", "KID", "PRECISION", "RECALL", "DENSITY", "COVERAGE", "MS_SSIM_FAKE", "MS_SSIM_REAL",
    "MEMORISATION", "TURING_AUC", "DEFAULT_BOOTSTRAP",
]

# Bootstrap replicates per CI: enough for a stable 95% percentile interval at seconds of cost
# with the default 736-d features (FID's replicates dominate; see docs/metrics.md).
DEFAULT_BOOTSTRAP = 100

SetLike = Union[np.ndarray, torch.Tensor, str, os.PathLike]


def _load_array(path: Path, what: str) -> np.ndarray:
    if not path.is_file():
        raise FileNotFoundError(f"{what}: no such file {path}")
    if path.suffix == ".npy":
        return np.load(path, allow_pickle=False)
    if path.suffix == ".npz":
        with np.load(path, allow_pickle=False) as data:
            for key in ("features", "images"):
                if key in data:
                    return data[key]
            if len(data.files) == 1:
                return data[data.files[0]]
            raise ValueError(f"{what}: {path} has arrays {data.files}; expected 'features' or 'images'")
    raise ValueError(f"{what}: unsupported file {path} (expected .npy or .npz)")


def _as_set(data: SetLike, what: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(images float32 [n,1,H,W] or None, features float64 [n,d] or None)."""
    if isinstance(data, (str, os.PathLike)):
        data = _load_array(Path(data), what)
    if isinstance(data, torch.Tensor):
        data = data.detach().cpu().numpy()
    array = np.asarray(data)
    if array.ndim == 2:
        if len(array) < 2 or not np.isfinite(array).all():
            raise ValueError(f"{what}: features need >= 2 finite rows, got shape {array.shape}")
        return None, array.astype(np.float64)
    return check_images(array, what), None


def evaluate(real: SetLike, fake: SetLike, *, feature_space: str | FeatureExtractor = DEFAULT_FEATURE_SPACE,
             metrics: Iterable[str] | None = None, n_bootstrap: int = DEFAULT_BOOTSTRAP, seed: int = 0,
             cache_dir: str | os.PathLike | None = None,
             train_images: SetLike | None = None) -> dict[str, MetricResult]:
    """Compare a real and a synthetic set with the registered metrics.

    real, fake:    images float32 [n, 1, H, W] (or [n, H, W]) in [-1, 1], or feature vectors [n, d],
                   as arrays/tensors or as .npy/.npz paths. Pixel metrics (diversity, pixel-space
                   memorisation) need images.
    feature_space: "default" (random CNN), "inception:PATH", or a FeatureExtractor object.
    metrics:       registered metric names (see METRICS); None runs every metric the inputs allow
                   (metrics needing images, or more samples than given, are left out).
    n_bootstrap:   bootstrap replicates per confidence interval (0: no intervals, NaN bounds).
    seed:          makes subsets, bootstrap draws and CV folds reproducible.
    cache_dir:     folder for cached features (keyed by pixels + network); None: no caching.
    train_images:  the generator's training images for the memorisation check (default: real).

    Returns {result key: MetricResult} in registry order, e.g. "fid", "kid", "precision", ...; results
    computed on features name their feature space in `feature_space_label`.
    """
    names = list(METRICS) if metrics is None else list(metrics)
    unknown = [n for n in names if n not in METRICS]
    if unknown:
        raise ValueError(f"unknown metrics {unknown}; expected some of {list(METRICS)}")
    real_images, real_features = _as_set(real, "real")
    fake_images, fake_features = _as_set(fake, "fake")
    # Only metrics that compare with the training set read it: do not embed it for nothing.
    train_images_arr, train_features = (None, None)
    if train_images is not None and any(METRICS[n].uses_training_set for n in names):
        train_images_arr, train_features = _as_set(train_images, "train")
    have_images = real_images is not None and fake_images is not None
    if metrics is None and not have_images:
        names = [n for n in names if NEEDS_IMAGES not in METRICS[n].needs]
    for name in names:
        if NEEDS_IMAGES in METRICS[name].needs and not have_images:
            raise ValueError(f"metric {name!r} needs images, but feature vectors were given")
    # k-NN metrics are undefined on sets smaller than k + 1: skip them, or refuse if they were asked for.
    n_smallest = min(len(real_images if real_features is None else real_features),
                     len(fake_images if fake_features is None else fake_features))
    too_small = [n for n in names if n_smallest < METRICS[n].min_samples]
    if metrics is not None and too_small:
        raise ValueError("; ".join(f"metric {n!r} needs at least {METRICS[n].min_samples} real and "
                                   f"{METRICS[n].min_samples} synthetic samples" for n in too_small)
                         + f", got {n_smallest} in the smaller set")
    names = [n for n in names if n not in too_small]

    extractor = None
    if any(NEEDS_FEATURES in METRICS[n].needs for n in names):
        embedded = []
        for images, features in ((real_images, real_features), (fake_images, fake_features),
                                 (train_images_arr, train_features)):
            if features is None and images is not None:
                extractor = extractor or get_feature_space(feature_space)
                features = cached_features(images, extractor, cache_dir).astype(np.float64)
            embedded.append(features)
        real_features, fake_features, train_features = embedded
        if real_features.shape[1] != fake_features.shape[1]:
            raise ValueError(f"real and fake features differ in dimension: "
                             f"{real_features.shape[1]} vs {fake_features.shape[1]}")
    if have_images and real_images.shape[2:] != fake_images.shape[2:]:
        # Pixel metrics compare images pixel by pixel: skip them, or refuse if they were asked for.
        pixel_metrics = [n for n in names if NEEDS_IMAGES in METRICS[n].needs]
        if metrics is not None and pixel_metrics:
            raise ValueError(f"{pixel_metrics} need real and fake images of one size, got "
                             f"{real_images.shape[2:]} and {fake_images.shape[2:]}")
        names = [n for n in names if n not in pixel_metrics]
        real_images = fake_images = None

    inputs = MetricInputs(real_features=real_features, fake_features=fake_features,
                          real_images=real_images, fake_images=fake_images,
                          train_features=train_features, train_images=train_images_arr,
                          n_bootstrap=int(n_bootstrap), seed=int(seed))
    label = GIVEN_FEATURES_LABEL if extractor is None else feature_space_label(extractor)
    results: dict[str, MetricResult] = {}
    for name in names:
        computed = METRICS[name].fn(inputs)
        if NEEDS_FEATURES in METRICS[name].needs:
            computed = {key: replace(result, feature_space_label=label) for key, result in computed.items()}
        results.update(computed)
    return results


def results_to_json(results: dict[str, MetricResult]) -> dict[str, Any]:
    """{key: MetricResult.to_dict()} — strict JSON (NaN -> null)."""
    return {key: result.to_dict() for key, result in results.items()}
