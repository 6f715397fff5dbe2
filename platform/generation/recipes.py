"""Training recipes: the few named TrainConfig settings a user picks from on the train form.

Each recipe is a TOML file under gan_engine/configs plus overrides; the resolved `asdict(cfg)` is
stored on the job at creation, so a resumed job trains with exactly the config it started with
even if a recipe changes later.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generation.models import ENGINE_DIR


@dataclass(frozen=True)
class Recipe:
    label: str                       # shown on the form
    description: str                 # what to expect (size, time)
    config_file: str | None          # a TOML under gan_engine/configs, or None for the defaults
    overrides: dict[str, Any] = field(default_factory=dict)


RECIPES: dict[str, Recipe] = {
    "quick-64": Recipe(
        "Quick 64 px", "64 px, 6000 steps: about an hour on a CPU, minutes on a GPU. Good for a first look.",
        "demo64.toml", {"threads": 0}),
    "standard-128": Recipe(
        "Standard 128 px", "128 px, 20 000 steps, wider networks: needs a GPU (about an hour).",
        None, {"size": 128, "g_width": 32, "d_width": 32, "max_width": 256, "batch_size": 32, "steps": 20_000,
               "log_every": 25, "sample_every": 500, "checkpoint_every": 500}),
    "smoke": Recipe(
        "Smoke test", "A tiny 64 px model trained for a few steps: checks the set-up in seconds; "
        "its images are noise.", "tiny.toml", {"checkpoint_every": 10, "sample_every": 10, "threads": 1}),
}
DEFAULT_RECIPE = "quick-64"


def recipe_choices() -> list[tuple[str, str]]:
    return [(key, recipe.label) for key, recipe in RECIPES.items()]


def build_config(recipe: str, *, steps: int | None = None, seed: int | None = None) -> dict[str, Any]:
    """The JSON-ready TrainConfig of a recipe, with the user's step count and seed if given.

    Raises ValueError for an unknown recipe or values TrainConfig refuses. The limits a user's
    request must keep are TrainingSpec's (generation/specs.py)."""
    from gan_engine.config import config_to_dict, load_train_config

    if recipe not in RECIPES:
        raise ValueError(f"recipe must be one of {', '.join(RECIPES)}, got {recipe!r}")
    chosen = RECIPES[recipe]
    overrides = dict(chosen.overrides)
    if steps is not None:
        overrides["steps"] = int(steps)
    if seed is not None:
        overrides["seed"] = int(seed)
    path = Path(ENGINE_DIR, "configs", chosen.config_file) if chosen.config_file else None
    cfg = load_train_config(path, [f"--{k}={','.join(map(str, v)) if isinstance(v, tuple) else v}"
                                    for k, v in overrides.items()])
    return config_to_dict(cfg)
