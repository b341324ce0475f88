"""What a batch of runs costs on this machine, measured, so that one request's seconds are
bounded and not only its sizes: 300 × 300 basins of a plain SGD row take a fraction of a
second, of Adam with line search and a plateau schedule tens of seconds, at the same counts.

The cost of one optimizer step of one run depends on the surface and on the spec's structure
(optimizer, schedule, line search, clipping), not on its numbers; it is measured once per
(surface, structure) in each process, on a probe batch, and kept.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import time
from collections.abc import Callable

import numpy as np

from landscapes import network
from landscapes.surface import Surface
from optimizers.runner import sweep
from optimizers.spec import Spec, vary

BUDGET_SECONDS = 5.0  # of computing for one request of an insight view, all its rows together
PROBE_RUNS, PROBE_STEPS = 4096, 128  # large enough that per-call overhead is a small share
LEAST_STEPS = 10  # a reduced request still shows something
PART_SECONDS = 0.25  # of computing between two chances to stop (a page closed, an input changed)
LEAST_PART = 64  # runs: smaller parts would spend their time on calls, not on steps
_stop_check: contextvars.ContextVar = contextvars.ContextVar("stop_check", default=None)
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
    affordable = math.floor(budget / (runs * per_run_step) + 1e-9)  # 5 / 0.02 is 250, not 249
    return int(min(steps, max(LEAST_STEPS, affordable)))


def within_budget(surface: Surface, spec: Spec, runs: int, steps: int, budget: float | None):
    """`steps`, or fewer so that `runs` runs of `spec` finish within `budget` seconds (no
    budget: no limit)."""
    if budget is None:
        return int(steps)
    return affordable_steps(seconds_per_run_step(surface, spec), runs, steps, budget)


def part_size(per_run_step: float, steps: int) -> int:
    """The runs of one part of a sweep: the most, halving from PROBE_RUNS down to LEAST_PART,
    that take at most PART_SECONDS at `per_run_step` seconds a run-step."""
    size = PROBE_RUNS
    while size > LEAST_PART and size * steps * per_run_step > PART_SECONDS:
        size //= 2
    return size


@contextlib.contextmanager
def interruptible(check: Callable[[], None]):
    """Call `check` before each part of every sweep run inside: it raises to stop the work
    (the app's does when the page closed or its input changed)."""
    token = _stop_check.set(check)
    try:
        yield
    finally:
        _stop_check.reset(token)


def checkpoint() -> None:
    """Where a long computation may be stopped: runs the `interruptible` check, if any."""
    check = _stop_check.get()
    if check is not None:
        check()


def sweep_in_parts(
    surface: Surface, spec: Spec, start, steps: int, tol=0.0, noise=0.0, seed=0, budget=None
):
    """`sweep` of every configuration of `spec` from `start` (one point, or one per run), in
    parts with a `checkpoint` before each, the last one padded. With a `budget` (the cost is
    measured) a part takes at most PART_SECONDS, so work nobody waits for stops that soon;
    without, parts are of PROBE_RUNS. Each part after the first reuses its compiled program,
    and parts keep the measured cost true (a batch of 90,000 runs costs about three times as
    much a run-step as the probe's)."""
    start = np.asarray(surface.start if start is None else start, np.float32)
    total = max(spec.size, len(start) if start.ndim == 2 else 1)
    batch = spec if spec.size == total else _copies(spec, total)
    size = PROBE_RUNS
    if budget is not None:
        size = part_size(seconds_per_run_step(surface, spec), steps)
    size = min(total, size)
    parts = []
    for first in range(0, total, size):
        checkpoint()
        index = np.minimum(np.arange(first, first + size), total - 1)
        part_start = start[index] if start.ndim == 2 else start
        result = sweep(surface, batch.part(index), part_start, steps, tol, noise, seed)
        parts.append([np.asarray(field)[: total - first] for field in result])
    return type(result)(*(np.concatenate(column) for column in zip(*parts, strict=True)))


# The network view's cost, per run and epoch at 16 hidden neurons, measured on this machine by
# `python -m bench.network` (which prints the prediction beside the measured time): a
# minibatch step costs a fixed part and a part per sample of the widest batch; the sharpness
# probe a part per training point.
NET_STEP_SECONDS, NET_SAMPLE_SECONDS = 7e-7, 3e-7
NET_PROBE_POINT_SECONDS = 1.6e-6


def network_seconds_per_epoch(runs: int, points: int, batches: list[int], hidden) -> float:
    """Predicted seconds one epoch of `runs` networks costs, training (minibatches of
    `batches`, the smallest sets the steps, the largest each step's width) and the sharpness
    probe together, on `points` training points, for `hidden` layers (`network.widths`)."""
    steps, widest = network.epoch_shape(points, batches)
    width = (network.size(hidden) + 16) / (network.size(16) + 16)  # parameters and a fixed part
    step = NET_STEP_SECONDS + NET_SAMPLE_SECONDS * widest
    return runs * width * (steps * step + points * NET_PROBE_POINT_SECONDS)


def affordable_epochs(per_epoch: float, epochs: int, budget: float) -> int:
    """The most epochs, up to `epochs`, within `budget` seconds at `per_epoch` seconds each
    (never fewer than the page's least, which is LEAST_STEPS): an epoch is one step of one
    run to `affordable_steps`."""
    return affordable_steps(per_epoch, 1, epochs, budget)
