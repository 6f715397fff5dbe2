"""Feature cache: embeddings of an image set stored under a fingerprint of (pixels, network).

Key = SHA-256 of the extractor id, the extractor's weights hash, the array shape and the float32
pixel bytes; re-evaluating a new checkpoint against the same real slices then reuses their
features. Files are written to a temporary name in the same folder and `os.replace`d, so a reader
never sees a half-written file and concurrent writers (two web jobs) cannot corrupt one.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from gan_engine.metrics.features import FeatureExtractor, check_images, embed_images


def dataset_fingerprint(images: np.ndarray, extractor: FeatureExtractor) -> str:
    """Hex SHA-256 of (extractor id, weights hash, shape, float32 pixel bytes)."""
    images = np.ascontiguousarray(check_images(images))
    digest = hashlib.sha256()
    digest.update(extractor.id.encode())
    digest.update(extractor.weights_sha256.encode())
    digest.update(repr(images.shape).encode())
    digest.update(memoryview(images).cast("B"))
    return digest.hexdigest()


def cache_path(cache_dir: str | Path, images: np.ndarray, extractor: FeatureExtractor) -> Path:
    """Where the features of `images` under `extractor` are (or would be) cached."""
    return Path(cache_dir) / f"{extractor.id}-{dataset_fingerprint(images, extractor)[:32]}.npy"


def write_atomically(path: Path, array: np.ndarray) -> None:
    """np.save to a temporary file in path's folder, then os.replace it onto `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.save(f, array, allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_features(images: np.ndarray, extractor: FeatureExtractor,
                    cache_dir: str | Path | None) -> np.ndarray:
    """Features of `images`: read from `cache_dir` if present, else embedded (and stored there).

    With cache_dir None nothing is read or written. A damaged cache file is recomputed.
    """
    if cache_dir is None:
        return embed_images(images, extractor)
    path = cache_path(cache_dir, images, extractor)
    if path.is_file():
        try:
            features = np.load(path, allow_pickle=False)
            if features.shape == (len(images), extractor.dim):
                return features
        except (OSError, ValueError):
            pass  # truncated or foreign file: fall through and rebuild it
    features = embed_images(images, extractor)
    write_atomically(path, features)
    return features
