"""Engine speed: training images/s, generation images/s and FLOPs per generated image.

    nice -n 5 .venv/bin/python benchmarks/engine.py            # 64 and 128 px, writes docs/benchmarks.md
    .venv/bin/python benchmarks/engine.py --sizes 64 --steps 5 --no-write

The model is the demo configuration (gan_engine/configs/demo64.toml) at each size. Training runs
the real `train()` loop (D step with lazy R1+R2, G step, EMA) on an in-memory random dataset, so
data rendering is not counted. FLOPs are counted with torch.utils.flop_counter.FlopCounterMode
(multiply-add = 2 FLOPs; convolutions and matmuls only). Results go between the
`<!-- engine:start -->` and `<!-- engine:end -->` markers of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import torch
from torch.utils.data import Dataset

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gan_engine.config import load_train_config  # noqa: E402
from gan_engine.models import build_generator  # noqa: E402
from gan_engine.training import train  # noqa: E402

from benchmarks.report import replace_section  # noqa: E402

START, END = "<!-- engine:start -->", "<!-- engine:end -->"


class RandomItems(Dataset):
    """Items with the LabelledCTDataset contract and random content (no rendering cost)."""

    def __init__(self, size: int, n: int = 64) -> None:
        g = torch.Generator().manual_seed(0)
        self.images = torch.rand(n, 1, size, size, generator=g) * 2 - 1
        self.findings = torch.randint(4, (n,), generator=g)
        self.severity = torch.rand(n, generator=g)
        self.position = 0.3 + 0.4 * torch.rand(n, 2, generator=g)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        return {"image": self.images[i], "finding": self.findings[i], "severity": self.severity[i],
                "position": self.position[i], "pixel_spacing_mm": torch.tensor(360.0 / self.images.shape[-1])}


def measure(size: int, steps: int, gen_batches: int) -> dict[str, float]:
    """Training img/s, generation img/s (batch 32, no grad) and GFLOPs per generated image."""
    cfg = load_train_config(ROOT / "gan_engine" / "configs" / "demo64.toml")
    cfg = replace(cfg, size=size, steps=steps, sample_every=0, checkpoint_every=0, cache_items=0,
                  log_every=steps, device="cpu")
    with tempfile.TemporaryDirectory() as tmp:
        warm = train(replace(cfg, steps=1), Path(tmp) / "warm", dataset=RandomItems(size))
        result = train(cfg, Path(tmp) / "run", dataset=RandomItems(size), resume=False)
    del warm
    G = build_generator(cfg, 360.0 / size).eval()
    n = 32
    latent = torch.randn(n, G.latent_dim)
    finding = torch.randint(4, (n,))
    severity = torch.rand(n)
    position = torch.full((n, 2), 0.4)
    with torch.no_grad():
        G(latent, finding, severity, position)
        t0 = time.perf_counter()
        for _ in range(gen_batches):
            G(latent, finding, severity, position)
        gen_rate = n * gen_batches / (time.perf_counter() - t0)
        from torch.utils.flop_counter import FlopCounterMode

        counter = FlopCounterMode(display=False)
        with counter:
            G(latent[:1], finding[:1].clamp(min=1), severity[:1], position[:1])
    params = sum(p.numel() for p in G.parameters())
    return {"size": size, "train_img_s": result.images_per_s, "gen_img_s": gen_rate,
            "gflops": counter.get_total_flops() / 1e9, "params_m": params / 1e6,
            "batch": cfg.batch_size}


def write_section(rows: list[dict[str, float]], path: Path) -> None:
    """Replace the engine section of docs/benchmarks.md (create the file or the markers if absent)."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [START, "## Engine (gan_engine)", "",
             f"Measured by `benchmarks/engine.py` on {platform.processor() or platform.machine()}, "
             f"{torch.get_num_threads()} torch threads, torch {torch.__version__}, CPU only; "
             f"1-minute load average at the end: {load:.1f} (the machine is shared, so treat these as lower bounds).",
             "Model: the demo configuration (`gan_engine/configs/demo64.toml`) at each size.", "",
             "| size (px) | G params (M) | training img/s (batch {b}) | generation img/s (batch 32) | GFLOPs / generated image |".format(b=rows[0]["batch"]),
             "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['size']} | {r['params_m']:.2f} | {r['train_img_s']:.1f} | {r['gen_img_s']:.1f} | {r['gflops']:.3f} |")
    lines += ["", "Training img/s counts real images per second through the full step (D step with lazy "
              "R1+R2 every `reg_every` steps, G step, EMA update); data rendering excluded.", END]
    replace_section(path, START, END, "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[64, 128])
    parser.add_argument("--steps", type=int, default=8, help="training steps timed per size")
    parser.add_argument("--gen-batches", type=int, default=5, help="generation batches of 32 timed per size")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: oversubscribed OpenMP threads on a shared CPU run 20x slower)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows = [measure(size, args.steps, args.gen_batches) for size in args.sizes]
    for r in rows:
        print(r)
    if not args.no_write:
        write_section(rows, ROOT / "docs" / "benchmarks.md")


if __name__ == "__main__":
    main()
