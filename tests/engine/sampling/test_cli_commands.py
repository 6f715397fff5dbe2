"""The prepare/train/sample/progress sub-commands: --help, outputs, and one-line errors."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from gan_engine.cli import main


@pytest.mark.parametrize("command", ["prepare", "train", "sample", "progress"])
def test_every_command_has_help(command, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "python -m gan_engine " + command in capsys.readouterr().out


def error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def test_sample_writes_a_grid_per_image_masters_and_an_npz(tiny_checkpoint, tmp_path, capsys) -> None:
    out = tmp_path / "grid.png"
    code = main(["sample", "--checkpoint", str(tiny_checkpoint), "--n", "4", "--finding", "all", "--out", str(out),
                 "--per-image-dir", str(tmp_path / "cases"), "--npz", str(tmp_path / "cases.npz"), "--scale", "2"])
    assert code == 0
    assert Image.open(out).size == (2 + 2 * (128 + 2), 2 + 2 * (128 + 2))
    master = np.array(Image.open(next((tmp_path / "cases").glob("0000_*.png"))))
    assert master.dtype == np.uint16 and master.shape == (64, 64)
    conditions = json.loads((tmp_path / "cases" / "conditions.json").read_text())["images"]
    assert [c["finding"] for c in conditions] == ["normal", "solid_nodule", "part_solid_nodule", "ground_glass_nodule"]
    data = np.load(tmp_path / "cases.npz")
    assert data["hu"].shape == (4, 64, 64) and list(data["seeds"]) == [0, 1, 2, 3]


def test_progress_writes_a_strip(tiny_checkpoint, tmp_path) -> None:
    out = tmp_path / "strip.png"
    assert main(["progress", "--checkpoint", str(tiny_checkpoint), "--steps", "5", "--out", str(out)]) == 0
    assert Image.open(out).size == (2 + 5 * 66, 68)


def test_a_missing_checkpoint_is_one_clear_line(tmp_path, capsys) -> None:
    code = main(["sample", "--checkpoint", str(tmp_path / "none"), "--out", str(tmp_path / "g.png")])
    assert code == 2
    assert error_line(capsys).startswith("error: checkpoint not found")


def test_a_corrupt_checkpoint_is_one_clear_line(tiny_checkpoint, tmp_path, capsys) -> None:
    (tiny_checkpoint / "generator.safetensors").write_bytes(b"garbage")
    code = main(["progress", "--checkpoint", str(tiny_checkpoint), "--out", str(tmp_path / "s.png")])
    assert code == 2
    assert "corrupt checkpoint" in error_line(capsys)


def test_a_wrong_image_size_is_one_clear_line(tiny_checkpoint, tmp_path, capsys) -> None:
    code = main(["sample", "--checkpoint", str(tiny_checkpoint), "--size", "128", "--out", str(tmp_path / "g.png")])
    assert code == 2
    assert error_line(capsys) == "error: the checkpoint generates 64 px images, not 128 px"
    assert main(["prepare", "--size", "100", "--out", str(tmp_path / "d")]) == 2
    assert "--size must be one of 64, 128, 256" in error_line(capsys)


def test_bad_arguments_are_one_clear_line(tiny_checkpoint, tmp_path, capsys) -> None:
    assert main(["train", "--config", str(tmp_path / "missing.toml"), "--run-dir", str(tmp_path / "r")]) == 2
    assert "config file not found" in error_line(capsys)
    assert main(["train", "--run-dir", str(tmp_path / "r"), "--size=100"]) == 2
    assert "size must be one of" in error_line(capsys)
    assert main(["sample", "--checkpoint", str(tiny_checkpoint), "--finding", "tumour", "--out", str(tmp_path / "g.png")]) == 2
    assert "unknown finding 'tumour'" in error_line(capsys)
    assert main(["progress", "--checkpoint", str(tiny_checkpoint), "--schedule", "fast", "--out", str(tmp_path / "s.png")]) == 2
    assert "--schedule must be one of" in error_line(capsys)
    assert main(["progress", "--checkpoint", str(tiny_checkpoint), "--finding", "normal", "--out", str(tmp_path / "s.png")]) == 2
    assert "not 'normal'" in error_line(capsys)


@pytest.mark.slow
def test_prepare_writes_hu_masters_labels_and_a_manifest(tmp_path) -> None:
    pytest.importorskip("gan_engine.data.labelled")
    out = tmp_path / "data"
    assert main(["prepare", "--size", "64", "--n", "3", "--out", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert [item["file"] for item in manifest["items"]] == ["00000.png", "00001.png", "00002.png"]
    master = np.array(Image.open(out / "00000.png"))
    assert master.dtype == np.uint16 and master.shape == (64, 64)
    assert np.load(out / "labels.npz")["lesion_mask"].shape == (3, 64, 64)
    assert main(["prepare", "--size", "64", "--n", "3", "--out", str(out)]) == 2  # not empty any more
