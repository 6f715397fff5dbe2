"""Real image sets for training and evaluation: an uploaded ImageCollection or the example CT.

Collections are read from the imaging store's 16-bit masters (CT: HU + 1024), resampled to the
model's side and scaled to the engine's [-1, 1] (gan_engine.data.intensity.hu_to_unit). Uploaded
images carry no finding labels, so a collection trains the "normal" class only.
Imported by tasks only: it imports torch.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from core.jobs import JobError

MIN_COLLECTION_IMAGES = 2
DEFAULT_SPACING_MM = 0.7  # used when an uploaded image records no pixel spacing (typical chest CT, mm)


@dataclass
class RealSet:
    images: np.ndarray              # float32 [n, 1, size, size] in [-1, 1]
    spacing_mm: np.ndarray          # float32 [n] mm per px at `size`
    source: str                     # what it is, for the record
    conditions: list[dict] | None = None  # per image {finding, severity, x, y} when labelled


def _master_to_unit(image) -> np.ndarray:
    from PIL import Image as PILImage

    from gan_engine.data.intensity import hu_to_unit

    with image.master.open("rb") as fh, PILImage.open(fh) as pil:
        stored = np.asarray(pil, dtype=np.float32)
    if stored.ndim == 3:
        stored = stored.mean(axis=2)
    if image.is_hu:
        return hu_to_unit(stored + image.rescale_intercept).astype(np.float32)
    # Not CT: no physical scale, so spread the image's own 1st..99th percentiles over [-1, 1].
    low, high = np.percentile(stored, [1, 99])
    return (np.clip((stored - low) / max(high - low, 1e-6), 0, 1) * 2 - 1).astype(np.float32)


def _square_resize(unit: np.ndarray, size: int) -> tuple[np.ndarray, float]:
    """Centre-crop to a square, then area-resample to size x size; returns (image, zoom factor)."""
    h, w = unit.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    crop = torch.from_numpy(np.ascontiguousarray(unit[top:top + side, left:left + side]))[None, None]
    mode = "area" if side >= size else "bilinear"
    resized = F.interpolate(crop, size=(size, size), mode=mode, **({} if mode == "area" else {"align_corners": False}))
    return resized[0].numpy(), side / size


def collection_set(collection, size: int, limit: int | None = None) -> RealSet:
    """The collection's images as a RealSet (ordered by id; at most `limit`)."""
    images = list(collection.images.order_by("id")[:limit] if limit else collection.images.order_by("id"))
    if len(images) < MIN_COLLECTION_IMAGES:
        raise JobError(f"The collection “{collection.name}” holds {len(images)} image(s); "
                       f"at least {MIN_COLLECTION_IMAGES} are needed.")
    arrays, spacings = [], []
    for image in images:
        try:
            unit = _master_to_unit(image)
        except (OSError, ValueError) as exc:
            raise JobError(f"Image {image.token[:8]}… of the collection cannot be read: {exc}") from None
        resized, zoom = _square_resize(unit, size)
        arrays.append(resized)
        spacings.append((image.pixel_spacing_mm or DEFAULT_SPACING_MM) * zoom)
    return RealSet(np.stack(arrays).astype(np.float32), np.asarray(spacings, np.float32),
                   f"collection {collection.public_id}")


def example_ct_set(size: int, n: int, seed: int = 0) -> RealSet:
    """n items of the example-CT training distribution (real slices, nodules inserted), unaugmented,
    with their conditions so that fakes can be drawn under the same ones."""
    from gan_engine.conditions import FINDING_CLASSES
    from gan_engine.data.labelled import LabelledCTDataset

    dataset = LabelledCTDataset(size, seed=seed, augment=False, length=n)
    items = [dataset[i] for i in range(n)]
    conditions = []
    for item in items:
        x, y = (min(max(float(v), 0.0), 1.0) for v in item["position"])
        conditions.append({"finding": FINDING_CLASSES[int(item["finding"])],
                           "severity": min(max(float(item["severity"]), 0.0), 1.0), "x": x, "y": y})
    return RealSet(np.stack([it["image"].numpy() for it in items]).astype(np.float32),
                   np.asarray([float(it["pixel_spacing_mm"]) for it in items], np.float32), "example CT",
                   conditions)


class CollectionDataset(Dataset):
    """A RealSet in LabelledCTDataset's item contract, every item labelled "normal"."""

    def __init__(self, real: RealSet) -> None:
        self.real = real

    def __len__(self) -> int:
        return len(self.real.images)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        image = torch.from_numpy(self.real.images[i])
        zeros = torch.zeros_like(image)
        return {"image": image, "lesion_mask": zeros, "lung_mask": zeros,
                "finding": torch.tensor(0), "severity": torch.tensor(0.0),
                "position": torch.tensor([0.5, 0.5]), "pixel_spacing_mm": torch.tensor(float(self.real.spacing_mm[i]))}

    def fingerprint(self) -> str:
        import hashlib

        return hashlib.sha256(self.real.images.tobytes()).hexdigest()
