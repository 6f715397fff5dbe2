"""TrainConfig / SampleConfig: TOML files, --key=value overrides and validation."""
from __future__ import annotations

from pathlib import Path

import pytest

import gan_engine
from gan_engine.config import SampleConfig, TrainConfig, config_from_dict, config_to_dict, load_train_config

CONFIGS = Path(gan_engine.__file__).parent / "configs"


def test_overrides_win_over_the_toml_file_and_are_typed(tmp_path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("size = 128\nsteps = 10\n")
    cfg = load_train_config(path, ["--steps=20", "--gamma=0.5", "--betas=0.0,0.9"])
    assert (cfg.size, cfg.steps, cfg.gamma, cfg.betas) == (128, 20, 0.5, (0.0, 0.9))


def test_shipped_configs_load() -> None:
    for path in CONFIGS.glob("*.toml"):
        assert isinstance(load_train_config(path), TrainConfig)


def test_unknown_keys_and_bad_sizes_are_rejected(tmp_path) -> None:
    with pytest.raises(ValueError, match="unknown TrainConfig keys: stepz"):
        load_train_config(None, ["--stepz=3"])
    with pytest.raises(ValueError, match="size must be one of"):
        load_train_config(None, ["--size=100"])
    with pytest.raises(ValueError, match="not of the form"):
        load_train_config(None, ["--steps"])


def test_a_config_round_trips_through_its_json_dict() -> None:
    cfg = TrainConfig(size=128, betas=(0.0, 0.95))
    assert config_from_dict(TrainConfig, config_to_dict(cfg)) == cfg
    assert config_from_dict(SampleConfig, {"n": 3}).n == 3
