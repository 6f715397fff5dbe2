"""load_checkpoint(): round trip, and one clear error for each way a checkpoint can be broken."""
from __future__ import annotations

import json

import pytest
import torch

from gan_engine import Condition, generate
from gan_engine.checkpoint import CheckpointError, load_checkpoint, sha256_file


def test_a_checkpoint_round_trips_to_the_same_images(tiny_checkpoint, tiny_model) -> None:
    again = load_checkpoint(tiny_checkpoint / "config.json")
    cond = Condition("solid_nodule", 0.5)
    assert torch.equal(generate(tiny_model, 2, cond, 5).images, generate(again, 2, cond, 5).images)
    assert again.sha256 == sha256_file(tiny_checkpoint / "generator.safetensors")
    assert again.config.size == 64 and again.pixel_spacing_mm == 2.0


def test_a_missing_checkpoint_is_reported(tmp_path) -> None:
    with pytest.raises(CheckpointError, match="checkpoint not found"):
        load_checkpoint(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CheckpointError, match="no config.json"):
        load_checkpoint(tmp_path / "empty")


def test_truncated_weights_are_reported_as_corrupt(tiny_checkpoint) -> None:
    path = tiny_checkpoint / "generator.safetensors"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(CheckpointError, match="corrupt checkpoint: generator.safetensors does not match"):
        load_checkpoint(tiny_checkpoint)


def test_invalid_json_is_reported_as_corrupt(tiny_checkpoint) -> None:
    (tiny_checkpoint / "config.json").write_text("{not json")
    with pytest.raises(CheckpointError, match="not valid JSON"):
        load_checkpoint(tiny_checkpoint)


def test_weights_that_do_not_fit_the_config_are_reported(tiny_checkpoint) -> None:
    meta = json.loads((tiny_checkpoint / "config.json").read_text())
    meta["config"]["g_width"] = 8
    (tiny_checkpoint / "config.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="weights do not match its config"):
        load_checkpoint(tiny_checkpoint)


def test_a_pickle_is_never_loaded(tiny_checkpoint) -> None:
    (tiny_checkpoint / "generator.safetensors").write_bytes(b"\x80\x04\x95" + b"\x00" * 64)
    with pytest.raises(CheckpointError):
        load_checkpoint(tiny_checkpoint)
