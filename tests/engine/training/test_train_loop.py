"""train(): determinism, resume continuity, should_stop, progress reports and checkpoint contents."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
import torch
from safetensors.torch import load_file

from gan_engine.checkpoint import CheckpointError, load_checkpoint
from gan_engine.config import config_to_dict
from gan_engine.training import PROGRESS_KEYS, train


def weights(run_dir) -> dict[str, torch.Tensor]:
    return load_file(str(run_dir / "checkpoint" / "generator.safetensors"))


def test_the_same_seed_trains_to_identical_weights(tmp_path, tiny_config, toy_dataset) -> None:
    a = train(tiny_config, tmp_path / "a", dataset=toy_dataset)
    b = train(tiny_config, tmp_path / "b", dataset=toy_dataset)
    assert a.sha256 == b.sha256
    c = train(replace(tiny_config, seed=1), tmp_path / "c", dataset=toy_dataset)
    assert c.sha256 != a.sha256


def test_two_steps_plus_a_resumed_two_equal_four_steps(tmp_path, tiny_config, toy_dataset) -> None:
    straight = train(tiny_config, tmp_path / "straight", dataset=toy_dataset)
    first = train(replace(tiny_config, steps=2), tmp_path / "resumed", dataset=toy_dataset)
    assert first.step == 2
    second = train(tiny_config, tmp_path / "resumed", dataset=toy_dataset)
    assert second.step == 4
    a, b = weights(tmp_path / "straight"), weights(tmp_path / "resumed")
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert straight.sha256 == second.sha256


def test_resuming_with_a_different_model_is_refused(tmp_path, tiny_config, toy_dataset) -> None:
    train(replace(tiny_config, steps=1), tmp_path / "run", dataset=toy_dataset)
    with pytest.raises(CheckpointError, match="g_width"):
        train(replace(tiny_config, g_width=8), tmp_path / "run", dataset=toy_dataset)


def test_should_stop_saves_a_resumable_checkpoint_and_returns(tmp_path, tiny_config, toy_dataset) -> None:
    calls = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) >= 2

    result = train(replace(tiny_config, steps=50), tmp_path / "run", should_stop=should_stop, dataset=toy_dataset)
    assert result.stopped and result.step == 2
    meta = json.loads((tmp_path / "run" / "checkpoint" / "config.json").read_text())
    assert meta["stats"]["step"] == 2
    assert (tmp_path / "run" / "checkpoint" / "train_state.safetensors").exists()
    resumed = train(replace(tiny_config, steps=3), tmp_path / "run", dataset=toy_dataset)
    assert resumed.step == 3 and not resumed.stopped


def test_progress_fn_receives_the_documented_fields_every_log_interval(tmp_path, tiny_config, toy_dataset) -> None:
    reports = []
    train(replace(tiny_config, log_every=2), tmp_path / "run", progress_fn=reports.append, dataset=toy_dataset)
    assert [r["step"] for r in reports] == [2, 4]
    for report in reports:
        assert set(report) == set(PROGRESS_KEYS)
        assert report["total_steps"] == 4
        assert {"d", "g", "r1", "r2"} <= set(report["losses"])
        assert report["images_per_s"] > 0 and report["eta_s"] >= 0
    assert reports[-1]["eta_s"] == 0
    json.dumps(reports)  # a Celery task can forward them as they are


def test_the_checkpoint_holds_config_fingerprint_version_and_hashes(tmp_path, tiny_config, toy_dataset) -> None:
    result = train(tiny_config, tmp_path / "run", dataset=toy_dataset)
    meta = json.loads((result.checkpoint / "config.json").read_text())
    assert meta["config"] == config_to_dict(tiny_config)
    assert len(meta["dataset_fingerprint"]) == 64
    assert meta["code_version"]["version"]
    assert meta["pixel_spacing_mm"] == pytest.approx(20.0)
    assert meta["stats"]["images_seen"] == 8
    model = load_checkpoint(result.checkpoint)
    assert model.sha256 == result.sha256 == meta["files"]["generator.safetensors"]
    assert not list(result.checkpoint.glob("*.tmp"))


def test_a_sample_grid_is_written_every_sample_interval(tmp_path, tiny_config, toy_dataset) -> None:
    train(replace(tiny_config, sample_every=2), tmp_path / "run", dataset=toy_dataset)
    assert sorted(p.name for p in (tmp_path / "run" / "samples").iterdir()) == ["step_000002.png", "step_000004.png"]
