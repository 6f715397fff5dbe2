"""OR–Hillis analyses against published results on the Van Dyke (1993) data (data/README.md) and
against brute-force computations. Published numbers are asserted to the precision they are printed."""
from __future__ import annotations

import time

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from studies.stats.auc_covariance import reader_aucs
from studies.stats.mrmc import analyse_single_modality, compare_generators, compare_modalities


def printed(value: str) -> pytest.approx:
    """Equal to a published number to the digits it was printed with."""
    decimals = len(value.split("e")[0].split(".")[1]) if "." in value else 0
    exponent = int(value.split("e")[1]) if "e" in value else 0
    return pytest.approx(float(value), abs=0.5 * 10.0 ** (exponent - decimals))


def test_it_reproduces_rjafroc_or_jackknife_on_van_dyke(van_dyke):
    """RJafroc StSignificanceTesting(dataset02, FOM="Wilcoxon", method="OR"), RRRC, as printed in
    dpc10ster/RJafrocBook docs/10C-OR-AnalysisApplications.md."""
    result = compare_modalities(*van_dyke, covariance="jackknife")
    assert result.reader_aucs[0] == tuple(printed(v) for v in
                                          ("0.91964573", "0.85877617", "0.90386473", "0.97310789", "0.82979066"))
    assert result.aucs == (printed("0.89703704"), printed("0.94083736"))
    assert result.difference == printed("-0.043800322")
    assert result.mean_squares == (printed("0.0047961705"), printed("0.00383619999"), printed("0.00055103062"))
    c = result.components
    assert (c.reader, c.modality_reader) == (printed("0.00153499935"), printed("0.00020040252"))
    assert (c.cov1, c.cov2, c.cov3, c.error) == (printed("0.00034661371"), printed("0.00034407483"),
                                                 printed("0.00023902837"), printed("0.00080228827"))
    assert result.f == printed("4.4563187")
    assert result.ddf == printed("15.259675")
    assert result.p_value == printed("0.051665686")
    assert (result.low, result.high) == (printed("-0.087959499"), printed("0.00035885444"))
    assert result.design == "paired"


def test_it_reproduces_rjafroc_single_modality_intervals_on_van_dyke(van_dyke):
    """RJafroc RRRC$ciAvgRdrEachTrt and ANOVA$IndividualTrt for dataset02 (same source): Hillis's
    single-treatment SE, df and CI, and each treatment's Var and Cov2."""
    ratings, truth = van_dyke
    expected = {0: ("0.033173597", "12.744648", "0.82522360", "0.96885048", "0.00101410277", "0.00048396180"),
                1: ("0.021566368", "12.710190", "0.89413783", "0.98753689", "0.00059047376", "0.00020418785")}
    for i, (se, df, low, high, var, cov2) in expected.items():
        within = compare_modalities(ratings, truth).each_modality[i]
        alone = analyse_single_modality(ratings[i], truth)  # the same when cases are shared
        for result in (within, alone):
            assert (result.se, result.df, result.low, result.high) == (printed(se), printed(df), printed(low),
                                                                      printed(high))
            assert (result.components.error, result.components.cov2) == (printed(var), printed(cov2))
            assert result.components.reader == pytest.approx(result.mean_square_reader - result.components.error
                                                             + result.components.cov2)


def test_it_reproduces_mrmcaov_delong_on_van_dyke(van_dyke):
    """MRMCaov mrmc(empirical_auc(truth, rating), treatment, reader, case, data = VanDyke,
    cov = DeLong), summary as printed in brian-j-smith/MRMCaov docs/jss/MRMCaov.tex."""
    result = compare_modalities(*van_dyke, covariance="delong")
    c = result.components
    assert (c.reader, c.modality_reader, c.error) == (printed("0.0015364254"), printed("0.0002045840"),
                                                      printed("0.0007921325"))
    assert (c.cov1, c.cov2, c.cov3) == (printed("0.0003420090"), printed("0.0003395265"), printed("0.0002358497"))
    assert result.f == printed("4.484854")
    assert result.ddf == printed("15.06611")
    assert result.p_value == printed("0.05123303")
    assert result.se == printed("0.0206825")
    assert (result.low, result.high) == (printed("-0.0878671960"), printed("0.0002665519"))
    assert result.t == printed("-2.117747")
    first, second = result.each_modality
    assert (first.se, first.df, first.low, first.high) == (printed("0.03307642"), printed("12.59597"),
                                                           printed("0.8253461"), printed("0.9687280"))
    assert (second.se, second.df, second.components.cov2) == (printed("0.02150464"), printed("12.56530"),
                                                              printed("0.0002015292"))


def test_it_reproduces_mrmcaov_cases_nested_within_modality(van_dyke):
    """MRMCaov on VanDyke with case3 (cases nested within treatment), jackknife, same source: the
    partly-paired machinery with nothing shared, where Cov1 = Cov3 = 0 by design."""
    ratings, truth = van_dyke
    k = len(truth)
    nested = np.zeros((2, ratings.shape[1], 2 * k))
    nested[0, :, :k], nested[1, :, k:] = ratings[0], ratings[1]
    membership = np.zeros((2, 2 * k), bool)
    membership[0, :k] = membership[1, k:] = True
    result = compare_modalities(nested, np.concatenate([truth, truth]), membership)
    c = result.components
    assert result.design == "nested"
    assert (c.reader, c.modality_reader, c.error) == (printed("1.642585e-03"), printed("9.078969e-05"),
                                                      printed("8.058382e-04"))
    assert (c.cov1, c.cov2, c.cov3) == (0.0, printed("3.455973e-04"), 0.0)
    assert (result.f, result.ddf, result.p_value) == (printed("2.104491"), printed("68.42325"), printed("0.1514363"))
    assert result.se == printed("0.03019283")
    assert (result.each_modality[0].se, result.each_modality[0].df) == (printed("0.03320586"), printed("12.79430"))


def test_each_reader_auc_is_sklearns_roc_auc(van_dyke):
    """sklearn.metrics.roc_auc_score (trapezoidal = Wilcoxon with ties a half) per reader × modality."""
    ratings, truth = van_dyke
    fitted = reader_aucs(ratings, truth)
    expected = [[roc_auc_score(truth, ratings[i, j]) for j in range(ratings.shape[1])] for i in range(2)]
    np.testing.assert_allclose(fitted.aucs, expected, rtol=0, atol=1e-12)


def _study(rng, readers=4, real=15, synthetic=12, levels=5):
    ratings = rng.integers(1, levels + 1, size=(readers, real + synthetic)).astype(float)
    truth = np.r_[np.zeros(real, int), np.ones(synthetic, int)]
    ratings[:, truth == 1] += rng.integers(0, 2, size=(readers, synthetic))  # some signal, many ties
    return ratings, truth


def test_the_closed_form_jackknife_equals_refitting_without_each_case():
    """Efron's (1982) jackknife covariance, refitting sklearn's AUC with each case removed."""
    rng = np.random.default_rng(3)
    ratings, truth = _study(rng)
    paired = np.stack([ratings, np.clip(ratings + rng.integers(-1, 2, ratings.shape), 1, 6)])
    fitted = reader_aucs(paired, truth, method="jackknife")
    k = len(truth)
    refits = np.array([[roc_auc_score(np.delete(truth, c), np.delete(paired[i, j], c)) for c in range(k)]
                       for i in range(2) for j in range(ratings.shape[0])])
    centred = refits - refits.mean(axis=1, keepdims=True)
    expected = (k - 1) / k * centred @ centred.T
    np.testing.assert_allclose(fitted.covariance.reshape(expected.shape), expected, atol=1e-14)


def test_shared_real_images_correlate_two_generators_only_through_the_real_images():
    """DeLong covariance for two generators sharing the real images, against explicit pair sums:
    Cov(θ_A, θ_B) = Σ_q (V01_A,q − θ_A)(V01_B,q − θ_B) / (n(n − 1)) over the n real images, and each
    variance is DeLong's S10/m + S01/n over that generator's own images."""
    rng = np.random.default_rng(5)
    readers, real, per_generator = 3, 10, 7
    ratings = rng.normal(size=(readers, real + 2 * per_generator))
    truth = np.r_[np.zeros(real, int), np.ones(2 * per_generator, int)]
    generator = np.r_[np.full(real, -1), np.zeros(per_generator, int), np.ones(per_generator, int)]
    result = compare_generators(ratings, truth, generator, covariance="delong")
    assert result.design == "shared real images"

    def psi(x, y):
        return (x > y) + 0.5 * (x == y)

    fitted = reader_aucs(np.stack([ratings, ratings]), truth,
                         np.stack([(truth == 0) | (generator == g) for g in (0, 1)]), method="delong")
    reals = np.flatnonzero(truth == 0)
    for j in range(readers):
        v10, v01 = [], []
        for g in (0, 1):
            synthetic = np.flatnonzero(generator == g)
            pairs = psi(ratings[j, synthetic][:, None], ratings[j, reals][None, :])
            v10.append(pairs.mean(axis=1))
            v01.append(pairs.mean(axis=0))
        theta = [v.mean() for v in v10]
        cross = ((v01[0] - theta[0]) * (v01[1] - theta[1])).sum() / (real * (real - 1))
        assert fitted.covariance[0, j, 1, j] == pytest.approx(cross, abs=1e-15)
        own = np.var(v10[0], ddof=1) / per_generator + np.var(v01[0], ddof=1) / real
        assert fitted.covariance[0, j, 0, j] == pytest.approx(own, abs=1e-15)
    assert result.aucs[0] == pytest.approx(np.mean(fitted.aucs[0]))


def test_swapping_the_generators_flips_only_the_sign():
    rng = np.random.default_rng(8)
    ratings = rng.normal(size=(5, 60))
    truth = np.r_[np.zeros(20, int), np.ones(40, int)]
    generator = np.r_[np.full(20, -1), np.tile([0, 1], 20)]
    one = compare_generators(ratings, truth, generator)
    other = compare_generators(ratings, truth, np.where(generator >= 0, 1 - generator, -1))
    assert other.difference == pytest.approx(-one.difference)
    assert (other.p_value, other.ddf, other.se) == pytest.approx((one.p_value, one.ddf, one.se))


def test_it_refuses_one_reader_missing_ratings_and_unknown_methods(van_dyke):
    ratings, truth = van_dyke
    with pytest.raises(ValueError, match="two readers"):
        analyse_single_modality(ratings[0, :1], truth)
    holey = ratings.copy()
    holey[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="rate every case"):
        compare_modalities(holey, truth)
    with pytest.raises(ValueError, match="covariance method"):
        compare_modalities(ratings, truth, covariance="bootstrap")
    with pytest.raises(ValueError, match="generator 0 or 1"):
        compare_generators(ratings[0], truth, np.where(truth == 1, 2, -1))


def test_it_analyses_fifty_readers_and_two_thousand_images_quickly():
    """The size the brief names (50 readers × 2,000 images); docs/benchmarks.md has the timing."""
    rng = np.random.default_rng(0)
    ratings = rng.integers(1, 6, size=(50, 2000)).astype(float)
    truth = np.r_[np.zeros(1000, int), np.ones(1000, int)]
    generator = np.r_[np.full(1000, -1), np.tile([0, 1], 500)]
    start = time.perf_counter()
    for covariance in ("jackknife", "delong"):
        analyse_single_modality(ratings, truth, covariance=covariance)
        compare_generators(ratings, truth, generator, covariance=covariance)
    assert time.perf_counter() - start < 5.0
