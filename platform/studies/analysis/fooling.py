"""Per image: how often it fooled its readers, shrunk, and what gave it away.

An image fools a read when the read's call is wrong about it: a synthetic image called real, a
real image called synthetic (2-AFC: the synthetic image picked as real fools for both images of
the trial). Raw rates k/n are noisy with a handful of reads, so each truth's rates are shrunk with
a beta-binomial prior fitted to that truth's images (studies/stats/shrinkage.py, empirical Bayes);
the ranked lists sort by the shrunk rate:
- best_fakes: synthetic images that most often passed as real;
- clearest_tells: synthetic images most reliably caught;
- suspicious_reals: real images most often called synthetic.
Each listed image carries its readers' tell words (lower-cased words of three or more letters,
with their counts), their texts, and their click points [tell_x, tell_y] (0..1) for a heat map.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

from studies.analysis.table import RatingsTable
from studies.analysis.two_afc import correct_choices
from studies.stats.shrinkage import shrink_fooling_rates

WORD = re.compile(r"[^\W\d_]{3,}")
COMMON = frozenset("the and for with was are this that too not but its has have looks look image".split())


def fooling_section(table: RatingsTable, called: np.ndarray, confidence: float, top: int = 20) -> dict:
    if not called.any():
        return {"applicable": False, "reason": "No read carries a call."}
    rows = np.flatnonzero(called)
    if table.study_design == "2afc":
        wrong = ~correct_choices(table)[rows]
        images = np.r_[table.image[rows], table.second_image[rows]]
        truth = np.r_[table.image_truth[rows], table.second_truth[rows]]
        source = np.r_[table.source[rows], table.second_source[rows]]
        finding = np.r_[table.finding[rows], np.full(len(rows), "")]
        fooled, read_of = np.r_[wrong, wrong], np.r_[rows, rows]
    else:
        images, truth, source, finding = (table.image[rows], table.image_truth[rows], table.source[rows],
                                          table.finding[rows])
        fooled = (table.answer[rows] == "synthetic") != (truth == 1)
        read_of = rows
    keys, first, index = np.unique(images, return_index=True, return_inverse=True)
    reads = np.bincount(index, minlength=len(keys))
    fooled_count = np.bincount(index, weights=fooled.astype(float), minlength=len(keys)).astype(int)
    per_image = []
    ranked = {}
    for value, name in ((1, "synthetic"), (0, "real")):
        members = np.flatnonzero(truth[first] == value)
        if len(members) == 0:
            continue
        if len(members) >= 2:
            shrunk = shrink_fooling_rates(fooled_count[members], reads[members], confidence)
            prior = {"alpha": shrunk.prior.alpha, "beta": shrunk.prior.beta, "mean": shrunk.prior.mean}
            estimate, low, high = shrunk.shrunk, shrunk.low, shrunk.high
        else:
            prior, estimate = None, fooled_count[members] / reads[members]
            low = high = np.full(len(members), np.nan)
        entries = [{"image": keys[j], "truth": value, "source": source[first[j]], "finding": finding[first[j]],
                    "reads": int(reads[j]), "fooled": int(fooled_count[j]), "raw_rate": fooled_count[j] / reads[j],
                    "shrunk_rate": float(e), "low": float(lo), "high": float(hi)}
                   for j, e, lo, hi in zip(members.tolist(), estimate, low, high)]
        per_image += entries
        ranked[name] = (entries, prior)
    out = {"applicable": True, "priors": {name: prior for name, (_, prior) in ranked.items()}, "per_image": per_image}
    lists = {"best_fakes": ("synthetic", True), "clearest_tells": ("synthetic", False),
             "suspicious_reals": ("real", True)}
    for key, (name, descending) in lists.items():
        entries = ranked.get(name, ([], None))[0]
        order = sorted(entries, key=lambda e: (-e["shrunk_rate"] if descending else e["shrunk_rate"], e["image"]))
        out[key] = [{**entry, "tells": _tells(table, read_of[index == np.searchsorted(keys, entry["image"])])}
                    for entry in order[:top]]
    return out


def _tells(table: RatingsTable, rows: np.ndarray) -> dict:
    texts = [table.tell_text[i] for i in rows.tolist() if table.tell_text[i]]
    words = Counter(w for text in texts for w in WORD.findall(text.lower()) if w not in COMMON)
    clicked = rows[np.isfinite(table.tell_x[rows]) & np.isfinite(table.tell_y[rows])]
    return {"words": [[w, c] for w, c in words.most_common(10)], "texts": texts,
            "points": np.stack([table.tell_x[clicked], table.tell_y[clicked]], axis=1).tolist()}
