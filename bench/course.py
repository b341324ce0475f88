"""The course's Day 65 statements, measured: each exercise's configurations on the spiral
(one hidden layer of 8, 500 epochs, the course's settings) over several seeds, and whether
each statement the course makes holds, and in how many seeds.

    python -m bench.course [--seeds 5] [--epochs 500]

Prints each configuration's final test loss (mean and range over seeds), then each claim
with the seeds in which it holds, at an early epoch (what one sees a minute into a run in
the Playground) and at the end. The view's exercise notes quote these figures.
"""

import argparse
import time

import numpy as np

from app.network_view import configs
from bench.timing import report
from optimizers import train
from scenes import playground

# (exercise, what the course says, test over the configurations' final test losses)
CLAIMS = [
    ("ex5", "batch 1 ends better than batch 30", lambda t: t[0] < t[2]),
    ("ex5", "batch 1 ends better than batch 10", lambda t: t[0] < t[1]),
    ("ex6", "rate 0.3 ends better than 0.03", lambda t: t[1] < t[0]),
    ("ex6", "rate 3 is too unstable (worst of the four)", lambda t: t[3] == max(t)),
    ("ex7", "sigmoid ends best at rate 1", lambda t: t[2] == min(t)),
    ("ex7", "ReLU ends worse than sigmoid", lambda t: t[1] > t[2]),
    ("ex8", "L2 0.001 ends best", lambda t: t[2] == min(t)),
    ("ex8", "L1 0.001 ends worse than L2 0.001", lambda t: t[1] > t[2]),
    ("ex8", "L2 0.01 ends worse than none", lambda t: t[3] > t[0]),
]


def test_losses(exercise: str, seeds: range, epochs: int) -> np.ndarray:
    """(seeds, configurations, epochs + 1) test losses; a diverged run's count as infinitely
    bad."""
    rows = [{**playground.ROW, **change} for change in playground.EXERCISES[exercise]]
    out = []
    for seed in seeds:
        result = train.train("spiral", configs(rows), epochs=epochs, seed=seed)
        out.append(np.where(np.isfinite(result.test_loss), result.test_loss, np.inf))
    return np.array(out)


def spread(final: np.ndarray, early: np.ndarray) -> str:
    """Final test loss over seeds as mean (range), its mean at the early epoch, and how many
    runs diverged."""
    finite = final[np.isfinite(final)]
    if not len(finite):
        return f"diverged in all {len(final)}"
    shown = f"{finite.mean():.3f} ({finite.min():.3f}–{finite.max():.3f})"
    shown += f", early {np.mean(early[np.isfinite(early)]):.3f}"
    return shown + (f", diverged in {len(final) - len(finite)}" if len(finite) < len(final) else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--early", type=int, default=100, help="an earlier epoch, also judged")
    args = parser.parse_args()
    seeds = range(args.seeds)
    began = time.perf_counter()
    losses = {name: test_losses(name, seeds, args.epochs) for name in ("ex5", "ex6", "ex7", "ex8")}
    rows = []
    for name, table in losses.items():
        changes = playground.EXERCISES[name]
        for i, change in enumerate(changes):
            rows.append(
                (f"{name} {change or 'none'}", spread(table[:, i, -1], table[:, i, args.early]))
            )
    for name, claim, holds in CLAIMS:
        counts = [
            sum(bool(holds(list(seed[:, epoch]))) for seed in losses[name])
            for epoch in (args.early, args.epochs)
        ]
        rows.append(
            (
                f"{name}: {claim}",
                f"holds in {counts[0]} of {args.seeds} seeds at epoch {args.early}, "
                f"{counts[1]} at {args.epochs}",
            )
        )
    rows.append(("seconds", f"{time.perf_counter() - began:.0f}"))
    report(rows)


if __name__ == "__main__":
    main()
