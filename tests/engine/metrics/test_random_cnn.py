import numpy as np
import torch

from gan_engine.metrics.features import embed_images, get_feature_space
from gan_engine.metrics.random_cnn import RandomCNNFeatures


def test_the_default_feature_space_is_the_same_network_every_time(make_blobs):
    images = make_blobs(4, seed=0, size=64)
    a, b = get_feature_space("default"), RandomCNNFeatures()
    assert a.weights_sha256 == b.weights_sha256
    np.testing.assert_array_equal(embed_images(images, a), embed_images(images, b))
    assert embed_images(images, a).shape == (4, 736)


def test_another_seed_is_another_network_with_another_id():
    assert RandomCNNFeatures(seed=1).weights_sha256 != RandomCNNFeatures(seed=0).weights_sha256
    assert RandomCNNFeatures(seed=1).id != RandomCNNFeatures(seed=0).id


def test_images_of_other_sizes_are_resized_to_64_px(make_blobs):
    extractor = RandomCNNFeatures()
    small = torch.from_numpy(make_blobs(2, seed=1, size=32))
    assert extractor.embed(small).shape == (2, 736)


def test_different_images_get_different_features(make_blobs):
    features = embed_images(make_blobs(3, seed=2, size=64), RandomCNNFeatures())
    assert np.linalg.norm(features[0] - features[1]) > 1e-3 * np.linalg.norm(features[0])
