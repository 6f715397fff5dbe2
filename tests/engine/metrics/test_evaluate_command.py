import json

import numpy as np
import pytest
from PIL import Image

from gan_engine.cli import main


@pytest.fixture
def real_png_folder(tmp_path, make_blobs):
    folder = tmp_path / "real"
    folder.mkdir()
    for i, image in enumerate(make_blobs(30, seed=0)):
        # 16-bit masters: HU + 1024, with HU spanning the default [-1024, 600] range.
        hu = (image[0] + 1.0) / 2.0 * 1624.0 - 1024.0
        Image.fromarray(np.round(hu + 1024).astype(np.uint16)).save(folder / f"{i:03d}.png")
    return folder


def test_it_prints_a_table_and_writes_json(tmp_path, real_png_folder, make_blobs, capsys):
    np.savez(tmp_path / "fake.npz", images=make_blobs(25, seed=1))
    out = tmp_path / "out" / "metrics.json"
    status = main(["evaluate", "--fake", str(tmp_path / "fake.npz"), "--real", str(real_png_folder),
                   "--metrics", "fid,kid,precision_recall,memorisation", "--n-bootstrap", "10",
                   "--cache-dir", str(tmp_path / "cache"), "--json", str(out)])
    assert status == 0
    table = capsys.readouterr().out
    for key in ("fid", "kid", "precision", "recall", "memorisation", "95% CI"):
        assert key in table
    fid_row = next(line for line in table.splitlines() if line.startswith("fid "))
    assert fid_row.endswith("random-CNN (untrained, seed 0)")
    payload = json.loads(out.read_text())
    assert payload["results"]["fid"]["n_real"] == 30
    assert payload["results"]["fid"]["n_fake"] == 25
    assert payload["results"]["fid"]["feature_space_label"] == "random-CNN (untrained, seed 0)"
    assert len(payload["results"]["memorisation"]["extra"]["pairs"]) == 25


def test_a_missing_synthetic_set_is_a_one_line_error(tmp_path, capsys):
    status = main(["evaluate", "--fake", str(tmp_path / "missing.npz"), "--real", str(tmp_path)])
    assert status == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_an_empty_real_folder_is_a_one_line_error(tmp_path, make_blobs, capsys):
    np.save(tmp_path / "fake.npy", make_blobs(5, seed=1))
    (tmp_path / "empty").mkdir()
    assert main(["evaluate", "--fake", str(tmp_path / "fake.npy"), "--real", str(tmp_path / "empty")]) == 2
    assert "no .png images" in capsys.readouterr().err


def test_an_unknown_metric_is_a_one_line_error(tmp_path, make_blobs, capsys):
    np.save(tmp_path / "a.npy", make_blobs(5, seed=1))
    assert main(["evaluate", "--fake", str(tmp_path / "a.npy"), "--real", str(tmp_path / "a.npy"),
                 "--metrics", "fid,is"]) == 2
    assert "unknown metrics" in capsys.readouterr().err


def test_missing_inception_weights_are_a_one_line_error(tmp_path, make_blobs, capsys):
    np.save(tmp_path / "a.npy", make_blobs(5, seed=1))
    assert main(["evaluate", "--fake", str(tmp_path / "a.npy"), "--real", str(tmp_path / "a.npy"),
                 "--inception-weights", str(tmp_path / "nope.pth"), "--no-cache"]) == 2
    assert "not found" in capsys.readouterr().err
