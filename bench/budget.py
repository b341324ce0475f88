"""The heaviest insight request, with and without the time budget: basins at 300 × 300 for
12 rows with line search and a plateau schedule, 5,000 steps (the request that took 207 s).

    python -m bench.budget

Baseline, measured in the same run: one such row without a budget (the view's old
behaviour; twelve rows take twelve times as long). Then the twelve rows as the view asks for
them now (each its share of optimizers.cost.BUDGET_SECONDS): the first request (probes and
compiles each new structure) and the same request again (compiled), medians of three.
"""

from __future__ import annotations

import statistics
import time

import landscapes
import optimizers
from bench.timing import report
from optimizers import cost, insight

NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")


def rows() -> list:
    """Twelve rows: six optimizers, each with line search and a plateau schedule, twice (with
    and without clipping), so the request has twelve structures as in the report."""
    plateau = optimizers.schedule("plateau")
    return [
        optimizers.make(name, learning_rate=0.01, line_search=True, schedule=plateau, **clip)
        for name in NAMES
        for clip in ({}, {"clip_norm": 1.0})
    ]


def request(surface, specs, budget) -> tuple[float, int]:
    """(seconds, fewest steps run) of the basins of every row, the budget shared."""
    began = time.perf_counter()
    share = None if budget is None else budget / len(specs)
    steps = [insight.basins(surface, spec, 5000, n=300, budget=share).steps for spec in specs]
    return time.perf_counter() - began, min(steps)


def main() -> None:
    surface = landscapes.get("rosenbrock")
    specs = rows()
    one_row, full_steps = request(surface, specs[-1:], None)
    first, steps = request(surface, specs, cost.BUDGET_SECONDS)
    again = statistics.median(request(surface, specs, cost.BUDGET_SECONDS)[0] for _ in range(3))
    print("basins 300 × 300, 12 rows with line search and a plateau schedule, 5,000 steps:")
    report(
        [
            ("one row, no budget (baseline)", f"{one_row:.1f} s ({full_steps} steps)"),
            ("twelve rows, no budget (12 × baseline)", f"{12 * one_row:.0f} s"),
            ("twelve rows, budget, first request", f"{first:.1f} s ({steps} steps)"),
            ("twelve rows, budget, again (median of 3)", f"{again:.1f} s"),
            ("ratio: budgeted again / unbudgeted", f"{again / (12 * one_row):.3f}"),
        ]
    )


if __name__ == "__main__":
    main()
