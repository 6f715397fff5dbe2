"""`progress`: one synthetic patient's nodule over time, as a PNG strip (left = first time point).

    python -m gan_engine progress --checkpoint gan_engine/checkpoints/demo64 --schedule growth --steps 6 \
        --finding solid_nodule --x 0.3 --y 0.45 --seed 3 --out strip.png
    python -m gan_engine progress --checkpoint gan_engine/checkpoints/demo64 --schedule 0.1,0.5,0.3 --out s.png
"""
from __future__ import annotations

import argparse
from pathlib import Path

from gan_engine.cli import CommandError
from gan_engine.commands.sample import add_checkpoint_arguments, open_checkpoint


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("progress", help="render a lesion progression strip for one patient",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_checkpoint_arguments(parser)
    parser.add_argument("--schedule", default="growth",
                        help="growth, regression, stable, or comma-separated severities (0..1)")
    parser.add_argument("--steps", type=int, default=6, help="time points of a named schedule")
    parser.add_argument("--finding", default="solid_nodule", help="a lesion finding name")
    parser.add_argument("--low", type=float, default=0.1, help="lowest severity of a named schedule")
    parser.add_argument("--high", type=float, default=0.9, help="highest severity of a named schedule")
    parser.add_argument("--out", type=Path, required=True, help="strip PNG to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gan_engine.conditions import Condition
    from gan_engine.lesion_progression import SCHEDULES, progression, strip_image

    schedule: str | list[float] = args.schedule
    if args.schedule not in SCHEDULES:
        try:
            schedule = [float(v) for v in args.schedule.split(",") if v.strip()]
        except ValueError:
            raise CommandError(f"--schedule must be one of {', '.join(SCHEDULES)} or numbers like 0.1,0.4,0.8") from None
    try:
        condition = Condition(args.finding, 0.0, args.x, args.y)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if not condition.has_lesion:
        raise CommandError("--finding must be a lesion finding, not 'normal'")
    if args.out.suffix.lower() != ".png":
        raise CommandError(f"--out must be a .png file, got {args.out}")
    model = open_checkpoint(args)
    try:
        series = progression(model, schedule, args.seed, steps=args.steps, condition=condition,
                             severity_range=(args.low, args.high), placement=args.placement)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    strip_image(series, str(args.out), scale=args.scale, window=args.window)
    sizes = ", ".join(f"{d:.0f}" for d in series.diameters_mm)
    at = series.conditions[0]
    print(f"wrote {args.out}: {len(series.severities)} frames, diameters {sizes} mm, seed {args.seed}, "
          f"nodule at x={at.x:.3f} y={at.y:.3f}")
    return 0
