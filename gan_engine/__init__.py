"""gan_engine: synthetic radiology images with conditional GANs (pure PyTorch, no Django).

Public API (imported lazily so that `import gan_engine` stays cheap and torch-free until used):

    train(cfg, run_dir, progress_fn=None, should_stop=None) -> TrainResult
    load_checkpoint(path) -> LoadedModel
    generate(model, n, condition, seed) -> Samples
    progression(model, schedule, seed, ...) -> ProgressionSeries
    evaluate(real, fake, ...) -> dict of metric results with confidence intervals
"""
from __future__ import annotations

import importlib
from typing import Any

from gan_engine.conditions import FINDING_CLASSES, Condition

__version__ = "0.1.0"

# name -> module that defines it; resolved on first attribute access (PEP 562). No module shares
# its name with a name exported here: importing a submodule binds it as a package attribute, which
# would shadow the function of that name (hence training.py, lesion_progression.py).
_LAZY = {
    "train": "gan_engine.training",
    "TrainConfig": "gan_engine.config",
    "SampleConfig": "gan_engine.config",
    "load_checkpoint": "gan_engine.checkpoint",
    "generate": "gan_engine.sample",
    "progression": "gan_engine.lesion_progression",
    "evaluate": "gan_engine.metrics",
}

__all__ = ["Condition", "FINDING_CLASSES", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gan_engine' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
