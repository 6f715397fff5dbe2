"""The power helper against hand-checked numbers."""
import math

import pytest

from studies.power import (PowerError, hanley_mcneil_variance, images_per_class_for_auc_equivalence,
                           images_per_reader_for_accuracy, independent_reads_for_accuracy)


def test_accuracy_060_against_chance_needs_194_independent_reads():
    assert independent_reads_for_accuracy(0.60) == 194
    assert independent_reads_for_accuracy(0.70) < 194 < independent_reads_for_accuracy(0.55)


def test_independent_readers_share_the_reads():
    plan = images_per_reader_for_accuracy(0.60, readers=4)
    assert plan.images_per_reader == math.ceil(194 / 4) and plan.design_effect == 1


def test_correlated_reads_need_more_images_and_too_few_readers_are_told():
    assert images_per_reader_for_accuracy(0.60, readers=4, rho_reader=0.005, rho_image=0.05).images_per_reader > 49
    with pytest.raises(PowerError, match="add readers"):
        images_per_reader_for_accuracy(0.60, readers=2, rho_reader=0.05)


def test_hanley_mcneil_at_chance_is_a_sixth_per_image():
    n = 1000
    assert hanley_mcneil_variance(0.5, n, n) == pytest.approx((0.25 + (n - 1) / 6) / n**2)


def test_auc_equivalence_sample_size_is_the_smallest_that_is_enough():
    n = images_per_class_for_auc_equivalence(0.05)
    se_needed = 0.05 / (1.6448536 + 1.2815516)
    assert hanley_mcneil_variance(0.5, n, n) <= se_needed**2 < hanley_mcneil_variance(0.5, n - 1, n - 1)
    assert 560 < n < 580
    assert images_per_class_for_auc_equivalence(0.05, readers=5) < n
    with pytest.raises(PowerError):
        images_per_class_for_auc_equivalence(0.05, expected_auc=0.56)
