import json

import numpy as np
import pytest

import gan_engine
from gan_engine.metrics import (
    COVERAGE, DENSITY, FID, KID, MEMORISATION, MS_SSIM_FAKE, MS_SSIM_REAL, PRECISION, RECALL,
    METRICS, TURING_AUC, MetricResult, evaluate, results_to_json,
)

ALL_KEYS = [FID, KID, PRECISION, RECALL, DENSITY, COVERAGE, MS_SSIM_FAKE, MS_SSIM_REAL,
            MEMORISATION, TURING_AUC]


def test_it_is_the_public_evaluate_of_the_engine():
    assert gan_engine.evaluate is evaluate


def test_it_returns_every_constant_key_with_an_interval_and_strict_json(make_blobs, pooled_pixels):
    real, fake = make_blobs(60, 0), make_blobs(50, 1)
    results = evaluate(real, fake, feature_space=pooled_pixels, n_bootstrap=20)
    assert list(results) == ALL_KEYS
    for result in results.values():
        assert isinstance(result, MetricResult)
        assert (result.n_real, result.n_fake) == (60, 50)
        assert result.ci_low <= result.ci_high
    json.dumps(results_to_json(results), allow_nan=False)


def test_a_collapsed_generator_raises_every_alarm(make_blobs, pooled_pixels):
    real = make_blobs(200, 0)
    collapsed = np.repeat(make_blobs(1, 5), 50, axis=0)
    results = evaluate(real, collapsed, feature_space=pooled_pixels, n_bootstrap=20)
    assert results[RECALL].value < 0.05
    assert results[COVERAGE].value < 0.1
    assert results[MS_SSIM_FAKE].value == pytest.approx(1.0)
    assert results[MS_SSIM_REAL].value < 0.8
    assert results[TURING_AUC].value > 0.9


def test_copies_of_training_images_are_flagged_with_their_pairs(make_blobs, pooled_pixels):
    train = make_blobs(40, 0)
    fake = np.concatenate([train[[3, 8]], make_blobs(8, 7)])
    result = evaluate(train, fake, feature_space=pooled_pixels, metrics=["memorisation"],
                      n_bootstrap=20)[MEMORISATION]
    assert result.value == pytest.approx(2 / 10)
    assert result.extra["flagged_fake"] == [0, 1]
    pairs = result.extra["pairs"]
    assert (pairs[0]["pixel_nearest_train"], pairs[1]["pixel_nearest_train"]) == (3, 8)


def test_a_separate_training_set_is_used_for_memorisation(make_blobs, pooled_pixels):
    train = make_blobs(30, 3)
    fake = np.concatenate([train[:1], make_blobs(9, 4)])
    result = evaluate(make_blobs(30, 0), fake, feature_space=pooled_pixels, metrics=["memorisation"],
                      train_images=train, n_bootstrap=0)[MEMORISATION]
    assert result.extra["flagged_fake"] == [0]
    assert result.extra["n_train"] == 30


def test_every_result_names_the_feature_space_it_was_computed_in(make_blobs, pooled_pixels):
    results = evaluate(make_blobs(30, 0), make_blobs(30, 1), feature_space=pooled_pixels, n_bootstrap=0)
    for key in (FID, KID, PRECISION, RECALL, DENSITY, COVERAGE, MEMORISATION, TURING_AUC):
        assert results[key].feature_space_label == "test-pooled-pixels", key  # no label: the id
    assert results[MS_SSIM_FAKE].feature_space_label is None and results[MS_SSIM_REAL].feature_space_label is None
    rng = np.random.default_rng(0)
    given = evaluate(rng.normal(size=(20, 6)), rng.normal(size=(20, 6)), metrics=["fid"], n_bootstrap=0)
    assert given[FID].feature_space_label == "feature vectors given by the caller"


def test_the_training_set_is_embedded_only_for_metrics_that_use_it(make_blobs, pooled_pixels):
    real, fake, train = make_blobs(20, 0), make_blobs(20, 1), make_blobs(30, 3)
    evaluate(real, fake, feature_space=pooled_pixels, metrics=["fid"], train_images=train, n_bootstrap=0)
    assert pooled_pixels.images_embedded == 40
    assert [name for name, metric in METRICS.items() if metric.uses_training_set] == ["memorisation"]
    evaluate(real, fake, feature_space=pooled_pixels, metrics=["memorisation"], train_images=train, n_bootstrap=0)
    assert pooled_pixels.images_embedded == 40 + 70


def test_feature_vectors_skip_the_pixel_metrics():
    rng = np.random.default_rng(0)
    results = evaluate(rng.normal(size=(80, 6)), rng.normal(size=(70, 6)), n_bootstrap=10)
    assert MS_SSIM_FAKE not in results and FID in results
    assert results[MEMORISATION].extra["spaces"] == ["feature"]
    with pytest.raises(ValueError, match="needs images"):
        evaluate(rng.normal(size=(80, 6)), rng.normal(size=(70, 6)), metrics=["diversity"])


def test_sets_too_small_for_the_knn_metrics_skip_them_or_are_refused_when_asked():
    rng = np.random.default_rng(2)
    real, fake = rng.normal(size=(5, 6)), rng.normal(size=(9, 6))
    results = evaluate(real, fake, n_bootstrap=5)
    assert DENSITY not in results and COVERAGE not in results  # density/coverage need k + 1 = 6
    assert PRECISION in results and FID in results and KID in results  # precision/recall need 4
    with pytest.raises(ValueError, match="'density_coverage' needs at least 6 real and 6 synthetic.*got 5"):
        evaluate(real, fake, metrics=["fid", "density_coverage"])


def test_cached_feature_files_are_accepted_as_inputs(tmp_path):
    rng = np.random.default_rng(1)
    np.save(tmp_path / "real.npy", rng.normal(size=(50, 4)))
    np.savez(tmp_path / "fake.npz", features=rng.normal(size=(40, 4)))
    results = evaluate(tmp_path / "real.npy", tmp_path / "fake.npz", metrics=["fid"], n_bootstrap=5)
    assert results[FID].n_real == 50


def test_re_evaluating_reuses_the_cached_real_features(make_blobs, tmp_path, pooled_pixels):
    real = make_blobs(40, 0)
    evaluate(real, make_blobs(30, 1), feature_space=pooled_pixels, metrics=["fid"], cache_dir=tmp_path,
             n_bootstrap=0)
    assert pooled_pixels.images_embedded == 70
    evaluate(real, make_blobs(30, 2), feature_space=pooled_pixels, metrics=["fid"], cache_dir=tmp_path,
             n_bootstrap=0)
    assert pooled_pixels.images_embedded == 100  # only the new synthetic set


def test_the_same_seed_gives_the_same_results(make_blobs, pooled_pixels):
    real, fake = make_blobs(40, 0), make_blobs(40, 1)
    a = evaluate(real, fake, feature_space=pooled_pixels, metrics=["kid", "fid"], n_bootstrap=10, seed=3)
    b = evaluate(real, fake, feature_space=pooled_pixels, metrics=["kid", "fid"], n_bootstrap=10, seed=3)
    assert a == b


def test_unknown_metrics_and_bad_images_are_refused(make_blobs):
    with pytest.raises(ValueError, match="unknown metrics"):
        evaluate(make_blobs(5, 0), make_blobs(5, 1), metrics=["inception_score"])
    bad = make_blobs(5, 1)
    bad[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        evaluate(make_blobs(5, 0), bad)
    with pytest.raises(ValueError, match="greyscale"):
        evaluate(np.zeros((5, 3, 8, 8)), make_blobs(5, 1))


def test_the_default_feature_space_is_the_random_cnn_and_is_cached_under_its_id(make_blobs, tmp_path):
    real, fake = make_blobs(20, 0, size=64), make_blobs(20, 1, size=64)
    results = evaluate(real, fake, metrics=["fid"], n_bootstrap=0, cache_dir=tmp_path)
    assert results[FID].extra["feature_dim"] == 736
    assert results[FID].feature_space_label == "random-CNN (untrained, seed 0)"
    assert results_to_json(results)[FID]["feature_space_label"] == "random-CNN (untrained, seed 0)"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and all(n.startswith("random-cnn-v1-seed0-") for n in names)
