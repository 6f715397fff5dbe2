"""The Inception loader, checked with a locally made weights file of the published layout
(randomly initialised; real ImageNet weights are never downloaded)."""
import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from gan_engine.metrics.features import embed_images, get_feature_space
from gan_engine.metrics.inception import (
    FEATURE_DIM, InceptionFeatures, InceptionV3Pool3, WeightsError, load_inception,
)


@pytest.fixture(scope="module")
def random_inception() -> InceptionV3Pool3:
    torch.manual_seed(0)
    model = InceptionV3Pool3()
    # Non-trivial batch-norm statistics, so a loader that skipped them would be caught.
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
    return model


@pytest.fixture(scope="module")
def images() -> np.ndarray:
    return np.random.default_rng(0).uniform(-1, 1, size=(1, 1, 64, 64)).astype(np.float32)


@pytest.fixture(scope="module")
def expected(random_inception, images) -> np.ndarray:
    return random_inception(torch.from_numpy(images)).numpy()


def _published_layout(model: InceptionV3Pool3) -> dict[str, torch.Tensor]:
    # The distributed file also holds the 1008-way classifier and BN counters; include them.
    state = {k: v.clone() for k, v in model.state_dict().items()}
    state["fc.weight"] = torch.zeros(1008, 2048)
    state["fc.bias"] = torch.zeros(1008)
    return state


def test_a_pth_state_dict_round_trips_to_identical_features(tmp_path, random_inception, images,
                                                            expected):
    path = tmp_path / "inception.pth"
    torch.save(_published_layout(random_inception), path)
    loaded = InceptionFeatures(path)
    assert loaded.dim == FEATURE_DIM
    np.testing.assert_array_equal(embed_images(images, loaded), expected)


def test_a_safetensors_file_round_trips_via_the_feature_space_name(tmp_path, random_inception, images,
                                                                  expected):
    path = tmp_path / "inception.safetensors"
    save_file(_published_layout(random_inception), str(path))
    extractor = get_feature_space(f"inception:{path}")
    np.testing.assert_array_equal(embed_images(images, extractor), expected)
    assert len(extractor.weights_sha256) == 64
    assert extractor.label == "Inception-v3 (pool3)"


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(WeightsError, match="not found"):
        load_inception(tmp_path / "nope.pth")


def test_a_corrupt_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "broken.safetensors"
    path.write_bytes(b"\x00garbage" * 10)
    with pytest.raises(WeightsError, match="could not read"):
        load_inception(path)


def test_a_file_for_another_network_lists_missing_and_unexpected_keys(tmp_path):
    path = tmp_path / "other.safetensors"
    save_file({"encoder.weight": torch.zeros(3, 3)}, str(path))
    with pytest.raises(WeightsError, match="missing keys.*unexpected keys"):
        load_inception(path)


def test_a_wrongly_shaped_tensor_is_reported(tmp_path, random_inception):
    state = _published_layout(random_inception)
    state["Conv2d_1a_3x3.conv.weight"] = torch.zeros(16, 3, 3, 3)
    path = tmp_path / "shape.pth"
    torch.save(state, path)
    with pytest.raises(WeightsError, match="wrong shape"):
        load_inception(path)


class NotATensor:
    pass


def test_pickled_objects_are_refused(tmp_path):
    path = tmp_path / "evil.pth"
    torch.save({"payload": NotATensor()}, path)
    with pytest.raises(WeightsError, match="could not read"):
        load_inception(path)


def test_inception_without_a_path_explains_that_nothing_is_downloaded():
    with pytest.raises(ValueError, match="never downloaded"):
        get_feature_space("inception")
