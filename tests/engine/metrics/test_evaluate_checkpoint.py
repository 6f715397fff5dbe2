"""`evaluate --checkpoint`: generation from a real (tiny, untrained) checkpoint folder against the
example CT's training distribution."""
import json

import pytest
import torch

from gan_engine.checkpoint import save_checkpoint
from gan_engine.cli import main
from gan_engine.config import TrainConfig
from gan_engine.models import build_generator

TINY = TrainConfig(size=64, z_dim=8, lesion_z_dim=4, cond_dim=8, g_width=4, d_width=4, max_width=8,
                   lesion_width=4)


@pytest.fixture
def tiny_checkpoint(tmp_path):
    pytest.importorskip("nibabel")
    from gan_engine.data.example_ct import ExampleCTMissing, example_ct_dir
    try:
        example_ct_dir()
    except ExampleCTMissing:
        pytest.skip("the example CT is not installed")
    torch.manual_seed(0)
    generator = build_generator(TINY, pixel_spacing_mm=2.0)
    save_checkpoint(tmp_path / "ckpt", cfg=TINY, ema=generator, pixel_spacing_mm=2.0,
                    dataset_fingerprint="test", stats={"step": 0, "images_seen": 0})
    return tmp_path / "ckpt"


@pytest.mark.slow
def test_an_untrained_generator_is_told_apart_from_real_slices(tiny_checkpoint, tmp_path, capsys):
    out = tmp_path / "metrics.json"
    status = main(["evaluate", "--checkpoint", str(tiny_checkpoint), "--n", "16",
                   "--metrics", "fid,precision_recall,memorisation", "--n-bootstrap", "5",
                   "--no-cache", "--json", str(out)])
    assert status == 0
    payload = json.loads(out.read_text())
    assert len(payload["checkpoint_sha256"]) == 64
    results = payload["results"]
    assert results["fid"]["n_real"] == results["fid"]["n_fake"] == 16
    assert results["precision"]["value"] < 0.5  # random weights draw nothing CT-like
    assert results["memorisation"]["value"] == 0.0


def test_a_missing_checkpoint_is_a_one_line_error(tmp_path, capsys):
    assert main(["evaluate", "--checkpoint", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.startswith("error:")
