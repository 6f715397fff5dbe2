"""The value every metric returns: a point estimate with a confidence interval."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class MetricResult:
    """One metric's outcome.

    value:    the point estimate on the full sets (units depend on the metric; see docs/metrics.md).
    ci_low:   lower end of the 95% confidence interval (NaN when no interval could be formed).
    ci_high:  upper end of the 95% confidence interval.
    n_real:   number of real images (or feature vectors) that went in.
    n_fake:   number of synthetic images (or feature vectors) that went in.
    extra:    JSON-serialisable details (settings used, per-sample pairs, secondary numbers).
    feature_space_label: the network whose features the metric was computed on, for display next to
              the value (e.g. "random-CNN (untrained, seed 0)", "Inception-v3 (pool3)"); None for
              metrics on pixels only. FIDs from different feature spaces are not comparable.
    """

    value: float
    ci_low: float
    ci_high: float
    n_real: int
    n_fake: int
    extra: dict[str, Any] = field(default_factory=dict)
    feature_space_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for `json.dumps`; NaN/inf become None so the output is strict JSON."""
        data = asdict(self)
        for name in ("value", "ci_low", "ci_high"):
            data[name] = _finite_or_none(data[name])
        return data


def _finite_or_none(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None
