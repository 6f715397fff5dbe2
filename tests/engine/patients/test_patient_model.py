"""CTGAN on patient profiles: encoding, conditional sampling, a tiny training run, save/load.

The tiny run (600 rows, 180 steps of 100 rows, 64-wide nets, ~3 s on one CPU core) only roughly
learns the marginals: the tolerance is 0.15 absolute per category. Measured worst gaps over seven
columns: 0.10 for seed 0 (the seed used here), 0.06-0.16 over seeds 0-2 and 30-50 epochs. The run
is deterministic for a given seed. Validity (never-smokers with 0 pack-years, ages in the training
range) holds for every row by construction (see gan_engine.patients.columns).
"""
import numpy as np
import pytest
import torch

from gan_engine.patients import (
    PatientModelConfig,
    load_patient_model,
    sample_reference_cohort,
    train_patient_model,
)
from gan_engine.patients.columns import COLUMNS, profiles_to_columns
from gan_engine.patients.conditional import ConditionalSampler
from gan_engine.patients.transformer import TableTransformer

TINY = PatientModelConfig(epochs=30, batch_size=100, embedding_dim=32, generator_dims=(64, 64),
                          critic_dims=(64, 64), mixture_max_iter=50, seed=0)
MARGINAL_TOLERANCE = 0.15


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    # Tiny networks on a shared 2-core machine: one thread is ~4x faster than two fighting ones.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def cohort():
    return sample_reference_cohort(600, seed=11)


@pytest.fixture(scope="module")
def model(cohort):
    return train_patient_model(cohort, TINY)


@pytest.fixture(scope="module")
def samples(model):
    return model.sample(1000, seed=5)


def test_mode_specific_normalisation_decodes_back_to_the_values(cohort):
    columns = profiles_to_columns(cohort)
    t = TableTransformer(COLUMNS).fit(columns, max_iter=50)
    encoded = t.transform(columns, np.random.default_rng(0))
    decoded = t.inverse_transform(encoded)
    # alpha is clipped to +-0.99, i.e. +-3.96 sigma of the drawn mode; inside that the round trip
    # is exact up to float32 storage of alpha (1e-7 relative x 4 sigma, well under 1e-3).
    for name in ("age_years", "pack_years", "years_since_quit"):
        assert np.mean(np.abs(decoded[name] - columns[name]) < 1e-3) > 0.98, name
    for spec in COLUMNS:
        if not spec.continuous:
            assert (decoded[spec.name] == columns[spec.name]).all()
    # Each encoded continuous value is [alpha in (-1, 1), exactly one mode].
    first = t.spans[1]
    assert (encoded[:, first.start:first.start + first.width].sum(axis=1) == 1).all()


def test_training_by_sampling_favours_rare_categories_by_log_frequency():
    codes = {"c": np.array([0] * 990 + [1] * 10)}
    sampler = ConditionalSampler.from_codes(["c"], [2], codes)
    batch = sampler.sample_train(20_000, np.random.default_rng(0))
    # P(rare) = log(11) / (log(991) + log(11)) = 0.2578, against a frequency of 0.01.
    assert np.mean(batch.category == 1) == pytest.approx(0.2578, abs=0.015)
    assert (codes["c"][batch.rows] == batch.category).all()
    original = sampler.sample_original(20_000, np.random.default_rng(1))
    assert original[:, 1].mean() == pytest.approx(0.01, abs=0.003)


def test_every_generated_row_is_a_valid_profile(model, samples, cohort):
    ages = [p.age_years for p in cohort]
    for p in samples:
        assert min(ages) <= p.age_years <= max(ages)
        if p.smoking_status == "never":
            assert p.pack_years == 0 and p.years_since_quit == 0
        else:
            assert p.pack_years > 0
        if p.smoking_status == "current":
            assert p.years_since_quit == 0


@pytest.mark.parametrize("column", ["sex", "smoking_status", "presenting_complaint", "copd", "hypertension"])
def test_a_tiny_model_roughly_reproduces_categorical_marginals(cohort, samples, column):
    real = [getattr(p, column) for p in cohort]
    fake = [getattr(p, column) for p in samples]
    for value in set(real):
        gap = abs(real.count(value) / len(real) - fake.count(value) / len(fake))
        assert gap < MARGINAL_TOLERANCE, (column, value, gap)


def test_conditioning_on_a_category_returns_only_that_category(model):
    rows = model.sample(50, seed=2, given={"smoking_status": "current"})
    assert len(rows) == 50 and {p.smoking_status for p in rows} == {"current"}
    with pytest.raises(ValueError, match="discrete column"):
        model.sample(5, given={"age_years": "60"})


def test_a_saved_model_loads_and_samples_identically(model, tmp_path):
    model.save(tmp_path / "m")
    assert sorted(f.name for f in (tmp_path / "m").iterdir()) == ["patient_model.json",
                                                                  "patient_model.safetensors"]
    loaded = load_patient_model(tmp_path / "m")
    assert loaded.config == model.config
    assert loaded.sample(100, seed=9) == model.sample(100, seed=9)


def test_training_reports_progress_and_stops_when_asked(cohort):
    seen = []
    train_patient_model(cohort[:100], TINY, progress_fn=lambda step, total, losses: seen.append((step, total, losses)),
                        should_stop=lambda: len(seen) >= 3)
    assert [s for s, _, _ in seen] == [1, 2, 3]
    assert set(seen[0][2]) == {"critic_loss", "generator_loss"}


def test_it_refuses_too_few_rows_and_a_batch_that_is_not_a_multiple_of_pac(cohort):
    with pytest.raises(ValueError, match="at least 10"):
        train_patient_model(cohort[:5], TINY)
    with pytest.raises(ValueError, match="multiple of pac"):
        PatientModelConfig(batch_size=55, pac=10)


def test_it_trains_on_a_user_csv(cohort, tmp_path):
    from gan_engine.patients import read_patient_csv, write_patient_csv

    path = write_patient_csv(cohort[:200], tmp_path / "mine.csv")
    model = train_patient_model(read_patient_csv(path), TINY, should_stop=lambda: True)
    assert model.training_rows == 200
    assert len(model.sample(20, seed=0)) == 20
