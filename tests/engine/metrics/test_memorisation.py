import numpy as np

from gan_engine.metrics.memorisation import (
    NEAR_COPY_RATIO, flag_near_copies, nearest_training_match, pixel_rms_match,
)


def test_an_exact_copy_is_flagged_and_a_distinct_image_is_not(make_blobs):
    train = make_blobs(30, seed=0)
    distinct = make_blobs(1, seed=99)
    fake = np.concatenate([train[7:8], distinct])
    match = pixel_rms_match(train, fake)
    assert match["index"][0] == 7 and match["distance"][0] < 1e-6
    assert match["ratio"][0] < 1e-6
    assert match["ratio"][1] > NEAR_COPY_RATIO
    assert flag_near_copies(match).tolist() == [True, False]


def test_ratios_are_relative_to_the_training_images_own_neighbour_distance():
    # Training points 0, 1, 10 (own NN distances 1, 1, 9); fake 9.0 is 1 from 10 -> ratio 1/9.
    train = np.array([[0.0], [1.0], [10.0]])
    match = nearest_training_match(train, np.array([[9.0], [0.5]]))
    assert match["index"].tolist() == [2, 0]
    np.testing.assert_allclose(match["ratio"], [1 / 9, 0.5])


def test_a_copy_of_a_duplicated_training_image_is_still_flagged():
    train = np.array([[0.0], [0.0], [5.0]])  # a duplicate pair: own NN distance 0
    match = nearest_training_match(train, np.array([[0.0], [0.1]]))
    assert match["ratio"][0] == 0.0
    assert np.isinf(match["ratio"][1])  # not a copy, and no scale to judge by: not flagged
    assert flag_near_copies(match).tolist() == [True, False]


def test_pixel_distances_are_rms_per_pixel():
    train = np.zeros((2, 1, 4, 4), dtype=np.float32)
    train[1] = 1.0
    fake = np.full((1, 1, 4, 4), 0.25, dtype=np.float32)
    assert pixel_rms_match(train, fake)["distance"][0] == np.float64(0.25)
