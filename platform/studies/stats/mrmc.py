"""Obuchowski–Rockette (OR) analysis of reader studies with Hillis's denominator degrees of freedom.

Readers and cases are both random. The figure of merit is each reader's empirical (Wilcoxon) AUC
in each modality, θ_ij; its covariances come from `auc_covariance` (jackknife or DeLong).

OR model (Obuchowski & Rockette 1995): θ̂_ij = μ + τ_i + R_j + (τR)_ij + ε_ij, with the error
covariances averaged into four numbers:
    Var  = Var(ε_ij)                       one reader, one modality
    Cov1 = Cov(ε_ij, ε_i'j)                same reader, different modalities
    Cov2 = Cov(ε_ij, ε_ij')                same modality, different readers
    Cov3 = Cov(ε_ij, ε_i'j')               different reader and modality
Mean squares over the t × r table of AUCs: MS(T) = r Σ_i (θ̄_i. − θ̄..)²/(t − 1),
MS(R) = t Σ_j (θ̄_.j − θ̄..)²/(r − 1), MS(TR) = Σ_ij (θ_ij − θ̄_i. − θ̄_.j + θ̄..)²/((t − 1)(r − 1)).

Two modalities (Hillis 2007; Hillis, Berbaum & Metz 2008), which is what the Iowa OR-DBM MRMC
program, RJafroc and MRMCaov compute:
    D   = MS(TR) + r·max(Cov2 − Cov3, 0)
    F   = MS(T) / D  on 1 and  ddf = D² / (MS(TR)² / ((t − 1)(r − 1)))  degrees of freedom
    SE(θ̄_1 − θ̄_2) = √(2D/r);  CI = difference ± t_{ddf} · SE
    σ²_TR = MS(TR) − Var + Cov1 + Cov2 − Cov3
    σ²_R  = (MS(R) − σ²_TR − Var − (t − 1)Cov1 + Cov2 + (t − 1)Cov3) / t

One modality (Hillis 2007, "single test" analysis): θ̄ = mean over readers,
    SE = √(MS(R)/r + max(Cov2, 0)),  df = (MS(R) + r·max(Cov2, 0))² / (MS(R)²/(r − 1)),
    t = (θ̄ − θ₀)/SE against θ₀ = 0.5 ("readers cannot tell"),  σ²_R = MS(R) − Var + Cov2.
With few readers and cases this test runs slightly liberal: on Roe & Metz (1997) null studies it
rejected 5.7% at α = 0.05 with 5 readers and 40 + 40 images (LH), 4.8–5.0% with 10 readers and
100 + 100 (docs/benchmarks.md, benchmarks/mrmc_null.py). Ratings: higher = more surely synthetic;
truth 1 = synthetic.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from studies.stats.auc_covariance import ReaderAucs, reader_aucs


@dataclass(frozen=True)
class VarianceComponents:
    reader: float  # σ²_R: between-reader variance of the true AUCs
    modality_reader: float  # σ²_TR: reader × modality interaction (nan with one modality)
    error: float  # Var: error variance of one reader's AUC (case sampling + within-reader)
    cov1: float  # same reader, different modalities (nan with one modality)
    cov2: float  # same modality, different readers
    cov3: float  # different readers and modalities (nan with one modality)


@dataclass(frozen=True)
class SingleModalityAnalysis:
    """Reader-averaged AUC against `null_auc`, readers and cases random (Hillis 2007)."""
    auc: float  # reader-averaged empirical AUC
    reader_aucs: tuple[float, ...]
    null_auc: float
    se: float
    df: float  # Hillis's denominator degrees of freedom
    t: float
    p_value: float  # two-sided
    low: float  # CI of the reader-averaged AUC (not clipped)
    high: float
    mean_square_reader: float  # MS(R)
    components: VarianceComponents
    n_positive: int  # synthetic images
    n_negative: int  # real images
    covariance_method: str


@dataclass(frozen=True)
class ModalityComparison:
    """Two modalities (or generators): θ̄_1 − θ̄_2 by OR with Hillis ddf."""
    aucs: tuple[float, float]  # reader-averaged AUC of each modality
    reader_aucs: tuple[tuple[float, ...], tuple[float, ...]]
    difference: float  # aucs[0] − aucs[1]
    se: float
    f: float  # on 1 and ddf degrees of freedom; f = t²
    t: float
    ddf: float
    p_value: float
    low: float  # CI of the difference
    high: float
    mean_squares: tuple[float, float, float]  # MS(T), MS(R), MS(TR)
    components: VarianceComponents
    each_modality: tuple[SingleModalityAnalysis, SingleModalityAnalysis]  # each against 0.5
    design: str  # "paired", "shared real images", "nested" or "partly paired"
    covariance_method: str


def analyse_single_modality(ratings, truth, covariance: str = "jackknife", null_auc: float = 0.5,
                            confidence: float = 0.95) -> SingleModalityAnalysis:
    """Hillis's single-modality test. ratings [reader, case], truth [case] (1 = synthetic)."""
    ratings = np.asarray(ratings, dtype=float)
    if ratings.ndim != 2:
        raise ValueError("Ratings must be indexed [reader, case].")
    fitted = reader_aucs(ratings[None], truth, method=covariance)
    return _single_modality(fitted, 0, null_auc, confidence)


def compare_modalities(ratings, truth, membership=None, covariance: str = "jackknife",
                       confidence: float = 0.95) -> ModalityComparison:
    """OR–Hillis comparison of two modalities. ratings [2, reader, case]; truth [case];
    membership [2, case] (which cases belong to each modality), None = fully paired."""
    ratings = np.asarray(ratings, dtype=float)
    if ratings.ndim != 3 or ratings.shape[0] != 2:
        raise ValueError("Ratings must be indexed [modality, reader, case] with two modalities.")
    fitted = reader_aucs(ratings, truth, membership, method=covariance)
    return _two_modalities(fitted, _design_name(truth, membership), confidence)


def compare_generators(ratings, truth, generator, covariance: str = "jackknife",
                       confidence: float = 0.95) -> ModalityComparison:
    """Two generators in one study: every image read once; the real images are shared.
    ratings [reader, image]; truth [image] (1 = synthetic); generator [image] is 0 or 1 for a
    synthetic image (ignored for real ones). Each generator's AUC is its synthetic images against
    all the real images; see `auc_covariance` for how the shared real images correlate them."""
    ratings = np.asarray(ratings, dtype=float)
    truth = np.asarray(truth).astype(bool)
    generator = np.asarray(generator)
    if generator.shape != truth.shape or not np.isin(generator[truth], (0, 1)).all():
        raise ValueError("Each synthetic image needs generator 0 or 1.")
    real = ~truth
    membership = np.stack([real | (truth & (generator == 0)), real | (truth & (generator == 1))])
    return compare_modalities(np.stack([ratings, ratings]), truth, membership, covariance, confidence)


def single_modality_from_fitted(fitted: ReaderAucs, modality: int = 0, null_auc: float = 0.5,
                                confidence: float = 0.95) -> SingleModalityAnalysis:
    """Hillis's single-modality test on figures of merit fitted elsewhere: `fitted.aucs` may hold any
    per-reader figure of merit (e.g. 2-AFC proportion correct) with its case-jackknife covariance."""
    return _single_modality(fitted, modality, null_auc, confidence)


def compare_fitted(fitted: ReaderAucs, design: str, confidence: float = 0.95) -> ModalityComparison:
    """The OR–Hillis comparison of two modalities' figures of merit fitted elsewhere (as above)."""
    if fitted.aucs.shape[0] != 2:
        raise ValueError("A comparison needs exactly two modalities.")
    return _two_modalities(fitted, design, confidence)


def _design_name(truth, membership) -> str:
    if membership is None:
        return "paired"
    membership, truth = np.asarray(membership, bool), np.asarray(truth).astype(bool)
    shared = membership[0] & membership[1]
    if shared.all() or (membership[0] == membership[1]).all():
        return "paired"
    if not shared.any():
        return "nested"
    if (shared == ((membership[0] | membership[1]) & ~truth)).all():
        return "shared real images"
    return "partly paired"


def _error_covariances(covariance: np.ndarray) -> tuple[float, float, float, float]:
    """Var, Cov1, Cov2, Cov3: averages of the [t, r, t, r] covariance over the four kinds of pair."""
    t, r = covariance.shape[:2]
    same_modality = np.eye(t, dtype=bool)[:, None, :, None]
    same_reader = np.eye(r, dtype=bool)[None, :, None, :]
    shape = covariance.shape

    def mean_where(mask) -> float:
        mask = np.broadcast_to(mask, shape)
        return float(covariance[mask].mean()) if mask.any() else float("nan")

    return (mean_where(same_modality & same_reader), mean_where(~same_modality & same_reader),
            mean_where(same_modality & ~same_reader), mean_where(~same_modality & ~same_reader))


def _single_modality(fitted: ReaderAucs, i: int, null_auc: float, confidence: float) -> SingleModalityAnalysis:
    aucs = fitted.aucs[i]
    r = len(aucs)
    if r < 2:
        raise ValueError("A random-reader analysis needs at least two readers.")
    var, _, cov2, _ = _error_covariances(fitted.covariance[i:i + 1, :, i:i + 1, :])
    ms_r = float(aucs.var(ddof=1))
    denominator = ms_r + r * max(cov2, 0.0)
    se = float(np.sqrt(denominator / r))
    df = denominator ** 2 / (ms_r ** 2 / (r - 1)) if ms_r > 0 else float("inf")
    mean = float(aucs.mean())
    t = (mean - null_auc) / se if se > 0 else float("nan")
    half = stats.t.ppf(0.5 + confidence / 2, df) * se
    components = VarianceComponents(reader=ms_r - var + cov2, modality_reader=float("nan"), error=var,
                                    cov1=float("nan"), cov2=cov2, cov3=float("nan"))
    return SingleModalityAnalysis(mean, tuple(float(a) for a in aucs), null_auc, se, float(df), float(t),
                                  float(2 * stats.t.sf(abs(t), df)), mean - half, mean + half, ms_r,
                                  components, fitted.n_positive[i], fitted.n_negative[i], fitted.method)


def _two_modalities(fitted: ReaderAucs, design: str, confidence: float) -> ModalityComparison:
    aucs = fitted.aucs
    t_count, r = aucs.shape
    if r < 2:
        raise ValueError("A random-reader analysis needs at least two readers.")
    var, cov1, cov2, cov3 = _error_covariances(fitted.covariance)
    modality_means, reader_means, grand = aucs.mean(axis=1), aucs.mean(axis=0), aucs.mean()
    ms_t = r * ((modality_means - grand) ** 2).sum() / (t_count - 1)
    ms_r = t_count * ((reader_means - grand) ** 2).sum() / (r - 1)
    interaction = aucs - modality_means[:, None] - reader_means[None, :] + grand
    ms_tr = (interaction ** 2).sum() / ((t_count - 1) * (r - 1))
    denominator = ms_tr + r * max(cov2 - cov3, 0.0)
    ddf = denominator ** 2 / (ms_tr ** 2 / ((t_count - 1) * (r - 1))) if ms_tr > 0 else float("inf")
    difference = float(modality_means[0] - modality_means[1])
    se = float(np.sqrt(2 * denominator / r))
    t = difference / se if se > 0 else float("nan")
    half = stats.t.ppf(0.5 + confidence / 2, ddf) * se
    components = _two_modality_components(ms_r, ms_tr, var, cov1, cov2, cov3, t_count)
    return ModalityComparison(
        (float(modality_means[0]), float(modality_means[1])),
        (tuple(float(a) for a in aucs[0]), tuple(float(a) for a in aucs[1])),
        difference, se, float(ms_t / denominator), float(t), float(ddf), float(2 * stats.t.sf(abs(t), ddf)),
        difference - half, difference + half, (float(ms_t), float(ms_r), float(ms_tr)), components,
        (_single_modality(fitted, 0, 0.5, confidence), _single_modality(fitted, 1, 0.5, confidence)),
        design, fitted.method)


def _two_modality_components(ms_r, ms_tr, var, cov1, cov2, cov3, t) -> VarianceComponents:
    """Method-of-moments OR components (Hillis 2005, Table 1 expectations):
    E[MS(TR)] = σ²_TR + Var − Cov1 − Cov2 + Cov3,
    E[MS(R)]  = tσ²_R + σ²_TR + Var + (t − 1)Cov1 − Cov2 − (t − 1)Cov3."""
    modality_reader = ms_tr - var + cov1 + cov2 - cov3
    reader = (ms_r - modality_reader - var - (t - 1) * cov1 + cov2 + (t - 1) * cov3) / t
    return VarianceComponents(float(reader), float(modality_reader), var, cov1, cov2, cov3)
