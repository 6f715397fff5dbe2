"""Feature spaces: which network embeds the images before FID, KID, PRDC, memorisation and the
automated Turing test.

    "default" / "random_cnn"   fixed-seed random CNN (random_cnn.py): offline, the default.
    "inception:PATH"           InceptionV3 pool3 with user-supplied FID weights (inception.py).

A feature space is any object with `id` (str, names network + version), `weights_sha256` (str),
`dim` (int) and `embed(images: Tensor[n, 1, H, W] in [-1, 1]) -> Tensor[n, dim]`, and optionally
`label` (str, how tables name it; default `id`); such an object may be passed to `evaluate` directly.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np
import torch

DEFAULT_FEATURE_SPACE = "default"
# How results name the feature space when the caller passed feature vectors for both sets.
GIVEN_FEATURES_LABEL = "feature vectors given by the caller"
# Images per forward pass: bounds peak memory (Inception at 299 px: ~1.5 GB per 64 images).
BATCH_SIZE = 64


class FeatureExtractor(Protocol):
    id: str
    weights_sha256: str
    dim: int

    def embed(self, images: torch.Tensor) -> torch.Tensor: ...


def get_feature_space(name: str | FeatureExtractor) -> FeatureExtractor:
    """The extractor for a feature-space name (see module docstring) or the object itself."""
    if not isinstance(name, str):
        return name
    if name in ("default", "random_cnn"):
        from gan_engine.metrics.random_cnn import RandomCNNFeatures
        return RandomCNNFeatures()
    if name.startswith("inception:"):
        from gan_engine.metrics.inception import InceptionFeatures
        return InceptionFeatures(name.split(":", 1)[1])
    if name == "inception":
        raise ValueError("the inception feature space needs a weights file: use 'inception:PATH' "
                         "(weights are never downloaded)")
    raise ValueError(f"unknown feature space {name!r}; expected 'default', 'random_cnn' or 'inception:PATH'")


def feature_space_label(extractor: FeatureExtractor) -> str:
    """How a table names the feature space: the extractor's `label`, else its `id`."""
    return str(getattr(extractor, "label", None) or extractor.id)


def check_images(images: np.ndarray, what: str = "images") -> np.ndarray:
    """float32 [n, 1, H, W] view of `images`; ValueError for the wrong rank or non-finite values."""
    array = np.asarray(images.detach().cpu() if isinstance(images, torch.Tensor) else images,
                       dtype=np.float32)
    if array.ndim == 3:
        array = array[:, None]
    if array.ndim != 4 or array.shape[1] != 1:
        raise ValueError(f"{what}: expected [n, 1, H, W] greyscale images, got shape {array.shape}")
    if len(array) == 0:
        raise ValueError(f"{what}: the set is empty")
    if not np.isfinite(array).all():
        raise ValueError(f"{what}: contains NaN or infinite pixels")
    return array


def embed_images(images: np.ndarray, extractor: FeatureExtractor,
                 batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Features float32 [n, extractor.dim] of images [n, 1, H, W] in [-1, 1], batch by batch."""
    images = check_images(images)
    out = np.empty((len(images), extractor.dim), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            batch = torch.from_numpy(images[start:start + batch_size])
            out[start:start + len(batch)] = extractor.embed(batch).cpu().numpy()
    return out
