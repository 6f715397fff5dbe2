"""Which ratings make up each source's comparison: the one home of that rule in the analysis.

- "generators": source g's ratings are the reads of its synthetic images and of ALL the real
  images (the generators share the real images), so its AUC, accuracy, sensitivity and
  specificity are "g's synthetic images against the real ones".
- "conditions": condition c's ratings are the reads made under c, of both truths.
In 2-AFC a trial belongs to the source of its synthetic image (left or right).
"""
from __future__ import annotations

import numpy as np

from studies.analysis.table import RatingsTable


def synthetic_source(table: RatingsTable) -> np.ndarray:
    """Per rating, the source of the synthetic image shown ("" for a real single image)."""
    if table.study_design == "2afc":
        return np.where(table.image_truth == 1, table.source, table.second_source)
    return np.where(table.image_truth == 1, table.source, "")


def modality_labels(table: RatingsTable, reads: np.ndarray) -> list[str]:
    """The sources compared, sorted: the generators (synthetic sources) or the conditions."""
    if table.comparison == "conditions" and table.study_design == "single":
        return sorted(np.unique(table.source[reads]).tolist())
    labels = np.unique(synthetic_source(table)[reads]).tolist()
    return sorted(label for label in labels if label != "")


def modality_masks(table: RatingsTable, reads: np.ndarray) -> dict[str, np.ndarray]:
    """label -> mask over ratings (module docstring), each within `reads`."""
    labels = modality_labels(table, reads)
    if table.comparison == "conditions" and table.study_design == "single":
        return {label: reads & (table.source == label) for label in labels}
    if table.study_design == "2afc":
        source = synthetic_source(table)
        return {label: reads & (source == label) for label in labels}
    real = table.image_truth == 0
    return {label: reads & (real | (table.source == label)) for label in labels}
