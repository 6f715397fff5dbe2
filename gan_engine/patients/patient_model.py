"""A conditional tabular GAN of patient profiles (CTGAN, written from the paper).

Xu L, Skoularidou M, Cuesta-Infante A, Veeramachaneni K. "Modeling Tabular Data using Conditional
GAN." NeurIPS 2019. Pieces: mode-specific normalisation (transformer.py), conditional vector and
training-by-sampling (conditional.py), residual generator and PacGAN critic with WGAN-GP
(networks.py), and here the training loop: the generator's loss is -E[D(G(z, c), c)] plus the
cross-entropy between its output for the conditioned column and the asked-for category.

Train and save (the CLI wiring is the lead's; from Python):
    from gan_engine.patients import PatientModelConfig, sample_reference_cohort, train_patient_model
    model = train_patient_model(sample_reference_cohort(10_000, seed=0), PatientModelConfig())
    model.save("runs/patients"); model.sample(5, seed=1)

A saved model is patient_model.safetensors (generator weights) + patient_model.json (config,
encoder, category counts, repair limits); no pickles.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from gan_engine.patients.columns import (
    COLUMNS,
    RepairLimits,
    columns_to_profiles,
    fit_repair_limits,
    profiles_to_columns,
)
from gan_engine.patients.conditional import CondBatch, ConditionalSampler
from gan_engine.patients.networks import Critic, Generator, activate, gradient_penalty
from gan_engine.patients.profile import PatientProfile
from gan_engine.patients.transformer import Span, TableTransformer
from gan_engine.records import from_record

FORMAT = "radturing-patient-model"
FORMAT_VERSION = 1
WEIGHTS_FILE = "patient_model.safetensors"
CONFIG_FILE = "patient_model.json"


@dataclass(frozen=True)
class PatientModelConfig:
    """Training settings; defaults are the CTGAN paper's."""

    epochs: int = 300                          # passes over the data (steps = epochs * rows // batch)
    batch_size: int = 500                      # rows per step; a multiple of pac
    embedding_dim: int = 128                   # noise vector length
    generator_dims: tuple[int, ...] = (256, 256)  # residual block widths
    critic_dims: tuple[int, ...] = (256, 256)  # critic hidden widths
    pac: int = 10                              # rows per critic input (PacGAN)
    lr: float = 2e-4                           # Adam learning rate, both networks
    betas: tuple[float, float] = (0.5, 0.9)    # Adam betas
    weight_decay: float = 1e-6                 # Adam L2
    critic_steps: int = 1                      # critic updates per generator update
    gp_weight: float = 10.0                    # WGAN-GP lambda
    gumbel_tau: float = 0.2                    # Gumbel-softmax temperature
    max_modes: int = 10                        # mixture components per continuous column
    mixture_max_iter: int = 100                # variational EM iterations per column
    seed: int = 0                              # seeds numpy and torch for the whole run

    def __post_init__(self) -> None:
        if self.batch_size % self.pac:
            raise ValueError(f"batch_size ({self.batch_size}) must be a multiple of pac ({self.pac})")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PatientModelConfig":
        """Inverse of asdict(config); JSON lists become tuples, unknown keys are an error."""
        return from_record(cls, data, what="config", tuples=frozenset({"generator_dims", "critic_dims", "betas"}))


ProgressFn = Callable[[int, int, dict[str, float]], None]


class PatientModel:
    """A trained generator plus everything needed to decode its rows into valid profiles."""

    def __init__(self, config: PatientModelConfig, transformer: TableTransformer,
                 sampler: ConditionalSampler, limits: RepairLimits, generator: Generator,
                 training_rows: int) -> None:
        self.config = config
        self.transformer = transformer
        self.sampler = sampler
        self.limits = limits
        self.generator = generator.eval()
        self.training_rows = training_rows

    def sample(self, n: int, seed: int = 0,
               given: dict[str, str] | None = None) -> list[PatientProfile]:
        """`n` synthetic profiles; the same seed gives the same list.

        given: at most one discrete column fixed to a category, e.g. {"smoking_status": "current"};
               the generator is conditioned on it and rows that still miss it are redrawn.
        """
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        rng = np.random.default_rng(seed)
        gen = torch.Generator().manual_seed(seed)
        want: tuple[str, int] | None = None
        if given:
            if len(given) != 1:
                raise ValueError("given fixes exactly one column")
            ((name, value),) = given.items()
            spec = next((c for c in COLUMNS if c.name == name and not c.continuous), None)
            if spec is None or name not in self.sampler.names:
                raise ValueError(f"given column must be a discrete column, got {name!r}")
            if value not in spec.categories:
                raise ValueError(f"{name} must be one of {', '.join(spec.categories)}, got {value!r}")
            want = (name, spec.categories.index(value))
        profiles: list[PatientProfile] = []
        for _ in range(50):  # rejection rounds for `given`; one round suffices without it
            if len(profiles) >= n:
                break
            batch = max(n - len(profiles), 1)
            if want is None:
                cond = self.sampler.sample_original(batch, rng)
            else:
                cond = self.sampler.fixed(batch, *want)
            rows = self._generate(torch.from_numpy(cond), gen)
            columns = self.transformer.inverse_transform(rows)
            if want is not None:
                keep = columns[want[0]] == want[1]
                columns = {k: v[keep] for k, v in columns.items()}
            profiles += columns_to_profiles(columns, self.limits)
        if len(profiles) < n:
            raise RuntimeError(f"the model rarely produces {given}; got {len(profiles)} of {n} rows")
        return profiles[:n]

    @torch.no_grad()
    def _generate(self, cond: torch.Tensor, gen: torch.Generator) -> np.ndarray:
        z = torch.randn(cond.shape[0], self.config.embedding_dim, generator=gen)
        raw = self.generator(torch.cat([z, cond], dim=1))
        return activate(raw, self.transformer.spans, self.config.gumbel_tau, gen).numpy()

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write weights (safetensors) and metadata (JSON) into `directory`; returns it."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "config": asdict(self.config),
            "transformer": self.transformer.to_dict(),
            "conditional": self.sampler.to_dict(),
            "limits": self.limits.to_dict(),
            "training_rows": self.training_rows,
        }
        state = {k: v.detach().contiguous() for k, v in self.generator.state_dict().items()}
        # Write to temporary names, then rename, so a crash never leaves a half-written model.
        tmp_weights, tmp_meta = out / (WEIGHTS_FILE + ".tmp"), out / (CONFIG_FILE + ".tmp")
        save_file(state, str(tmp_weights))
        tmp_meta.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        os.replace(tmp_weights, out / WEIGHTS_FILE)
        os.replace(tmp_meta, out / CONFIG_FILE)
        return out


def _build_generator(cfg: PatientModelConfig, cond_dim: int, data_dim: int) -> Generator:
    return Generator(cfg.embedding_dim + cond_dim, cfg.generator_dims, data_dim)


def load_patient_model(directory: str | os.PathLike[str]) -> PatientModel:
    """Load a model written by `PatientModel.save` (safetensors + JSON; never a pickle)."""
    d = Path(directory)
    meta = json.loads((d / CONFIG_FILE).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{d / CONFIG_FILE} is not a {FORMAT} v{FORMAT_VERSION} file")
    cfg = PatientModelConfig.from_dict(meta["config"])
    transformer = TableTransformer.from_dict(meta["transformer"])
    sampler = ConditionalSampler.from_dict(meta["conditional"])
    generator = _build_generator(cfg, sampler.cond_dim, transformer.output_dim)
    generator.load_state_dict(load_file(str(d / WEIGHTS_FILE)), strict=True)
    return PatientModel(cfg, transformer, sampler, RepairLimits(**meta["limits"]), generator,
                        int(meta["training_rows"]))


def _conditional_loss(raw: torch.Tensor, spans: Sequence[Span], column: torch.Tensor,
                      category: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of the generator's logits for the conditioned column vs the asked category."""
    discrete = [s for s in spans if s.discrete]
    loss = raw.new_zeros(raw.shape[0])
    for j, s in enumerate(discrete):
        picked = column == j
        if picked.any():
            logits = raw[picked, s.start:s.start + s.width]
            loss[picked] = F.cross_entropy(logits, category[picked], reduction="none")
    return loss.mean()


def train_patient_model(profiles: Sequence[PatientProfile], cfg: PatientModelConfig | None = None,
                        progress_fn: ProgressFn | None = None,
                        should_stop: Callable[[], bool] | None = None) -> PatientModel:
    """Train CTGAN on `profiles` (e.g. from read_patient_csv or sample_reference_cohort).

    progress_fn(step, total_steps, {"critic_loss", "generator_loss"}) is called every step;
    should_stop() is polled every step and ends training early (the model so far is returned).
    """
    cfg = cfg or PatientModelConfig()
    if len(profiles) < cfg.pac:
        raise ValueError(f"need at least {cfg.pac} profiles to train, got {len(profiles)}")
    rng = np.random.default_rng(cfg.seed)
    columns = profiles_to_columns(profiles)
    transformer = TableTransformer(COLUMNS).fit(columns, max_modes=cfg.max_modes,
                                                max_iter=cfg.mixture_max_iter, seed=cfg.seed)
    data = torch.from_numpy(transformer.transform(columns, rng))
    discrete = [c for c in COLUMNS if not c.continuous]
    sampler = ConditionalSampler.from_codes([c.name for c in discrete],
                                            [len(c.categories) for c in discrete], columns)
    spans = transformer.spans
    batch = min(cfg.batch_size, (len(profiles) // cfg.pac) * cfg.pac)
    steps_per_epoch = max(len(profiles) // batch, 1)
    total = cfg.epochs * steps_per_epoch

    with torch.random.fork_rng(devices=[]):  # seed dropout etc. without touching the caller's RNG
        torch.manual_seed(cfg.seed)
        gen = torch.Generator().manual_seed(cfg.seed)
        generator = _build_generator(cfg, sampler.cond_dim, transformer.output_dim)
        critic = Critic(transformer.output_dim + sampler.cond_dim, cfg.critic_dims, cfg.pac)
        opt_g = torch.optim.Adam(generator.parameters(), lr=cfg.lr, betas=cfg.betas,
                                 weight_decay=cfg.weight_decay)
        opt_d = torch.optim.Adam(critic.parameters(), lr=cfg.lr, betas=cfg.betas,
                                 weight_decay=cfg.weight_decay)

        def fake_batch() -> tuple[torch.Tensor, torch.Tensor, CondBatch]:
            cb = sampler.sample_train(batch, rng)
            cond = torch.from_numpy(cb.cond)
            z = torch.randn(batch, cfg.embedding_dim, generator=gen)
            raw = generator(torch.cat([z, cond], dim=1))
            return raw, cond, cb

        for step in range(1, total + 1):
            for _ in range(cfg.critic_steps):
                raw, cond, cb = fake_batch()
                fake = activate(raw, spans, cfg.gumbel_tau, gen).detach()
                real = data[torch.from_numpy(cb.rows)]
                real_in = torch.cat([real, cond], dim=1)
                fake_in = torch.cat([fake, cond], dim=1)
                loss_d = critic(fake_in).mean() - critic(real_in).mean()
                gp = gradient_penalty(critic, real_in, fake_in, gen)
                opt_d.zero_grad(set_to_none=True)
                (loss_d + cfg.gp_weight * gp).backward()
                opt_d.step()

            raw, cond, cb = fake_batch()
            fake = activate(raw, spans, cfg.gumbel_tau, gen)
            cross_entropy = _conditional_loss(raw, spans, torch.from_numpy(cb.column),
                                              torch.from_numpy(cb.category))
            loss_g = -critic(torch.cat([fake, cond], dim=1)).mean() + cross_entropy
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()

            if progress_fn is not None:
                losses = {"critic_loss": loss_d.item(), "generator_loss": loss_g.item()}
                progress_fn(step, total, losses)
            if should_stop is not None and should_stop():
                break

    return PatientModel(cfg, transformer, sampler, fit_repair_limits(profiles), generator,
                        len(profiles))
