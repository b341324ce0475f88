"""What a batch of runs costs on this machine, measured, so that one request's seconds are
bounded and not only its sizes: 300 × 300 basins of a plain SGD row take a fraction of a
second, of Adam with line search and a plateau schedule tens of seconds, at the same counts.

The cost of one optimizer step of one run depends on the surface and on the spec's structure
(optimizer, schedule, line search, clipping), not on its numbers; it is measured once per
(surface, structure) in each process, on a probe batch, and kept.
"""

from __future__ import annotations

import time

import numpy as np

from landscapes.surface import Surface
from optimizers.runner import sweep
from optimizers.spec import Spec, vary

BUDGET_SECONDS = 5.0  # of computing for one request of an insight view, all its rows together
PROBE_RUNS, PROBE_STEPS = 4096, 128  # large enough that per-call overhead is a small share
LEAST_STEPS = 10  # a reduced request still shows something
_MEASURED: dict[tuple, float] = {}


def seconds_per_run_step(surface: Surface, spec: Spec) -> float:
    """Seconds one step of one run of `spec`'s structure costs on `surface`, in a batch of
    PROBE_RUNS runs from starts all over the domain: a probe sweep timed on its second call
    (the first one compiles), once per process."""
    key = (surface.name, surface.title, surface.domain, spec.structure)
    if key not in _MEASURED:
        probe = _copies(spec, PROBE_RUNS)
        starts = spread_starts(surface, PROBE_RUNS)
        sweep(surface, probe, starts, PROBE_STEPS)
        began = time.perf_counter()
        sweep(surface, probe, starts, PROBE_STEPS)
        _MEASURED[key] = (time.perf_counter() - began) / (PROBE_RUNS * PROBE_STEPS)
    return _MEASURED[key]


def _copies(spec: Spec, count: int) -> Spec:
    """`count` copies of `spec` as one batch (its rate as an array)."""
    return vary(spec, learning_rate=np.full(count, spec.hyper["learning_rate"]))


def spread_starts(surface: Surface, count: int) -> np.ndarray:
    """`count` starts on a grid over the domain: a step's cost depends on where a run is (a
    line search backtracks more where the gradient is steep), so the probe samples it all."""
    side = int(np.ceil(np.sqrt(count)))
    (x0, x1), (y0, y1) = surface.domain
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, side), np.linspace(y0, y1, side)), -1)
    return grid.reshape(-1, 2)[:count].astype(np.float32)


def affordable_steps(per_run_step: float, runs: int, steps: int, budget: float) -> int:
    """The most steps, up to `steps`, that `runs` runs can take within `budget` seconds at
    `per_run_step` seconds a run-step (never fewer than LEAST_STEPS)."""
    if per_run_step <= 0 or runs * steps * per_run_step <= budget:
        return int(steps)
    return int(min(steps, max(LEAST_STEPS, budget // (runs * per_run_step))))


def within_budget(surface: Surface, spec: Spec, runs: int, steps: int, budget: float | None):
    """`steps`, or fewer so that `runs` runs of `spec` finish within `budget` seconds (no
    budget: no limit)."""
    if budget is None:
        return int(steps)
    return affordable_steps(seconds_per_run_step(surface, spec), runs, steps, budget)


def chunked_sweep(surface: Surface, spec: Spec, starts, steps: int, noise=0.0, seed=0):
    """`sweep` of `spec` from each of `starts` (one run each), in batches of the probe's size
    (the last one padded): the measured cost per run-step then holds exactly (a batch of
    90,000 runs costs about three times as much a run-step as the probe's), and every batch
    after the first reuses its compiled program."""
    starts = np.asarray(starts, np.float32)
    parts = []
    for first in range(0, len(starts), PROBE_RUNS):
        chunk = starts[first : first + PROBE_RUNS]
        padded = np.concatenate([chunk, np.repeat(chunk[-1:], PROBE_RUNS - len(chunk), 0)])
        result = sweep(surface, _copies(spec, PROBE_RUNS), padded, steps, 0.0, noise, seed)
        parts.append([np.asarray(field)[: len(chunk)] for field in result])
    return type(result)(*(np.concatenate(column) for column in zip(*parts, strict=True)))
