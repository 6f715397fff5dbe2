"""Turning analysis results into JSON-ready values: only str, int, float, bool, None, list, dict."""
from __future__ import annotations

import math
from dataclasses import asdict, is_dataclass

import numpy as np


def json_ready(value):
    """Recursively: numpy scalars and arrays to Python, tuples to lists, dataclasses to dicts,
    NaN and ±inf to None (JSON has neither)."""
    if is_dataclass(value) and not isinstance(value, type):
        return json_ready(asdict(value))
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_ready(value.tolist())
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{type(value).__name__} is not JSON-ready.")
