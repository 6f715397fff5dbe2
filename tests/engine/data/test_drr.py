from __future__ import annotations

import numpy as np
import pytest

from gan_engine.data.drr import MU_WATER_PER_MM, line_integral_ap, render_drr


def test_water_attenuates_by_beer_lambert():
    water = np.zeros((2, 100, 3), dtype=np.int16)  # 100 voxels of 0 HU along A-P, 1 mm each
    integral = line_integral_ap(water, (1.0, 1.0, 1.0))
    assert integral == pytest.approx(np.full((2, 3), 100 * MU_WATER_PER_MM), rel=1e-5)
    air = np.full((2, 100, 3), -1000, dtype=np.int16)
    assert line_integral_ap(air, (1.0, 1.0, 1.0)) == pytest.approx(0.0, abs=1e-6)


def test_the_radiograph_shows_dark_lungs_beside_a_bright_spine_and_the_heart_on_the_right(example_ct):
    image = render_drr(example_ct.hu, example_ct.spacing_mm)
    height, width = image.shape
    assert width == 512 and height == pytest.approx(133 * 2.5 / 0.703125, abs=2)
    lung_band = image[int(0.2 * height) : int(0.4 * height)]  # upper chest, head at the top
    spine = lung_band[:, width // 2 - 15 : width // 2 + 15].mean()
    right_lung = lung_band[:, int(0.25 * width) : int(0.35 * width)].mean()
    left_lung = lung_band[:, int(0.65 * width) : int(0.75 * width)].mean()
    assert spine > right_lung + 0.2 and spine > left_lung + 0.2
    heart_band = image[int(0.45 * height) : int(0.55 * height)]
    assert heart_band[:, int(0.6 * width) : int(0.7 * width)].mean() > heart_band[
        :, int(0.3 * width) : int(0.4 * width)].mean()
