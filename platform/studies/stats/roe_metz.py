"""Simulated reader studies from the Roe & Metz (1997) model, for checking the MRMC tests.

Roe CA, Metz CE (1997), "Dorfman-Berbaum-Metz method for statistical analysis of multireader,
multimodality receiver operating characteristic data: validation with computer simulation",
Acad Radiol 4:298–303. Reader j's latent rating of case k in modality i, for truth t (0 real,
1 synthetic), is

    X_ijkt = μ_it + R_jt + (τR)_ijt + C_kt + (τC)_ikt + (RC)_jkt + ε_ijkt

with independent zero-mean normal effects, drawn separately for each truth state; μ_i0 = 0 and
μ_i1 = Δ_i. The case-level variances sum to 1, so a reader's AUC is about Φ(Δ/√2): Δ = 0 is
"readers cannot tell" (AUC 0.5), Δ = 0.75 gives Roe & Metz's AUC 0.702.

Their variance structures (first letter: case variance high or low; second: reader variance high
or low; the reader values are those for AUC 0.702, the smallest AUC they used):

    HL: σ²_R = σ²_τR = 0.0055,  σ²_C = σ²_τC = 0.3, σ²_RC = 0.2, σ²_ε = 0.2
    LL: σ²_R = σ²_τR = 0.0055,  σ²_C = σ²_τC = 0.1, σ²_RC = 0.2, σ²_ε = 0.6
    HH: σ²_R = σ²_τR = 0.011,   σ²_C = σ²_τC = 0.3, σ²_RC = 0.2, σ²_ε = 0.2
    LH: σ²_R = σ²_τR = 0.011,   σ²_C = σ²_τC = 0.1, σ²_RC = 0.2, σ²_ε = 0.6

Two study designs: `paired_studies` (every reader reads every case in both modalities) and
`shared_real_studies` (two generators in one study: each image read once, the real images shared;
a real image's rating is its modality-1 draw, a generator's synthetic image its own modality's).
Every call simulates many studies at once, vectorised over studies, readers and cases.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RoeMetzVariances:
    reader: float  # σ²_R
    modality_reader: float  # σ²_τR
    case: float  # σ²_C
    modality_case: float  # σ²_τC
    reader_case: float  # σ²_RC
    error: float  # σ²_ε (includes the modality × reader × case term)


ROE_METZ_1997 = {
    "HL": RoeMetzVariances(0.0055, 0.0055, 0.3, 0.3, 0.2, 0.2),
    "LL": RoeMetzVariances(0.0055, 0.0055, 0.1, 0.1, 0.2, 0.6),
    "HH": RoeMetzVariances(0.011, 0.011, 0.3, 0.3, 0.2, 0.2),
    "LH": RoeMetzVariances(0.011, 0.011, 0.1, 0.1, 0.2, 0.6),
}


def _latent(rng, v: RoeMetzVariances, studies: int, readers: int, cases: int, modalities: int = 2) -> np.ndarray:
    """One truth state's zero-mean latent ratings [study, modality, reader, case]."""
    def draw(variance, *shape):
        return np.sqrt(variance) * rng.standard_normal(shape, dtype=np.float64)

    return (draw(v.reader, studies, 1, readers, 1) + draw(v.modality_reader, studies, modalities, readers, 1)
            + draw(v.case, studies, 1, 1, cases) + draw(v.modality_case, studies, modalities, 1, cases)
            + draw(v.reader_case, studies, 1, readers, cases)
            + draw(v.error, studies, modalities, readers, cases))


def paired_studies(rng: np.random.Generator, variances: RoeMetzVariances, studies: int, readers: int, real: int,
                   synthetic: int, separation: tuple[float, float] = (0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    """ratings [study, modality, reader, case] and truth [case] (real first, then synthetic)."""
    negatives = _latent(rng, variances, studies, readers, real)
    positives = _latent(rng, variances, studies, readers, synthetic) + np.asarray(separation)[None, :, None, None]
    truth = np.r_[np.zeros(real, int), np.ones(synthetic, int)]
    return np.concatenate([negatives, positives], axis=-1), truth


def shared_real_studies(rng: np.random.Generator, variances: RoeMetzVariances, studies: int, readers: int,
                        real: int, per_generator: int, separation: tuple[float, float] = (0.0, 0.0)
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ratings [study, reader, image], truth [image] and generator [image] (−1 for real images):
    `real` shared real images, then `per_generator` synthetic images of generator 0 and of 1."""
    negatives = _latent(rng, variances, studies, readers, real)[:, 0]
    # 2 × per_generator distinct synthetic images (each its own case effects): generator g's are read
    # in modality g, so a reader's R_j is common to both generators and (τR)_gj is not.
    positives = _latent(rng, variances, studies, readers, 2 * per_generator)
    positives += np.asarray(separation)[None, :, None, None]
    ratings = np.concatenate([negatives, positives[:, 0, :, :per_generator], positives[:, 1, :, per_generator:]],
                             axis=-1)
    truth = np.r_[np.zeros(real, int), np.ones(2 * per_generator, int)]
    generator = np.r_[np.full(real, -1), np.zeros(per_generator, int), np.ones(per_generator, int)]
    return ratings, truth, generator
