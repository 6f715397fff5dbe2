"""The engine's automated Turing test on the very images the readers saw, to set beside theirs.

gan_engine.metrics.turing (a cross-validated logistic regression, out-of-fold ROC AUC with DeLong's
CI) on simple image-content features of each main pool image as served to readers: grey-value
statistics, noise and spectrum (studies.blinding.features, less its file-format features, which
the blinding audit already judges). One AUC over all synthetic images and one per synthetic
source. A machine AUC near 0.5 on such features says little about realism; one far above it
says the images carry a simple trace a reader could learn.
"""
from __future__ import annotations

import numpy as np

from studies.blinding import features
from studies.models import PoolImage, PoolRole, Study
from studies.reading import reencoded_master

# Content features only: the file's size, PNG chunks and dimensions are the audit's business.
CONTENT_FEATURES = ("mean", "std", "p01", "p50", "p99", "noise_std", "high_freq_share", "spectrum_slope")
METHOD = ("logistic regression on grey-value, noise and spectrum features of the served images "
          "(gan_engine.metrics.turing, 5-fold out-of-fold AUC, DeLong 95% CI)")


def automated_turing_test(study: Study) -> dict:
    """{method, features, overall, by_source: {label: …}} with each {auc, low, high, n_real, n_synthetic},
    or {method, reason} when there are too few images of a kind."""
    from gan_engine.metrics.turing import turing_test_auc

    pool = PoolImage.objects.filter(study=study, role=PoolRole.MAIN).select_related("image", "source").order_by("pk")
    rows, truth, labels = [], [], []
    for p in pool:
        values = features(reencoded_master(p))
        rows.append([values[name] for name in CONTENT_FEATURES])
        truth.append(p.truth == "synthetic")
        labels.append(p.source.label)
    x, truth, labels = np.asarray(rows, dtype=float).reshape(-1, len(CONTENT_FEATURES)), np.asarray(truth), np.asarray(labels)
    out = {"method": METHOD, "features": list(CONTENT_FEATURES), "by_source": {}}

    def one(mask: np.ndarray) -> dict | None:
        real, fake = x[~truth], x[mask & truth]
        if len(real) < 2 or len(fake) < 2:
            return None
        auc, low, high = turing_test_auc(real, fake, seed=study.seed % 2**31)
        return {"auc": auc, "low": low, "high": high, "n_real": int(len(real)), "n_synthetic": int(len(fake))}

    out["overall"] = one(np.ones(len(truth), bool))
    if out["overall"] is None:
        return {"method": METHOD, "reason": "The automated test needs at least 2 real and 2 synthetic main images."}
    synthetic_labels = sorted(set(labels[truth].tolist()))
    if len(synthetic_labels) > 1:
        out["by_source"] = {label: one(labels == label) for label in synthetic_labels}
    return out
