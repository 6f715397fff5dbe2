"""progression(): same patient, only the nodule changes, and it changes in the scheduled order."""
from __future__ import annotations

import pytest
import torch

from gan_engine import progression
from gan_engine.lesion_progression import lesion_areas_px, outside_lesion_mask, schedule_severities
from tests.engine.sampling.ssim import ssim


def consecutive_outside_ssim(series) -> list[float]:
    outside = outside_lesion_mask(series, margin_px=5)
    frames = series.frames
    return ssim(frames[:-1], frames[1:], mask=outside.expand(len(frames) - 1, -1, -1, -1)).tolist()


def test_named_schedules_grow_shrink_or_hold() -> None:
    assert schedule_severities("growth", 3, (0.2, 0.8)) == pytest.approx([0.2, 0.5, 0.8])
    assert schedule_severities("regression", 3, (0.2, 0.8)) == pytest.approx([0.8, 0.5, 0.2])
    assert schedule_severities("stable", 2, (0.2, 0.8)) == pytest.approx([0.5, 0.5])
    assert schedule_severities([0.1, 0.3], 99) == [0.1, 0.3]
    with pytest.raises(ValueError, match="unknown schedule"):
        schedule_severities("shrinkage", 3)
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        schedule_severities([0.5, 1.5], 2)


def test_frames_are_the_same_patient_outside_the_lesion(tiny_model) -> None:
    series = progression(tiny_model, "growth", seed=3, steps=5)
    assert series.frames.shape == (5, 1, 64, 64)
    assert min(consecutive_outside_ssim(series)) >= 0.99
    assert all(c.x == 0.3 and c.y == 0.45 for c in series.conditions)


def test_lesion_area_follows_the_schedule(tiny_model) -> None:
    growth = lesion_areas_px(progression(tiny_model, "growth", seed=3, steps=6))
    assert all(b > a for a, b in zip(growth, growth[1:]))
    regression = lesion_areas_px(progression(tiny_model, "regression", seed=3, steps=6))
    assert regression == growth[::-1]
    stable = lesion_areas_px(progression(tiny_model, "stable", seed=3, steps=4))
    assert len(set(stable)) == 1


@pytest.mark.slow
@pytest.mark.parametrize("finding", ["solid_nodule", "part_solid_nodule"])
def test_a_regressor_trained_on_real_nodules_ranks_demo_frames_in_order(demo_model, severity_judge, finding) -> None:
    from scipy.stats import spearmanr

    rhos = []
    for seed, position in [(0, (0.3, 0.45)), (1, (0.7, 0.5)), (2, (0.35, 0.6))]:
        series = progression(demo_model, "growth", seed=seed, steps=6, finding=finding, position=position)
        assert min(consecutive_outside_ssim(series)) >= 0.9
        areas = lesion_areas_px(series)
        assert all(b >= a for a, b in zip(areas, areas[1:])) and areas[-1] > areas[0]
        positions = torch.tensor([(c.x, c.y) for c in series.conditions])  # where it was placed
        predicted = severity_judge.predict(series.frames, positions)
        rhos.append(spearmanr(predicted.numpy(), series.severities).statistic)
    assert min(rhos) >= 0.9, rhos
