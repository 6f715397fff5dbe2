"""The report's plots, drawn once by the analysis job (matplotlib, Agg) and stored as PNG files.

Drawn from the analysis result (the same numbers the page prints) and, for the click heat map, the
table's click points. The page and the PDF show the same files. Each file is written beside its
final name and `os.replace`d, so a reader of the folder never sees half a PNG.
"""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a worker; set before pyplot is imported
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from studies.analysis.table import RatingsTable  # noqa: E402

PLOTS = ("roc", "learning", "reading_times", "tells")
DPI = 110


def draw_plots(result: dict, table: RatingsTable, folder: Path) -> dict[str, Path]:
    """name -> written PNG path, for each of PLOTS that has data."""
    folder.mkdir(parents=True, exist_ok=True)
    drawn = {}
    for name, draw in (("roc", _roc), ("learning", _learning), ("reading_times", _reading_times),
                       ("tells", _tells)):
        figure = draw(result, table)
        if figure is None:
            continue
        path = folder / f"{name}.png"
        partial = folder / f".{name}.png.partial"
        figure.savefig(partial, format="png", dpi=DPI, bbox_inches="tight")
        plt.close(figure)
        os.replace(partial, path)
        drawn[name] = path
    return drawn


def _roc(result: dict, table: RatingsTable):
    readers = [r for r in (result.get("roc") or {}).get("readers", []) if r.get("overall")]
    if not readers:
        return None
    figure, ax = plt.subplots(figsize=(5.2, 4.6))
    for entry in readers:
        roc = entry["overall"]
        ax.step(roc["fpr"], roc["tpr"], where="post", lw=1.4,
                label=f"{entry['reader']}: AUC {roc['auc']:.2f} ({roc['low']:.2f}–{roc['high']:.2f})")
    ax.plot([0, 1], [0, 1], ls="--", color="0.6", lw=1, label="chance (AUC 0.5)")
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel="False positive rate (real called synthetic)",
           ylabel="True positive rate (synthetic called synthetic)", title="Empirical ROC per reader")
    ax.set_aspect("equal")
    ax.legend(fontsize=7, loc="lower right")
    return figure


def _learning(result: dict, table: RatingsTable):
    bins = [b for b in (result.get("learning") or {}).get("accuracy_by_position", []) if b.get("reads")]
    if not bins:
        return None
    centre = np.array([(b["from"] + b["to"]) / 2 for b in bins], dtype=float)
    accuracy = np.array([b["accuracy"] for b in bins], dtype=float)
    low = np.array([b["low"] for b in bins], dtype=float)
    high = np.array([b["high"] for b in bins], dtype=float)
    figure, ax = plt.subplots(figsize=(6.4, 3.4))
    ax.fill_between(centre, low, high, alpha=0.25, label="95% Wilson interval")
    ax.plot(centre, accuracy, marker="o", lw=1.5, label="accuracy")
    ax.axhline(0.5, ls="--", color="0.6", lw=1, label="chance")
    ax.set(ylim=(0, 1), xlabel="Trial index (position in the reader's sequence)", ylabel="Accuracy",
           title="Accuracy against trial index")
    ax.legend(fontsize=7, loc="lower right")
    return figure


def _reading_times(result: dict, table: RatingsTable):
    times = (result.get("learning") or {}).get("reading_time") or {}
    groups = []
    for family in ("by_truth", "by_correctness"):
        for label, q in (times.get(family) or {}).items():
            if q and q.get("reads"):
                groups.append((label, q))
    if not groups:
        return None
    figure, ax = plt.subplots(figsize=(6.4, 3.0))
    for i, (label, q) in enumerate(groups):
        ax.plot([q["q1_ms"] / 1000, q["q3_ms"] / 1000], [i, i], lw=8, color="C0", alpha=0.35, solid_capstyle="butt")
        ax.plot([q["median_ms"] / 1000], [i], marker="|", markersize=16, color="C0", mew=2)
        ax.text(q["q3_ms"] / 1000, i, f"  median {q['median_ms'] / 1000:.1f} s, n = {q['reads']}", va="center",
                fontsize=7)
    ax.set_yticks(range(len(groups)), [label for label, _ in groups])
    ax.set_ylim(-0.6, len(groups) - 0.4)
    right = max(q["q3_ms"] for _, q in groups) / 1000
    ax.set_xlim(0, right * 1.6 if right > 0 else 1)
    ax.set(xlabel="Reading time (s): median and interquartile range", title="Reading time")
    return figure


def _tells(result: dict, table: RatingsTable):
    """Where readers clicked to show what gave an image away, over all main reads (image space)."""
    picked = (table.trial_kind == "main") & np.isfinite(table.tell_x) & np.isfinite(table.tell_y)
    if not picked.any():
        return None
    figure, ax = plt.subplots(figsize=(4.2, 4.0))
    counts, _, _ = np.histogram2d(table.tell_y[picked], table.tell_x[picked], bins=12, range=[[0, 1], [0, 1]])
    shown = ax.imshow(counts, extent=(0, 1, 1, 0), cmap="magma", interpolation="nearest")
    ax.scatter(table.tell_x[picked], table.tell_y[picked], s=6, c="cyan", alpha=0.7, linewidths=0)
    ax.set(xlabel="x (share of the image width)", ylabel="y (share of the height, top = 0)",
           title=f"Tells: {int(picked.sum())} click point(s)")
    figure.colorbar(shown, ax=ax, label="clicks per cell", shrink=0.8)
    return figure
