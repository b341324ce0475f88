"""The trajectory runner: many optimizer configurations on one surface in one jitted call.

Specs are grouped by structure; each group runs as one `vmap` over a `lax.scan` whose
numbers (hyperparameters, schedule parameters, start, noise, seed) are traced, so changing
them never recompiles. A run that turns non-finite or leaves a generous box around the
domain is frozen where it was and `diverged_at` records the step: no NaN or Inf leaves here.
"""

from __future__ import annotations

import collections
import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from landscapes import Surface
from optimizers import schedules
from optimizers.catalog import CATALOG
from optimizers.spec import Spec

BOUND_SPANS = 5.0  # a run is diverged once it is this many domain widths outside the domain
MAX_LINE_SEARCH_STEPS = 30
_traces: collections.Counter = collections.Counter()


class Trajectories(NamedTuple):
    """Paths of n runs over `steps` steps; `diverged_at` is -1 for runs that never diverged."""

    xy: np.ndarray  # (n, steps + 1, 2)
    loss: np.ndarray  # (n, steps + 1)
    lr: np.ndarray  # (n, steps)
    grad: np.ndarray  # (n, steps, 2): the gradient the step used (noise and clipping included)
    update: np.ndarray  # (n, steps, 2): θ_{t+1} − θ_t
    diverged_at: np.ndarray  # (n,)
    labels: list


class SweepResult(NamedTuple):
    """Outcome of a sweep, without the paths: first step within `tol` of f*, -1 if none."""

    final_loss: np.ndarray
    diverged_at: np.ndarray
    converged_at: np.ndarray
    labels: list


def trace_count() -> int:
    """How many times the runner's jitted functions were traced (compiled) in this process."""
    return sum(_traces.values())


def run(surface: Surface, specs, start=None, steps: int = 500, batch_noise=0.0, seed=0) -> Trajectories:
    """Run every configuration in `specs` from `start` for `steps` steps.

    `start` is one point or one per configuration; `seed` an int or a list of ints, each
    configuration running once per seed with Gaussian gradient noise of scale
    batch_noise/√batch_size (no noise when batch_noise is 0).
    """
    out, labels = _dispatch(surface, specs, start, steps, batch_noise, seed, keep_path=True, tol=0.0)
    xy = np.concatenate([out["start"][:, None], out["xy"]], axis=1)
    loss = np.concatenate([out["start_loss"][:, None], out["loss"]], axis=1)
    return Trajectories(xy, loss, out["lr"], out["grad"], out["update"], out["diverged_at"], labels)


def sweep(
    surface: Surface,
    specs,
    start=None,
    steps: int = 1000,
    tol: float = 1e-6,
    batch_noise=0.0,
    seed=0,
) -> SweepResult:
    """Like `run`, keeping only final loss, divergence and convergence: for huge batches."""
    out, labels = _dispatch(surface, specs, start, steps, batch_noise, seed, keep_path=False, tol=tol)
    return SweepResult(out["final_loss"], out["diverged_at"], out["converged_at"], labels)


def _dispatch(surface, specs, start, steps, batch_noise, seed, keep_path, tol):
    specs = [specs] if isinstance(specs, Spec) else list(specs)
    if not specs:
        raise ValueError("give at least one optimizer spec")
    steps = int(steps)
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    seeds = np.atleast_1d(np.asarray(seed, np.int64)).astype(np.uint32)
    rows = [(i, j, s) for i, spec in enumerate(specs) for j in range(spec.size) for s in seeds]
    labels = _row_labels(specs, seeds)
    starts = np.broadcast_to(
        np.asarray(surface.start if start is None else start, np.float32),
        (len(rows), 2),
    )
    noisy = bool(np.asarray(batch_noise) > 0)
    bounds = _bounds(surface.domain)
    f_star = np.float32(surface.f_min if surface.f_min is not None else -np.inf)
    by_structure = collections.defaultdict(list)
    for r, (i, _, _) in enumerate(rows):
        by_structure[specs[i].structure].append(r)
    columns = [spec.columns() for spec in specs]
    results = {}
    for structure, members in by_structure.items():
        batch = jax.tree.map(lambda *xs: np.stack(xs), *[_row(columns, rows[r]) for r in members])
        out = _run_batch(
            surface.fn,
            structure,
            steps,
            noisy,
            keep_path,
            surface.param_arrays(),
            batch,
            starts[members],
            np.asarray([rows[r][2] for r in members], np.uint32),
            np.float32(batch_noise),
            bounds,
            f_star,
            np.float32(tol),
        )
        results[tuple(members)] = jax.device_get(out)
    merged = {}
    for members, out in results.items():
        for key, value in out.items():
            merged.setdefault(key, np.zeros((len(rows), *value.shape[1:]), value.dtype))[list(members)] = (
                value
            )
    return merged, labels


def _row(columns, row):
    i, j, _ = row
    return jax.tree.map(lambda column: column[j], columns[i])


def _row_labels(specs, seeds):
    labels = []
    for spec in specs:
        for label in spec.labels():
            labels += [label] if len(seeds) == 1 else [f"{label} · seed {s}" for s in seeds]
    return labels


def _bounds(domain):
    (x0, x1), (y0, y1) = domain
    w, h = (x1 - x0) * BOUND_SPANS, (y1 - y0) * BOUND_SPANS
    return np.array([[x0 - w, y0 - h], [x1 + w, y1 + h]], np.float32)


class _Carry(NamedTuple):
    xy: jnp.ndarray
    loss: jnp.ndarray
    grad: jnp.ndarray
    opt: tuple
    schedule: tuple
    diverged_at: jnp.ndarray
    converged_at: jnp.ndarray


@functools.partial(jax.jit, static_argnums=(0, 1, 2, 3, 4))
def _run_batch(
    fn,
    structure,
    steps,
    noisy,
    keep_path,
    surface_params,
    batch,
    starts,
    seeds,
    noise,
    bounds,
    f_star,
    tol,
):
    _traces[(fn, structure, steps, noisy, keep_path)] += 1
    one = functools.partial(
        _one_run,
        fn,
        structure,
        steps,
        noisy,
        keep_path,
        surface_params,
        noise=noise,
        bounds=bounds,
        f_star=f_star,
        tol=tol,
    )
    return jax.vmap(one)(batch, starts, seeds)


def _one_run(
    fn,
    structure,
    steps,
    noisy,
    keep_path,
    surface_params,
    row,
    start,
    seed,
    *,
    noise,
    bounds,
    f_star,
    tol,
):
    name, flags, schedule_structure, clips, line_search = structure
    entry = CATALOG[name]
    hyper, options = row["hyper"], row["options"]
    lr0 = hyper["learning_rate"]
    value_fn = lambda xy: fn(xy, surface_params)  # noqa: E731
    value_and_grad = jax.value_and_grad(value_fn)
    tx = entry.build(hyper, dict(flags))
    search = optax.scale_by_backtracking_linesearch(MAX_LINE_SEARCH_STEPS) if line_search else None
    key = jax.random.key(seed)
    noise_scale = noise / jnp.sqrt(options["batch_size"])

    def healthy(xy, loss, grad):
        inside = jnp.all((xy >= bounds[0]) & (xy <= bounds[1]))
        return inside & jnp.isfinite(loss) & jnp.all(jnp.isfinite(grad)) & jnp.all(jnp.isfinite(xy))

    def step(c: _Carry, t):
        g = c.grad
        if noisy:
            g = g + noise_scale * jax.random.normal(jax.random.fold_in(key, t), g.shape)
        if "clip_norm" in clips:
            g = g * jnp.minimum(1.0, options["clip_norm"] / jnp.maximum(jnp.linalg.norm(g), 1e-30))
        if "clip_value" in clips:
            g = jnp.clip(g, -options["clip_value"], options["clip_value"])
        lr, schedule_state = schedules.learning_rate(
            schedule_structure, row["schedule"], lr0, t, steps, c.loss, c.schedule
        )
        lr = jnp.where(jnp.isfinite(lr), lr, 0.0)
        base_state, search_state = c.opt
        u, base_state = tx.update(g, base_state, c.xy, value=c.loss, grad=g, value_fn=value_fn)
        multiplier = jnp.where(lr0 > 0, lr / lr0, 0.0) if entry.lr_inside else lr
        u = multiplier * u - lr * options["weight_decay"] * c.xy
        if search is not None:
            u, search_state = search.update(u, search_state, c.xy, value=c.loss, grad=g, value_fn=value_fn)
        new_xy = c.xy + u
        new_loss, new_grad = value_and_grad(new_xy)
        ok = (c.diverged_at < 0) & healthy(new_xy, new_loss, new_grad) & jnp.all(jnp.isfinite(u))
        moved = _Carry(
            new_xy,
            new_loss,
            new_grad,
            (base_state, search_state),
            schedule_state,
            c.diverged_at,
            c.converged_at,
        )
        nxt = jax.tree.map(lambda a, b: jnp.where(ok, a, b), moved, c)
        diverged_at = jnp.where((c.diverged_at < 0) & ~ok, t, c.diverged_at)
        converged = (nxt.converged_at < 0) & (nxt.loss - f_star < tol) & (diverged_at < 0)
        nxt = nxt._replace(
            diverged_at=diverged_at,
            converged_at=jnp.where(converged, t + 1, nxt.converged_at),
        )
        record = (
            {
                "xy": nxt.xy,
                "loss": nxt.loss,
                "lr": lr,
                "grad": jnp.where(ok, g, 0.0),
                "update": jnp.where(ok, u, 0.0),
            }
            if keep_path
            else None
        )
        return nxt, record

    loss, grad = value_and_grad(start)
    start_ok = healthy(start, loss, grad)
    loss, grad = jnp.where(start_ok, loss, 0.0), jnp.where(start_ok, grad, 0.0)
    first = _Carry(
        start,
        loss,
        grad,
        (tx.init(start), search.init(start) if search else ()),
        schedules.init_state(schedule_structure, lr0),
        jnp.where(start_ok, -1, 0),
        jnp.where(start_ok & (loss - f_star < tol), 0, -1),
    )
    last, path = jax.lax.scan(step, first, jnp.arange(steps))
    out = {
        "diverged_at": last.diverged_at,
        "converged_at": last.converged_at,
        "final_loss": last.loss,
    }
    if keep_path:
        out.update(path, start=start, start_loss=loss)
    return out
