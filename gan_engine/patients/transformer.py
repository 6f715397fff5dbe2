"""CTGAN's table encoding: mode-specific normalisation and one-hot categories.

Xu L, Skoularidou M, Cuesta-Infante A, Veeramachaneni K. "Modeling Tabular Data using
Conditional GAN." NeurIPS 2019, section 4.2 ("Mode-specific normalization"):
  1. fit a variational Gaussian mixture to each continuous column (weights w_k, means mu_k,
     standard deviations sigma_k); keep the modes with weight above a small epsilon;
  2. for a value x, draw a mode k with probability proportional to w_k N(x; mu_k, sigma_k);
  3. encode x as [alpha, onehot(k)] with alpha = (x - mu_k) / (4 sigma_k), clipped to (-1, 1).
Discrete columns are one-hot. Decoding takes the argmax mode/category and x = 4 sigma_k alpha + mu_k.

Mode posteriors use the stored mixture parameters (not the sklearn object), so a loaded model
encodes exactly like the trained one and the JSON holds everything.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

from gan_engine.patients.columns import ColumnSpec, Columns

# CTGAN keeps mixture components whose weight exceeds this (the paper's implementation uses 0.005).
MODE_WEIGHT_EPS = 0.005
# Floor on a mode's standard deviation so a point mass (never-smokers' 0 pack-years) stays finite.
MIN_STD = 1e-3


@dataclass(frozen=True)
class Span:
    """A slice of the encoded row: `activation` is "tanh" (alpha) or "softmax" (one-hot)."""

    column: str
    start: int
    width: int
    activation: str
    discrete: bool  # True for a categorical column (these feed the conditional vector)


@dataclass
class _Mixture:
    weights: np.ndarray
    means: np.ndarray
    stds: np.ndarray

    def log_density(self, x: np.ndarray) -> np.ndarray:
        """log w_k + log N(x; mu_k, sigma_k), shape (n, modes)."""
        z = (x[:, None] - self.means[None, :]) / self.stds[None, :]
        return np.log(self.weights)[None, :] - 0.5 * z**2 - np.log(self.stds)[None, :]


class TableTransformer:
    """Encodes columns (see gan_engine.patients.columns) as CTGAN rows and back."""

    def __init__(self, specs: Sequence[ColumnSpec]) -> None:
        self.specs = tuple(specs)
        self.mixtures: dict[str, _Mixture] = {}

    # -- fitting -------------------------------------------------------------------------------
    def fit(self, columns: Columns, *, max_modes: int = 10, max_iter: int = 100,
            seed: int = 0) -> "TableTransformer":
        """Fit one variational (Dirichlet-process) Gaussian mixture per continuous column."""
        for spec in self.specs:
            if not spec.continuous:
                continue
            x = np.asarray(columns[spec.name], dtype=np.float64).reshape(-1, 1)
            n_modes = max(1, min(max_modes, len(np.unique(x))))
            bgm = BayesianGaussianMixture(
                n_components=n_modes, weight_concentration_prior_type="dirichlet_process",
                weight_concentration_prior=0.001, max_iter=max_iter, n_init=1, random_state=seed,
            )
            with warnings.catch_warnings():
                # A few EM iterations are enough for encoding; non-convergence is not an error here.
                warnings.simplefilter("ignore", ConvergenceWarning)
                bgm.fit(x)
            keep = bgm.weights_ > MODE_WEIGHT_EPS
            if not keep.any():
                keep = bgm.weights_ == bgm.weights_.max()
            weights = bgm.weights_[keep] / bgm.weights_[keep].sum()
            stds = np.maximum(np.sqrt(bgm.covariances_.reshape(len(keep), -1)[keep, 0]), MIN_STD)
            self.mixtures[spec.name] = _Mixture(weights, bgm.means_[keep, 0], stds)
        return self

    # -- layout --------------------------------------------------------------------------------
    @property
    def spans(self) -> list[Span]:
        """The encoded row layout, column by column."""
        out, start = [], 0
        for spec in self.specs:
            if spec.continuous:
                k = len(self.mixtures[spec.name].weights)
                out.append(Span(spec.name, start, 1, "tanh", False))
                out.append(Span(spec.name, start + 1, k, "softmax", False))
                start += 1 + k
            else:
                out.append(Span(spec.name, start, len(spec.categories), "softmax", True))
                start += len(spec.categories)
        return out

    @property
    def output_dim(self) -> int:
        """Length of an encoded row."""
        last = self.spans[-1]
        return last.start + last.width

    # -- encode / decode -----------------------------------------------------------------------
    def transform(self, columns: Columns, rng: np.random.Generator) -> np.ndarray:
        """Columns -> encoded rows (float32, shape (n, output_dim)); modes are drawn from posteriors."""
        n = len(columns[self.specs[0].name])
        out = np.zeros((n, self.output_dim), dtype=np.float32)
        spans = iter(self.spans)
        for spec in self.specs:
            if spec.continuous:
                alpha_span, mode_span = next(spans), next(spans)
                mix = self.mixtures[spec.name]
                x = np.asarray(columns[spec.name], dtype=np.float64)
                log_p = mix.log_density(x)
                p = np.exp(log_p - log_p.max(axis=1, keepdims=True))
                p /= p.sum(axis=1, keepdims=True)
                # Inverse-CDF draw of one mode per row from its posterior.
                modes = (p.cumsum(axis=1) < rng.random((n, 1))).sum(axis=1).clip(0, p.shape[1] - 1)
                alpha = (x - mix.means[modes]) / (4.0 * mix.stds[modes])
                out[:, alpha_span.start] = np.clip(alpha, -0.99, 0.99)
                out[np.arange(n), mode_span.start + modes] = 1.0
            else:
                span = next(spans)
                codes = np.asarray(columns[spec.name], dtype=np.int64)
                out[np.arange(n), span.start + codes] = 1.0
        return out

    def inverse_transform(self, data: np.ndarray) -> Columns:
        """Encoded rows -> columns (argmax mode/category; x = 4 sigma alpha + mu)."""
        data = np.asarray(data, dtype=np.float64)
        out: Columns = {}
        spans = iter(self.spans)
        for spec in self.specs:
            if spec.continuous:
                alpha_span, mode_span = next(spans), next(spans)
                mix = self.mixtures[spec.name]
                alpha = np.clip(data[:, alpha_span.start], -1.0, 1.0)
                modes = data[:, mode_span.start:mode_span.start + mode_span.width].argmax(axis=1)
                out[spec.name] = alpha * 4.0 * mix.stds[modes] + mix.means[modes]
            else:
                span = next(spans)
                out[spec.name] = data[:, span.start:span.start + span.width].argmax(axis=1)
        return out

    # -- persistence ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Columns and fitted mixture parameters, JSON-ready."""
        return {
            "columns": [{"name": s.name, "categories": list(s.categories)} for s in self.specs],
            "mixtures": {
                name: {"weights": m.weights.tolist(), "means": m.means.tolist(), "stds": m.stds.tolist()}
                for name, m in self.mixtures.items()
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TableTransformer":
        """Inverse of to_dict."""
        specs = [ColumnSpec(c["name"], tuple(c["categories"])) for c in data["columns"]]
        t = cls(specs)
        for name, m in data["mixtures"].items():
            t.mixtures[name] = _Mixture(np.asarray(m["weights"]), np.asarray(m["means"]),
                                        np.asarray(m["stds"]))
        return t
