"""Insight computations, each one vmapped run: learning-rate sweeps, learning rate × momentum
stability maps, basins of attraction over a grid of starts, the LR range test, seeded noise
fans, a scene's leaderboard, and the parts of every step (the gradient step and the rest).

No Streamlit or Altair here: `app/insights_view.py` draws these, notebooks can use them directly;
each result's `.chart()` is the app's chart of it (imported from `charts.insight` when asked
for, as charts build on this module).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

import jax
import numpy as np

from landscapes import Surface
from optimizers import cost
from optimizers.runner import Trajectories, points, run
from optimizers.schedules import schedule as make_schedule
from optimizers.spec import vary

MAX_RATES = 2000
MAX_GRID = 300  # basins: starts per side
MAX_SEEDS = 256
# A fan's seeds by default: its 10 % and 90 % losses are then the 26th and 231st of 256 runs
# rather than the 10th and 90th of 100, and the density it is drawn as fills in.
FAN_SEEDS = 256
# optimizer steps per basin picture (about a second here); more steps are cut
BASIN_BUDGET = 200_000_000


def rate_grid(surface: Surface, n: int = 400, decades: float = 1.5) -> np.ndarray:
    """`n` rates log-spaced around the surface's suggested range, `decades` beyond each end."""
    lo, hi = surface.lr_range
    return np.logspace(
        np.log10(lo) - decades, np.log10(hi) + decades, int(np.clip(n, 2, MAX_RATES))
    )


@functools.cache
def _jitted(fn):
    """(loss at points, Hessian at points) of a surface function, compiled once per function."""
    value = jax.jit(jax.vmap(fn, in_axes=(0, None)))
    return value, jax.jit(jax.vmap(jax.hessian(fn), in_axes=(0, None)))


# Converged: within TOLERANCE of the way from the start's loss down to the minimum, from some
# step to the end of the run. Eight orders of magnitude: far enough below the start that the
# slowest direction has to converge too (a looser one is met by the steep direction alone
# when the start's loss lies mostly along it, and then fast transients look like fast
# convergence). Never below what float32 can resolve at the minimum's value.
TOLERANCE = 1e-8
FLOAT32_FLOOR = 1e-6  # × max(1, |f*|): some eight float32 roundings of the minimum's value


def tolerance(surface: Surface, start) -> float:
    """The loss above the minimum within which a run counts as converged (see TOLERANCE)."""
    start_loss = float(
        _jitted(surface.fn)[0](np.asarray([start], np.float32), surface.param_arrays())[0]
    )
    f_min = surface.f_min if surface.f_min is not None else start_loss - 1.0
    floor = FLOAT32_FLOOR * max(1.0, abs(f_min))
    return max(TOLERANCE * abs(start_loss - f_min), floor)


class RateSweep(NamedTuple):
    """Final loss and outcome per learning rate; `region` is 0 too small, 1 good, 2 diverges,
    3 escapes (leaves the picture while the loss keeps falling)."""

    rates: np.ndarray
    final_loss: np.ndarray
    converged_at: np.ndarray
    diverged_at: np.ndarray
    region: np.ndarray
    steps: int = 0  # the steps each rate ran: the scene's, or fewer to stay within a budget

    def best(self) -> float:
        """The rate that converged soonest, else the one with the lowest final loss."""
        done = np.where(self.converged_at >= 0, self.converged_at, np.iinfo(np.int32).max)
        if (self.converged_at >= 0).any():
            return float(self.rates[np.lexsort((self.final_loss, done))[0]])
        return float(self.rates[np.argmin(self.final_loss)])

    def chart(self, label: str = "", f_min: float | None = None, lang: str = "en"):
        """The app's chart of this sweep (final loss − f* against rate, regions shaded);
        `f_min` the surface's lowest minimum, where known."""
        from charts import insight as charts

        names = charts.region_names(lang)
        return charts.rate_sweep({label: self}, [charts.ONE_ROW], names, f_min, lang)


def rate_sweep(
    surface, spec, start, steps, rates=None, noise=0.0, seed=0, budget=None
) -> RateSweep:
    """Every rate in one vmapped run. Regions come from the data: a rate diverges, converges
    to tolerance within `steps` (good), or neither (too small, or too slow to settle). With a
    `budget` (seconds), a sweep that would take longer runs fewer steps (`.steps` says)."""
    rates = rate_grid(surface) if rates is None else np.asarray(rates, np.float64)[:MAX_RATES]
    start = surface.start if start is None else start
    steps = cost.within_budget(surface, spec, len(rates), steps, budget)
    r = cost.sweep_in_parts(
        surface,
        vary(spec, learning_rate=rates),
        start,
        steps,
        tolerance(surface, start),
        noise,
        seed,
        budget,
    )
    region = np.where(
        r.escaped, 3, np.where(r.diverged_at >= 0, 2, np.where(r.converged_at >= 0, 1, 0))
    )
    return RateSweep(rates, r.final_loss, r.converged_at, r.diverged_at, region, steps)


def moving_rate(surface, spec, start, steps: int) -> float:
    """A learning rate at which `spec` makes progress from `start`: the best of a short sweep
    (40 rates over the surface's range, at most 200 steps), to three digits. What a new row,
    or a row switched to another optimizer, starts from: one default rate can't suit every
    optimizer on every surface (Adadelta at 0.01 sits still on a saddle)."""
    short = rate_sweep(surface, spec, start, min(int(steps), 200), rate_grid(surface, 40))
    return float(f"{short.best():.3g}")


def curvature(surface: Surface) -> tuple[np.ndarray, bool]:
    """(Hessian eigenvalues at the first minimum, whether the surface is quadratic): the
    Hessian is the same at the minimum and at two other points."""
    (x0, x1), (y0, y1) = surface.domain
    points = np.array(
        [surface.minima[0] if surface.minima else surface.start, (x0, y0), (x1, y1)], np.float32
    )
    here, *others = np.asarray(_jitted(surface.fn)[1](points, surface.param_arrays()), np.float64)
    quadratic = all(np.allclose(h, here, rtol=1e-3, atol=1e-6) for h in others)
    return np.linalg.eigvalsh(here), quadratic


class StabilityMap(NamedTuple):
    """Steps to tolerance per (momentum, rate): −1 never, −2 diverged, −3 escaped; rows follow
    `betas`."""

    rates: np.ndarray
    betas: np.ndarray
    steps_to_tol: np.ndarray  # (len(betas), len(rates))
    lam_max: float | None  # for quadratic surfaces: the analytic boundary is lr·λ_max = 2(1 + β)
    optimum: tuple[float, float] | None  # (rate, β) of fastest heavy-ball convergence (Polyak)
    lam_min: float | None = None
    tol: float = 0.0  # the loss above the minimum that counts as converged
    steps: int = 0  # the steps each cell ran: the scene's, or fewer to stay within a budget

    def fastest(self) -> tuple[int, int] | None:
        """(row, column) of the cell that converged in the fewest steps, or None."""
        done = np.where(self.steps_to_tol >= 0, self.steps_to_tol, np.iinfo(np.int32).max)
        if not (self.steps_to_tol >= 0).any():
            return None
        row, column = np.unravel_index(np.argmin(done), done.shape)
        return int(row), int(column)

    def cells_from_optimum(self) -> tuple[int, int] | None:
        """How many cells of rate and of momentum the fastest cell lies from the optimum."""
        fastest = self.fastest()
        if fastest is None or self.optimum is None:
            return None
        rate_cell = int(np.argmin(abs(np.log(self.rates) - np.log(self.optimum[0]))))
        beta_cell = int(np.argmin(abs(self.betas - self.optimum[1])))
        return abs(fastest[1] - rate_cell), abs(fastest[0] - beta_cell)

    def chart(self, lang: str = "en"):
        """The app's chart of this map (steps to tolerance per rate and momentum)."""
        from charts import insight as charts

        return charts.stability_map(self, lang)


def momentum_name(entry) -> str | None:
    """The hyperparameter a stability map varies: a catalog optimizer's `momentum`, or a typed
    rule's momentum-like name (mu, beta or momentum); None when there is none."""
    names = ("momentum", "mu", "beta") if entry.own_step else ("momentum",)
    return next((name for name in names if name in entry.hyper), None)


def stability_map(
    surface, spec, start, steps, rates=None, betas=None, noise=0.0, seed=0, budget=None
) -> StabilityMap:
    """Learning rate × momentum (`spec` must have one: `momentum_name`) in one run; with a
    `budget` (seconds), fewer steps when the map would take longer (`.steps`)."""
    rates = rate_grid(surface, 120) if rates is None else np.asarray(rates, np.float64)
    betas = np.linspace(0.0, 0.99, 60) if betas is None else np.asarray(betas, np.float64)
    start = surface.start if start is None else start
    steps = cost.within_budget(surface, spec, len(rates) * len(betas), steps, budget)
    grid = vary(spec, learning_rate=rates[None, :], **{momentum_name(spec.entry): betas[:, None]})
    tol = tolerance(surface, start)
    r = cost.sweep_in_parts(surface, grid, start, steps, tol, noise, seed, budget)
    left = np.where(r.escaped, -3, -2)
    cells = np.where(r.diverged_at >= 0, left, r.converged_at).reshape(len(betas), len(rates))
    eigenvalues, quadratic = curvature(surface)
    if not quadratic or eigenvalues.min() <= 0:
        return StabilityMap(rates, betas, cells, None, None, None, tol, steps)
    lam_min, lam_max = float(eigenvalues.min()), float(eigenvalues.max())
    kappa = lam_max / lam_min
    optimum = (
        4 / (np.sqrt(lam_max) + np.sqrt(lam_min)) ** 2,
        ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2,
    )
    optimum = (float(optimum[0]), float(optimum[1]))
    return StabilityMap(rates, betas, cells, lam_max, optimum, lam_min, tol, steps)


class Basins(NamedTuple):
    """Which minimum each start reached: an index into `minima`, −1 diverged, −2 elsewhere
    (still moving, or stopped somewhere that is not a known minimum), −3 escaped (left the
    picture with its loss still falling)."""

    xs: np.ndarray
    ys: np.ndarray
    minimum: np.ndarray  # (len(ys), len(xs))
    minima: np.ndarray
    steps: int  # the steps each start ran: the scene's, or fewer (BASIN_BUDGET, a time budget)

    def chart(self, size: int = 240):
        """The app's picture of these basins (a PIL image: each start in its minimum's colour)."""
        from charts import insight as charts

        return charts.basin_picture(self, size)


def basins(surface, spec, steps, n: int = 200, noise=0.0, seed=0, budget=None) -> Basins:
    """A grid of n × n starts over the domain, all run in one batch (at most BASIN_BUDGET steps
    in all, and with a `budget`, as many as fit in it: a long scene's basins use its first
    steps)."""
    n = int(np.clip(n, 8, MAX_GRID))
    steps = int(min(steps, max(50, BASIN_BUDGET // (n * n))))
    steps = cost.within_budget(surface, spec, n * n, steps, budget)
    (x0, x1), (y0, y1) = surface.domain
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    starts = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2).astype(np.float32)
    r = cost.sweep_in_parts(surface, spec, starts, steps, 0.0, noise, seed, budget)
    minima = np.asarray(surface.minima, np.float64).reshape(-1, 2)
    radius = 0.02 * max(x1 - x0, y1 - y0)
    if len(minima):
        distance = np.linalg.norm(r.final_xy[:, None, :] - minima[None], axis=-1)
        nearest = distance.argmin(1)
        label = np.where(distance[np.arange(len(starts)), nearest] <= radius, nearest, -2)
    else:
        label = np.full(len(starts), -2)
    label = np.where(r.diverged_at >= 0, np.where(r.escaped, -3, -1), label)
    return Basins(xs, ys, label.reshape(n, n), minima, steps)


class RangeTest(NamedTuple):
    """Loss against an exponentially growing rate, smoothed, and the suggested rate."""

    rates: np.ndarray
    loss: np.ndarray
    smoothed: np.ndarray
    suggestion: float
    stop: int  # the steps from here on are past divergence (or the loss's 4× rise) and not drawn

    def chart(self, lang: str = "en"):
        """The app's chart of this test (loss and its smoothed curve, the suggestion marked)."""
        from charts import insight as charts

        return charts.range_test(self, lang)


def range_test(
    surface, spec, start, steps, start_lr=1e-6, end_lr=10.0, noise=0.0, seed=0
) -> RangeTest:
    """Smith (2015) / Surmenok (2017): grow the rate every step, smooth the loss (bias-corrected
    moving average), stop once it exceeds 4× its minimum, and suggest the rate where the
    smoothed loss falls fastest against log(rate), before its minimum."""
    tested = dataclasses.replace(
        spec, schedule=make_schedule("range_test", start_lr=start_lr, end_lr=end_lr), label=None
    )
    t = run(surface, [tested], start, steps, noise, seed)
    rates, loss = t.lr[0].astype(np.float64), t.loss[0, 1:].astype(np.float64)
    end = int(t.diverged_at[0]) if t.diverged_at[0] >= 0 else len(loss)
    smoothed = _smooth(loss[:end])
    best = int(smoothed.argmin()) if len(smoothed) else 0
    rising = (
        np.nonzero(smoothed[best:] > 4 * max(smoothed[best], 1e-30))[0] if len(smoothed) else []
    )
    stop = best + int(rising[0]) if len(rising) else len(smoothed)
    descent = slice(0, best + 1)  # past the lowest smoothed loss nothing descends
    slope = np.gradient(smoothed[descent], np.log(rates[descent])) if best > 2 else np.zeros(1)
    suggestion = float(rates[int(np.argmin(slope))])
    return RangeTest(
        rates, loss, np.pad(smoothed, (0, len(loss) - len(smoothed)), mode="edge"), suggestion, stop
    )


def _smooth(loss: np.ndarray, beta: float = 0.9) -> np.ndarray:
    average, out = 0.0, np.empty_like(loss)
    for i, value in enumerate(loss):
        average = beta * average + (1 - beta) * value
        out[i] = average / (1 - beta ** (i + 1))
    return out


class Fan(NamedTuple):
    """N seeded runs of one configuration, and the median loss with its 10–90 % band."""

    xy: np.ndarray  # (seeds, steps + 1, 2)
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray


def noise_fans(
    surface, specs, start, steps, noise, seeds: int = FAN_SEEDS, budget=None
) -> list[Fan]:
    """One fan per configuration in `specs`, all in one batch (or in parts of a few seeds
    each, with a `budget`, that can be stopped between): seed k of a fan is the run
    `run(surface, spec, start, steps, noise, k)` would draw (its first steps, when a `budget`
    in seconds cuts them: each fan's paths show how many)."""
    seeds = int(np.clip(seeds, 2, MAX_SEEDS))
    group = seeds  # seeds a batch: all, or fewer so that work nobody waits for can stop
    if budget is not None:
        steps = min(
            cost.within_budget(surface, s, seeds, steps, budget / len(specs)) for s in specs
        )
        slowest = max(cost.seconds_per_run_step(surface, s) for s in specs)
        group = max(1, min(seeds, cost.part_size(slowest, steps) // len(specs)))
    xy, loss = _fan_paths(surface, specs, start, steps, noise, seeds, group)
    # Nearest-rank quantiles of each configuration's seeds at each step: one sort (of contiguous
    # rows, twice as fast as along the strided axis) instead of three selections.
    ordered = np.sort(np.ascontiguousarray(loss.transpose(0, 2, 1)))
    low, median, high = (ordered[..., round(q * (seeds - 1))] for q in (0.1, 0.5, 0.9))
    return [Fan(*parts) for parts in zip(xy, median, low, high, strict=True)]


def _fan_paths(surface, specs, start, steps, noise, seeds: int, group: int):
    """Paths (specs, seeds, steps + 1, 2) and losses (specs, seeds, steps + 1) of seeds 0 …
    seeds − 1 of each spec, `group` seeds at a time (the last group padded with its last
    seed), with a `cost.checkpoint` before each group."""
    xy, loss = [], []
    for first in range(0, seeds, group):
        cost.checkpoint()
        chosen = np.minimum(np.arange(first, first + group), seeds - 1)
        part_xy, part_loss, _ = points(surface, specs, start, steps, noise, chosen.tolist())
        kept = min(group, seeds - first)
        xy.append(part_xy.reshape(len(specs), group, *part_xy.shape[1:])[:, :kept])
        loss.append(part_loss.reshape(len(specs), group, -1)[:, :kept])
    return np.concatenate(xy, axis=1), np.concatenate(loss, axis=1)


def settled_at(gap: np.ndarray, tol: float) -> int:
    """The step from which `gap` (loss − f* along a recorded run) stays below `tol` to the
    end, or −1 if it does not end there: the runner's `converged_at`, from a record."""
    outside = np.nonzero(~(gap < tol))[0]
    if len(outside) == 0:
        return 0
    return -1 if outside[-1] == len(gap) - 1 else int(outside[-1]) + 1


STATUSES = ("running", "converged", "escaped", "diverged")


def run_status(t: Trajectories, tol: float, f_min: float | None) -> np.ndarray:
    """(n, steps + 1) words, per run and step: "converged" from the step the run comes within
    `tol` of f_min and stays to the end (`settled_at`), "diverged" or "escaped" after the
    last step it was in the picture with a finite loss, "running" otherwise."""
    n, points = t.loss.shape
    status = np.full((n, points), "running", dtype=object)
    steps = np.arange(points)
    for i in range(n):
        if t.diverged_at[i] >= 0:
            status[i, steps > t.diverged_at[i]] = "escaped" if t.escapes()[i] else "diverged"
            continue
        gap = t.loss[i] - (f_min if f_min is not None else -np.inf)
        settled = settled_at(gap, tol)
        if settled >= 0:
            status[i, settled:] = "converged"
    return status


def leaderboard(t: Trajectories, surface: Surface, start) -> list[dict]:
    """Per run: its status at the end (`run_status`), steps to tolerance, final loss, where it
    diverged or escaped, distance to the nearest minimum. A run that left the picture has no
    final loss or distance (None: an empty cell), not those of the last point it was at."""
    tol = tolerance(surface, start)
    f_min = surface.f_min
    minima = np.asarray(surface.minima, np.float64).reshape(-1, 2)
    status = run_status(t, tol, f_min)[:, -1]
    rows = []
    for i, label in enumerate(t.labels):
        gap = t.loss[i] - (f_min if f_min is not None else -np.inf)
        stayed = t.diverged_at[i] < 0
        settled = settled_at(gap, tol) if stayed else -1
        end = t.xy[i, -1]
        rows.append(
            {
                "run": label,
                "status": str(status[i]),
                "steps_to_tol": settled if settled >= 0 else None,
                "final_loss": float(t.loss[i, -1]) if stayed else None,
                "diverged_at": int(t.diverged_at[i]) if t.diverged()[i] else None,
                "escaped_at": int(t.diverged_at[i]) if t.escapes()[i] else None,
                "distance": float(np.linalg.norm(minima - end, axis=1).min())
                if len(minima) and stayed
                else None,
            }
        )
    return rows


def decomposition(t: Trajectories) -> tuple[np.ndarray, np.ndarray]:
    """(gradient step −η·g, the rest of the update) for every run and step; they add up to
    the update that ran. The rest is momentum, preconditioning, clipping's and decay's share."""
    gradient_step = -t.lr[..., None] * t.grad
    return gradient_step, t.update - gradient_step


# Where an optimizer keeps its second moment, whether ε sits inside the root, and whether the
# moment is bias-corrected: what its effective per-coordinate step η/(√v̂ + ε) is made of.
SECOND_MOMENT = {
    "adagrad": ("sum_of_squares", True, False),
    "rmsprop": ("nu", True, False),
    "adam": ("nu", False, True),
    "adamw": ("nu", False, True),
    "amsgrad": ("nu_max", False, False),
    "nadam": ("nu", False, True),
    "radam": ("nu", False, True),
    "adabelief": ("nu", False, True),
    "yogi": ("nu", False, True),
    "adam_nobc": ("v", False, False),
}
MOMENTUM_LEAVES = ("trace", "mu", "m")
BIAS_CORRECTED = ("adam", "adamw", "adamax", "nadam", "amsgrad", "radam", "adabelief", "yogi")


def _leaf(state: dict, name: str):
    return next((v[0] for k, v in state.items() if k.rsplit(".", 1)[-1] == name), None)


def internals(
    surface, spec, start, steps, noise=0.0, seed=0
) -> tuple[Trajectories, dict[str, np.ndarray]]:
    """One run with its optimizer state recorded, and series over its steps (keys are ids the
    UI names): grad_norm, momentum_norm, effective_x/_y (η/(√v̂ + ε) per coordinate), bias_1
    and bias_2 (1 − βᵗ)."""
    t = run(surface, [spec], start, steps, noise, seed, keep_state=True)
    healthy = int(t.diverged_at[0]) if t.diverged_at[0] >= 0 else steps  # state past it is garbage
    t = t._replace(state={k: _held(v, healthy) for k, v in t.state.items()})
    series = {"grad_norm": np.linalg.norm(t.grad[0], axis=-1)}
    momentum = next(
        (m for m in (_leaf(t.state, n) for n in MOMENTUM_LEAVES) if m is not None and m.ndim == 2),
        None,
    )
    if momentum is not None:
        series["momentum_norm"] = np.linalg.norm(momentum, axis=-1)
    count = np.arange(1, steps + 1, dtype=np.float64)
    hyper = {k: float(np.asarray(v)) for k, v in spec.hyper.items()}
    if spec.name in SECOND_MOMENT:
        leaf, inside, corrected = SECOND_MOMENT[spec.name]
        inside = inside and spec.flags.get("eps_in_sqrt", True)
        v = _leaf(t.state, leaf).astype(np.float64)
        if corrected:
            v = v / (1 - hyper["b2"] ** count)[:, None]
        eps = hyper.get("eps", 0.0)
        root = np.sqrt(v + eps) if inside else np.sqrt(v) + eps
        effective = t.lr[0][:, None] / np.maximum(root, 1e-30)
        series |= {"effective_x": effective[:, 0], "effective_y": effective[:, 1]}
    if spec.name in BIAS_CORRECTED:
        series["bias_1"] = 1 - hyper["b1"] ** count
        if "b2" in hyper and spec.name != "adamax":
            series["bias_2"] = 1 - hyper["b2"] ** count
    return t, series


def _held(values: np.ndarray, healthy: int) -> np.ndarray:
    """Per-step values (run, step, ...) held at the last healthy step from `healthy` on."""
    values = np.array(values, np.float64)
    if healthy < values.shape[1]:
        values[:, healthy:] = values[:, max(healthy - 1, 0)][:, None]
    return np.nan_to_num(values, nan=0.0, posinf=3e38, neginf=-3e38)


def explain(t: Trajectories, k: int) -> dict:
    """The numbers of update k of run 0: where it was, the gradient, the rate, the state after
    it, the update and where it went (θ_{k+1} = θ_k + u_k)."""
    k = int(np.clip(k, 0, t.lr.shape[1] - 1))
    numbers = {
        "theta": t.xy[0, k],
        "grad": t.grad[0, k],
        "lr": float(t.lr[0, k]),
        "update": t.update[0, k],
        "next": t.xy[0, k + 1],
        "loss": float(t.loss[0, k]),
        "next_loss": float(t.loss[0, k + 1]),
    }
    state = {name.rsplit(".", 1)[-1]: np.asarray(v[0, k]) for name, v in (t.state or {}).items()}
    return {**numbers, "state": state}
