"""Evaluation plots as PNG files (matplotlib, Agg backend): metric table with 95% CIs, a sample
grid, and nearest-real-neighbour pairs for the memorisation check."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

METRIC_LABELS = {
    "fid": "FID (lower is better)", "kid": "KID (lower is better)", "precision": "Precision",
    "recall": "Recall", "density": "Density", "coverage": "Coverage", "ms_ssim_fake": "MS-SSIM, synthetic",
    "ms_ssim_real": "MS-SSIM, real", "memorisation": "Near-copies (fraction)", "turing_auc": "Classifier AUC",
}

UNIT_RANGE = {"precision", "recall", "coverage", "ms_ssim_fake", "ms_ssim_real", "memorisation", "turing_auc"}
FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and workers
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.4g}"


def metric_table(metrics: dict[str, dict[str, Any]], path: Path) -> Path:
    """One row per metric: value, 95% CI, n real/fake, and the CI drawn as a bar on the metric's own
    scale (metrics differ in units, so bars show each interval's width around its value, not across rows).
    A metric computed on features is marked with a footnote naming its feature space (the results'
    `feature_space_label`): an FID means nothing without it."""
    keys = list(metrics)
    spaces = list(dict.fromkeys(m["feature_space_label"] for m in metrics.values() if m.get("feature_space_label")))
    marks = {space: FOOTNOTE_MARKS[i % len(FOOTNOTE_MARKS)] for i, space in enumerate(spaces)}
    fig = _figure(9, 0.32 * (len(keys) + len(spaces) + 1) + 0.6)
    ax = fig.add_axes([0.01, 0.02, 0.98, 0.96])
    ax.axis("off")
    ax.set_xlim(0, 1)
    ax.set_ylim(len(keys) + len(spaces) - 0.5, -1.5)
    columns = (0.01, 0.36, 0.48, 0.66)
    for x, text in zip(columns + (0.78,), ("Metric", "Value", "95% CI", "n real / fake", "Interval")):
        ax.text(x, -1, text, fontsize=9, fontweight="bold", va="center")
    ax.axhline(-0.55, color="#888", linewidth=0.6)
    bar_left, bar_right = 0.78, 0.955
    for row, key in enumerate(keys):
        m = metrics[key]
        mark = marks.get(m.get("feature_space_label"), "")
        cells = (METRIC_LABELS.get(key, key) + mark, _fmt(m["value"]), f"{_fmt(m['ci_low'])} – {_fmt(m['ci_high'])}",
                 f"{m['n_real']} / {m['n_fake']}")
        for x, text in zip(columns, cells):
            ax.text(x, row, text, fontsize=8.5, va="center")
        if m["value"] is None:
            continue
        low = m["ci_low"] if m["ci_low"] is not None else m["value"]
        high = m["ci_high"] if m["ci_high"] is not None else m["value"]
        # Metrics bounded to [0, 1] are drawn on that range; others on [0, 1.25 x the upper CI end].
        lo_edge, hi_edge = (0.0, 1.0) if key in UNIT_RANGE else (min(0.0, low), max(high * 1.25, 1e-9))

        def x_of(v: float) -> float:
            return bar_left + (v - lo_edge) / (hi_edge - lo_edge) * (bar_right - bar_left)

        ax.plot([bar_left, bar_right], [row, row], color="#ccc", linewidth=0.8)
        ax.text(bar_right + 0.005, row, _fmt(hi_edge), fontsize=6, va="center", color="#777")
        ax.plot([x_of(low), x_of(high)], [row, row], color="#1f77b4", linewidth=1.5)
        ax.plot([x_of(m["value"])], [row], "o", color="#1f77b4", markersize=3.5)
    for row, space in enumerate(spaces, start=len(keys)):
        ax.text(0.01, row, f"{marks[space]} computed in the feature space of {space}", fontsize=7.5,
                va="center", color="#555")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


def _display(images: np.ndarray) -> np.ndarray:
    """[n,1,H,W] unit-scale -> [n,H,W] lung-window display values in [0, 1]."""
    from gan_engine.data.intensity import apply_window, unit_to_hu, window_preset

    return np.asarray(apply_window(unit_to_hu(np.clip(images, -1, 1)), *window_preset("lung")))[:, 0]


def sample_grid(images: np.ndarray, path: Path, cols: int = 4, title: str = "Synthetic samples") -> Path:
    """A grid of synthetic images in the lung window (W1500/L-600)."""
    shown = _display(images)
    rows = -(-len(shown) // cols)
    fig = _figure(2 * cols, 2 * rows + 0.4)
    fig.suptitle(title, fontsize=10)
    for i, image in enumerate(shown):
        ax = fig.add_subplot(rows, cols, i + 1)
        ax.imshow(image, cmap="gray", vmin=0, vmax=1)
        ax.axis("off")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


def nearest_pairs(real: np.ndarray, fake: np.ndarray, memorisation: dict[str, Any], path: Path,
                  k: int = 6) -> Path:
    """The k synthetic images closest to a real one (smallest pixel-space ratio) beside that real image."""
    extra = memorisation.get("extra", {})
    pairs = extra.get("pairs", [])
    space = "pixel" if "pixel" in extra.get("spaces", []) else "feature"
    pairs = sorted(pairs, key=lambda p: p.get(f"{space}_ratio") if p.get(f"{space}_ratio") is not None else 1e9)[:k]
    fig = _figure(4.4, 2.2 * max(len(pairs), 1) + 0.5)
    fig.suptitle(f"Nearest real neighbour ({space} space): flagged if ratio < {extra.get('threshold_ratio')}",
                 fontsize=9)
    shown_fake, shown_real = _display(fake), _display(real)
    for row, pair in enumerate(pairs):
        j, i = pair["fake"], pair[f"{space}_nearest_train"]
        for col, (image, label) in enumerate(((shown_fake[j], f"synthetic #{j}"),
                                              (shown_real[i], f"real #{i}, ratio {_fmt(pair[f'{space}_ratio'])}"))):
            ax = fig.add_subplot(max(len(pairs), 1), 2, 2 * row + col + 1)
            ax.imshow(image, cmap="gray", vmin=0, vmax=1)
            ax.set_title(label + (" ⚠ near-copy" if col and pair.get("flagged") else ""), fontsize=7)
            ax.axis("off")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path
