import numpy as np

from gan_engine.metrics.cache import cache_path, cached_features


def test_a_cache_hit_does_not_embed_again(tmp_path, pooled_pixels, make_blobs):
    images = make_blobs(10, seed=0)
    first = cached_features(images, pooled_pixels, tmp_path)
    calls = pooled_pixels.calls
    second = cached_features(images.copy(), pooled_pixels, tmp_path)
    assert pooled_pixels.calls == calls
    np.testing.assert_array_equal(first, second)


def test_other_pixels_or_another_network_miss_the_cache(tmp_path, pooled_pixels, make_blobs):
    images = make_blobs(10, seed=0)
    changed = images.copy()
    changed[3, 0, 5, 5] += 0.01
    assert cache_path(tmp_path, images, pooled_pixels) != cache_path(tmp_path, changed, pooled_pixels)
    other = type(pooled_pixels)()
    other.weights_sha256 = "different"
    assert cache_path(tmp_path, images, pooled_pixels) != cache_path(tmp_path, images, other)


def test_the_cache_folder_holds_only_finished_files(tmp_path, pooled_pixels, make_blobs):
    cached_features(make_blobs(5, seed=1), pooled_pixels, tmp_path / "features")
    names = [p.name for p in (tmp_path / "features").iterdir()]
    assert len(names) == 1 and names[0].endswith(".npy") and not names[0].startswith(".")


def test_a_damaged_cache_file_is_rebuilt(tmp_path, pooled_pixels, make_blobs):
    images = make_blobs(5, seed=2)
    path = cache_path(tmp_path, images, pooled_pixels)
    path.write_bytes(b"not a numpy file")
    features = cached_features(images, pooled_pixels, tmp_path)
    assert features.shape == (5, 64)
    np.testing.assert_array_equal(np.load(path), features)
