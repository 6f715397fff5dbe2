"""The blinding audit flags a planted side channel and passes a clean pool; re-encoding on serving
removes a storage-level channel."""
import io

import numpy as np
import pytest
from PIL import Image as PILImage

from studies.blinding import audit, features
from studies.stats.roc import auc_with_ci
from tests.imaging.factories import synthetic_ct


def _png(values: np.ndarray, level: int, text: str | None = None) -> bytes:
    from PIL import PngImagePlugin

    out = io.BytesIO()
    info = None
    if text:
        info = PngImagePlugin.PngInfo()
        info.add_text("Software", text)
    PILImage.fromarray(values.astype(np.uint16)).save(out, format="PNG", compress_level=level, pnginfo=info)
    return out.getvalue()


def _slices(n, seed):
    return [np.clip(synthetic_ct(seed=seed + i, size=64) + 1024, 0, 65535) for i in range(n)]


def test_delong_auc_matches_the_mann_whitney_count_and_covers_chance_for_noise():
    rng = np.random.default_rng(0)
    scores, labels = rng.normal(size=200), np.repeat([0, 1], 100)
    result = auc_with_ci(scores, labels)
    pos, neg = scores[labels == 1], scores[labels == 0]
    assert result.auc == pytest.approx((pos[:, None] > neg[None, :]).mean())
    assert not result.excludes(0.5)
    assert auc_with_ci(scores + 3 * labels, labels).excludes(0.5)


def test_a_clean_pool_passes():
    files = [(_png(v, 6), False) for v in _slices(20, 0)] + [(_png(v, 6), True) for v in _slices(20, 1000)]
    result = audit(files)
    assert not result.flagged, result.to_dict()


def test_synthetic_files_saved_at_another_compression_level_are_flagged_and_named():
    files = [(_png(v, 9), False) for v in _slices(20, 0)] + [(_png(v, 1), True) for v in _slices(20, 1000)]
    result = audit(files)
    assert result.flagged and result.combined.low > 0.5
    assert {"file_bytes", "compression_ratio"} <= {leak.feature for leak in result.leaks}


def test_a_metadata_chunk_only_on_synthetic_files_is_flagged():
    files = [(_png(v, 6), False) for v in _slices(20, 0)] + [(_png(v, 6, "StyleGAN2"), True) for v in _slices(20, 1000)]
    result = audit(files)
    assert result.flagged and "ancillary_bytes" in {leak.feature for leak in result.leaks}


def test_features_read_the_png_layout():
    plain, tagged = features(_png(_slices(1, 0)[0], 6)), features(_png(_slices(1, 0)[0], 6, "x"))
    assert plain["ancillary_bytes"] == 0 and tagged["ancillary_bytes"] > 0
    assert plain["width"] == 64 and plain["idat_count"] >= 1


def test_too_small_a_pool_is_refused():
    with pytest.raises(ValueError, match="at least 5 real and 5 synthetic"):
        audit([(_png(v, 6), False) for v in _slices(4, 0)] + [(_png(v, 6), True) for v in _slices(4, 9)])


def test_small_clean_pools_are_flagged_at_about_the_nominal_rate():
    """Ten clean 5 + 5 pools (both sides drawn the same way): a test at 5% should flag about one
    in twenty. A DeLong CI on out-of-fold scores flagged such pools far more often (one of them at
    AUC 0.84, CI 0.57–1.00); the permutation test is exact whatever the pool's size."""
    flagged = []
    for k in range(10):
        files = ([(_png(v, 6), False) for v in _slices(5, 100 * k)]
                 + [(_png(v, 6), True) for v in _slices(5, 100 * k + 50)])
        result = audit(files, seed=k)
        flagged.append(result.flagged)
        assert 1 / 200 <= result.p_value <= 1
    assert sum(flagged) <= 2, flagged


def test_the_permutation_p_value_is_small_for_a_planted_channel_even_in_a_small_pool():
    files = [(_png(v, 9), False) for v in _slices(6, 0)] + [(_png(v, 1), True) for v in _slices(6, 1000)]
    result = audit(files)
    assert result.flagged and result.p_value < 0.01, result.to_dict()
