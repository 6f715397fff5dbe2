"""The metric registry: `@register_metric` adds a metric, `evaluate` runs the registered ones.

A registered metric is a function `fn(inputs: MetricInputs) -> dict[str, MetricResult]` whose
keys are the constant result keys it declares (several keys per metric are allowed: precision and
recall come out of one k-NN computation).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from gan_engine.metrics.result import MetricResult

# What a metric needs from each image set.
NEEDS_FEATURES = "features"
NEEDS_IMAGES = "images"


@dataclass(frozen=True)
class MetricInputs:
    """Everything a metric may read.

    real_features, fake_features, train_features:  float64 [n, d] embeddings (or None).
    real_images, fake_images, train_images:        float32 [n, 1, H, W] in [-1, 1] (or None when
                                                   the caller passed feature vectors only).
    train_* default to real_* when the caller gave no separate training set.
    n_bootstrap:  bootstrap replicates for the confidence intervals.
    seed:         base seed; each metric derives its own stream from it (see `rng`).
    """

    real_features: np.ndarray | None
    fake_features: np.ndarray | None
    real_images: np.ndarray | None
    fake_images: np.ndarray | None
    train_features: np.ndarray | None
    train_images: np.ndarray | None
    n_bootstrap: int
    seed: int

    def rng(self, metric_name: str) -> np.random.Generator:
        """A generator seeded by (seed, metric name): adding or removing one metric never changes
        another metric's random draws."""
        return np.random.default_rng([self.seed, zlib.crc32(metric_name.encode())])


MetricFn = Callable[[MetricInputs], dict[str, MetricResult]]


@dataclass(frozen=True)
class Metric:
    """A registered metric: its name, the result keys it returns and what it needs."""

    name: str
    keys: tuple[str, ...]
    needs: frozenset[str]
    fn: MetricFn
    min_samples: int = 2  # fewest real and fewest synthetic samples the metric is defined for
    uses_training_set: bool = False  # reads MetricInputs.train_* (evaluate embeds the training set only then)


METRICS: dict[str, Metric] = {}


def register_metric(name: str, *, keys: tuple[str, ...], needs: tuple[str, ...] = (NEEDS_FEATURES,),
                    min_samples: int = 2, uses_training_set: bool = False) -> Callable[[MetricFn], MetricFn]:
    """Decorator: register `fn` under `name`, returning the result `keys` (constants).

    needs:             NEEDS_FEATURES (computed in a feature space; the results name it) and/or
                       NEEDS_IMAGES (reads pixels; left out when only feature vectors are given).
    min_samples:       the fewest samples per set (real and synthetic) the metric is defined for, e.g.
                       k + 1 for a k-nearest-neighbour metric; `evaluate` skips the metric on smaller sets.
    uses_training_set: the metric compares with the generator's training set (`train_images` of
                       `evaluate`, default the real set), which is embedded only for such metrics.
    """
    unknown = set(needs) - {NEEDS_FEATURES, NEEDS_IMAGES}
    if unknown:
        raise ValueError(f"unknown needs {sorted(unknown)} for metric {name!r}")

    def decorate(fn: MetricFn) -> MetricFn:
        if name in METRICS:
            raise ValueError(f"metric {name!r} is already registered")
        METRICS[name] = Metric(name=name, keys=tuple(keys), needs=frozenset(needs), fn=fn,
                               min_samples=int(min_samples), uses_training_set=bool(uses_training_set))
        return fn

    return decorate


def register_per_sample_pair(name: str, keys: tuple[str, str], k: int, terms: Callable,
                             doc: str) -> tuple[Callable, Callable]:
    """A k-NN metric pair whose two values are means of per-sample terms: `terms(real, fake, k) ->
    (terms_a, terms_b)` (precision/recall, density/coverage). Returns (point, metric): `point(real,
    fake, k)` gives the two means; `metric`, registered, gives them with bootstrap CIs."""
    from gan_engine.metrics.bootstrap import mean_results

    def point(real, fake, k: int = k) -> tuple[float, float]:
        first, second = terms(real, fake, k)
        return float(first.mean()), float(second.mean())

    @register_metric(name, keys=keys, min_samples=k + 1)
    def metric(inputs: MetricInputs) -> dict[str, MetricResult]:
        real, fake = inputs.real_features, inputs.fake_features
        first, second = terms(real, fake, k)
        return mean_results({keys[0]: first, keys[1]: second}, inputs.n_bootstrap, inputs.rng(name),
                            len(real), len(fake), {"k": k, "n_bootstrap": inputs.n_bootstrap})

    point.__name__, point.__doc__ = name, f"({keys[0]}, {keys[1]}) for feature sets [n, d]. {doc}"
    metric.__name__, metric.__doc__ = f"{name}_metric", f"{doc} With bootstrap CIs over the evaluated samples."
    return point, metric
