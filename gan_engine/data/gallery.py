"""A picture of every inserted finding and margin, for review by a radiologist.

    python -m gan_engine.data.gallery docs/img/lesion_examples.png [--seed=0]

Rows: findings; columns: margins at 8 mm and 20 mm; each tile a 67 mm square of a real slice of
the example CT around the inserted nodule, lung window (W1500/L-600), plus the untouched slice.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from gan_engine.data.example_ct import load_example_ct, lung_slice_indices
from gan_engine.data.intensity import apply_window, window_preset
from gan_engine.data.lesions import LESION_FINDINGS, MARGINS, insert_nodule

TILE_PX = 96              # 96 px × 0.70 mm ≈ 67 mm field of view per tile
DIAMETERS_MM = (8.0, 20.0)


def _crop(image: np.ndarray, centre_rc: tuple[float, float]) -> np.ndarray:
    half = TILE_PX // 2
    r = int(np.clip(round(centre_rc[0]), half, image.shape[0] - half))
    c = int(np.clip(round(centre_rc[1]), half, image.shape[1] - half))
    return image[r - half : r + half, c - half : c + half]


def lesion_gallery(path: str | Path, *, seed: int = 0) -> Path:
    """Render the gallery PNG to `path` (matplotlib, Agg) and return the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ct = load_example_ct()
    lung = ct.lung_mask()
    slices = lung_slice_indices(ct)
    spacing = ct.spacing_mm[1:]
    centre, width = window_preset("lung")
    columns = [(m, d) for m in MARGINS for d in DIAMETERS_MM]
    fig, axes = plt.subplots(
        len(LESION_FINDINGS), len(columns) + 1, figsize=(2.0 * (len(columns) + 1), 2.2 * 3),
        dpi=110,
    )
    for row, finding in enumerate(LESION_FINDINGS):
        for col, (margin, diameter) in enumerate(columns):
            rng = np.random.default_rng([seed, row, col])
            k = int(slices[rng.integers(len(slices))])
            hu = ct.hu[k].astype(np.float32)
            lesion = insert_nodule(hu, lung[k], spacing, finding=finding, diameter_mm=diameter,
                                   margin=margin, rng=rng)
            ax = axes[row, col + 1]
            ax.imshow(apply_window(_crop(lesion.image_hu, lesion.centre_rc), centre, width),
                      cmap="gray", vmin=0, vmax=1, interpolation="bicubic")
            ax.set_title(f"{margin}, {diameter:.0f} mm", fontsize=8)
            if col == len(columns) - 1:  # the last tile's slice without the nodule
                before = axes[row, 0]
                before.imshow(apply_window(_crop(hu, lesion.centre_rc), centre, width),
                              cmap="gray", vmin=0, vmax=1, interpolation="bicubic")
                before.set_title("before (last tile)", fontsize=8)
                before.set_ylabel(finding.replace("_", " "), fontsize=9)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("Nodules inserted into the example chest CT (lung window W1500/L-600; "
                 "tiles 67 mm wide)", fontsize=10)
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="docs/img/lesion_examples.png")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(lesion_gallery(args.path, seed=args.seed))


if __name__ == "__main__":
    main()
