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
from optimizers import engine, schedules
from optimizers.own import entry_of
from optimizers.spec import Spec

BOUND_SPANS = 5.0  # a run is diverged once it is this many domain widths outside the domain
MAX_LINE_SEARCH_STEPS = 30
_traces: collections.Counter = collections.Counter()


class Trajectories(NamedTuple):
    """Paths of n runs over `steps` steps. `diverged_at` is the step a run left the picture
    (or its loss turned non-finite), −1 for runs that stayed; `escaped` tells which of those
    left with a finite loss below their start's: on a surface unbounded below (a saddle) that
    is an escape, the lesson, not a divergence."""

    xy: np.ndarray  # (n, steps + 1, 2)
    loss: np.ndarray  # (n, steps + 1)
    lr: np.ndarray  # (n, steps)
    grad: np.ndarray  # (n, steps, 2): the gradient the step used (noise and clipping included)
    update: np.ndarray  # (n, steps, 2): θ_{t+1} − θ_t
    diverged_at: np.ndarray  # (n,)
    labels: list
    # with keep_state: each optimizer-state leaf by its path, (n, steps, ...)
    state: dict | None = None
    escaped: np.ndarray | None = None  # (n,) bool

    def diverged(self) -> np.ndarray:
        """(n,) bool: left the picture or blew up, and did not escape."""
        return (self.diverged_at >= 0) & ~self.escapes()

    def escapes(self) -> np.ndarray:
        """(n,) bool: left the picture while the loss kept falling."""
        return np.zeros(len(self.diverged_at), bool) if self.escaped is None else self.escaped


class SweepResult(NamedTuple):
    """Outcome of a sweep, without paths or labels (rows follow the specs' broadcast order).

    A diverged run has diverged_at ≥ 0, converged_at = −1 and, since its loss blew up,
    final_loss = the largest float32 (finite, so it sorts last and never poisons a mean) and
    final_xy = (0, 0). `final_xy` is where a run ended: basins of attraction read it.
    """

    final_loss: np.ndarray
    diverged_at: np.ndarray
    converged_at: np.ndarray
    final_xy: np.ndarray  # (n, 2)
    escaped: np.ndarray | None = None  # (n,) bool: of the runs that left, those whose loss fell


def trace_count() -> int:
    """How many times the runner's jitted functions were traced (compiled) in this process."""
    return sum(_traces.values())


def run(
    surface: Surface,
    specs,
    start=None,
    steps: int = 500,
    batch_noise=0.0,
    seed=0,
    keep_state: bool = False,
) -> Trajectories:
    """Run every configuration in `specs` from `start` for `steps` steps.

    `start` is one point or one per configuration; `seed` an int or a list of ints, each
    configuration running once per seed with Gaussian gradient noise of scale
    batch_noise/√batch_size (no noise when batch_noise is 0). `keep_state` also records the
    optimizer's state after every step (the explainer reads it; specs of one structure only).
    """
    keep = "state" if keep_state else "path"
    out = _dispatch(surface, specs, start, steps, batch_noise, seed, keep_path=keep, tol=0.0)
    labels = _row_labels([specs] if isinstance(specs, Spec) else specs, np.atleast_1d(seed))
    table = out["path"]  # columns x, y, loss, lr, gx, gy, ux, uy; row 0 is the start
    state = {key[len("state") :]: value for key, value in out.items() if key.startswith("state")}
    return Trajectories(
        table[:, :, 0:2],
        table[:, :, 2],
        table[:, 1:, 3],
        table[:, 1:, 4:6],
        table[:, 1:, 6:8],
        out["diverged_at"],
        labels,
        state if keep_state else None,
        out["escaped"].astype(bool),
    )


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
    out = _dispatch(surface, specs, start, steps, batch_noise, seed, keep_path=False, tol=tol)[
        "result"
    ]
    return SweepResult(
        out[:, 2],
        out[:, 0].astype(np.int32),
        out[:, 1].astype(np.int32),
        out[:, 3:5],
        out[:, 5] > 0.5,
    )


def points(surface: Surface, specs, start=None, steps: int = 500, batch_noise=0.0, seed=0):
    """(xy (n, steps + 1, 2), loss (n, steps + 1), diverged_at): `run` without rates, gradients,
    updates or labels, for many runs at once (a noise fan's seeds)."""
    out = _dispatch(surface, specs, start, steps, batch_noise, seed, keep_path="lean", tol=0.0)
    return out["path"][..., :2], out["path"][..., 2], out["diverged_at"]


def _dispatch(surface, specs, start, steps, batch_noise, seed, keep_path, tol):
    """Group the configurations by structure, run each group as one batch, merge in order."""
    specs = [specs] if isinstance(specs, Spec) else list(specs)
    if not specs:
        raise ValueError("give at least one optimizer spec")
    steps = int(steps)
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    seeds = np.atleast_1d(np.asarray(seed, np.int64)).astype(np.uint32)
    sizes = [spec.size * len(seeds) for spec in specs]
    offsets = np.cumsum([0, *sizes])
    start = np.asarray(surface.start if start is None else start, np.float32)
    if not np.isfinite(start).all():  # nothing to freeze at: a run must start somewhere real
        raise ValueError("start points must be finite")
    shared_start = start.ndim == 1  # one start for every run goes in once, not copied per run
    starts = start if shared_start else np.broadcast_to(start, (offsets[-1], 2))
    groups = engine.by_structure(spec.structure for spec in specs)
    pending = []  # dispatch every group before waiting on any: JAX runs them asynchronously
    for structure, members in groups.items():
        rows = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in members])
        run_seeds = seeds[0] if len(seeds) == 1 else np.tile(seeds, len(rows) // len(seeds))
        run_batch = _recorded_batch if keep_path in RECORDED else _run_batch
        out = run_batch(
            surface.fn,
            surface.minibatch,
            structure,
            steps,
            bool(np.asarray(batch_noise) > 0),
            keep_path,
            surface.param_arrays(),
            engine.columns([specs[i] for i in members], len(seeds)),
            starts if shared_start else starts[rows],
            run_seeds,
            np.float32(batch_noise),
            divergence_box(surface.domain),
            np.float32(-np.inf if surface.f_min is None else surface.f_min),
            np.float32(tol),
        )
        pending.append((rows, out))
    if len(pending) == 1:  # one structure: its rows are already in order
        return jax.device_get(pending[0][1])
    outs = [jax.device_get(out) for _, out in pending]
    order = np.concatenate([rows for rows, _ in pending])
    if np.array_equal(order, np.arange(len(order))):  # the groups' rows follow on: end to end
        return {key: np.concatenate([out[key] for out in outs]) for key in outs[0]}
    return engine.merged(
        [(rows, out) for (rows, _), out in zip(pending, outs, strict=True)], len(order)
    )


def _row_labels(specs, seeds):
    labels = []
    for spec in specs:
        for label in spec.labels():
            labels += [label] if len(seeds) == 1 else [f"{label} · seed {s}" for s in seeds]
    return labels


def divergence_box(domain) -> np.ndarray:
    """[[x_min, y_min], [x_max, y_max]]: a run leaving this box around the domain has diverged."""
    (x0, x1), (y0, y1) = domain
    w, h = (x1 - x0) * BOUND_SPANS, (y1 - y0) * BOUND_SPANS
    return np.array([[x0 - w, y0 - h], [x1 + w, y1 + h]], np.float32)


class _Carry(NamedTuple):
    xy: jnp.ndarray
    loss: jnp.ndarray  # at the current point; only kept up to date where something reads it
    opt: tuple
    schedule: tuple
    # RUNNING, a step ≥ 0 (within tolerance from then on), or −2 − step (diverged then)
    status: jnp.ndarray


RUNNING = -1.0


ESCAPED = -1e7  # escaped at step t: ESCAPED − t (exact in float32 for any MAX_STEPS)


def _next_status(status, t, healthy, within, falling):
    """The packed status after step t. Converged means what a numerical analyst means: within
    tolerance from some step to the end of the run, so the step is where the run last entered
    tolerance, and a run that leaves it is running again. Leaving the picture is final: an
    escape when the loss there is finite and below the start's (`falling`), else divergence."""
    running = status > -1.5
    settled = jnp.where(within, jnp.where(status >= 0, status, t + 1), RUNNING)
    left = jnp.where(falling, ESCAPED - t, -2 - t)
    return jnp.where(running & ~healthy, left, jnp.where(running, settled, status))


def _status_events(status):
    """(left_at, converged_at, escaped) from a packed status: the step a run left the picture
    (−1 if it stayed), when it converged, and whether its leaving was an escape."""
    escaped = status <= ESCAPED + 0.5
    left_at = jnp.where(escaped, ESCAPED - status, jnp.where(status <= -2, -2 - status, -1))
    converged_at = jnp.where(status >= 0, status, -1).astype(jnp.int32)
    return left_at.astype(jnp.int32), converged_at, escaped


def _reads_loss(structure) -> bool:
    """Whether the update reads the current loss: reduce-on-plateau and the line searches do."""
    name, _, (kind, then), _, line_search = structure
    return line_search or name == "lbfgs" or "plateau" in (kind, then and then[0])


def _batch(
    fn,
    minibatch,
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
    _traces[(fn, minibatch, structure, steps, noisy, keep_path)] += 1
    one = functools.partial(
        _one_run,
        fn,
        minibatch,
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
    shared = (
        0,
        None if starts.ndim == 1 else 0,
        None if seeds.ndim == 0 else 0,
    )  # one start or seed for all
    return jax.vmap(one, in_axes=shared)(batch, starts, seeds)


# A recorded run (the player's rows, one run's internals) is a few runs: it is compiled for
# compiling fast, XLA's older CPU emitters taking half the time (0.22 s against 0.35–0.50 s
# for a scene's new rule or schedule) for steps that run about twice as slow, a millisecond
# there. Sweeps, basins and fans run millions of steps: compiled to run fast.
RECORDED = ("path", "state")
_STATIC = (0, 1, 2, 3, 4, 5)
_run_batch = jax.jit(_batch, static_argnums=_STATIC)
_recorded_batch = jax.jit(  # the Lab runs on the CPU (jax without CUDA in requirements.txt)
    _batch, static_argnums=_STATIC, compiler_options={"xla_cpu_use_fusion_emitters": False}
)


def _healthy(xy, loss, bounds):
    """Inside the bounds with a finite loss. Per coordinate: reductions would break XLA's fusion.

    A non-finite gradient at a healthy point makes the next point non-finite, so it is caught
    one step later, with the path frozen at the last good point all the same.
    """
    inside = (
        (xy[0] >= bounds[0, 0])
        & (xy[0] <= bounds[1, 0])
        & (xy[1] >= bounds[0, 1])
        & (xy[1] <= bounds[1, 1])
    )
    return inside & jnp.isfinite(loss)


def _one_run(
    fn,
    minibatch,
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
    """One configuration. The loop runs free (a diverged run's later values are discarded):
    a sweep keeps scalar bookkeeping per step, a recorded run finds its divergence in its
    record afterwards, and the path is frozen there.
    The gradient is recomputed from the point each step rather than carried: on the CPU,
    fewer carried arrays is what keeps a 100,000-wide sweep as fast as a bare loop. On a model
    surface (`minibatch` given) each step's gradient comes from a freshly sampled minibatch."""
    name, flags, schedule_structure, interventions, line_search = structure
    entry = entry_of(name, flags)
    hyper, options = row["hyper"], row["options"]
    lr0 = hyper["learning_rate"]
    value_fn = lambda xy: fn(xy, surface_params)  # noqa: E731
    grad_fn = jax.grad(value_fn)
    tx = entry.build(hyper, dict(flags))
    search = optax.scale_by_backtracking_linesearch(MAX_LINE_SEARCH_STEPS) if line_search else None
    key = jax.random.key(seed)
    noise_scale = noise / jnp.sqrt(options["batch_size"])
    start_loss = value_fn(start)

    def step(c: _Carry, xs):
        t, gaussian = xs
        step_key = jax.random.fold_in(key, t.astype(jnp.int32))
        if minibatch is None:
            g = grad_fn(c.xy)
        else:
            g = jax.grad(minibatch)(c.xy, surface_params, jax.random.fold_in(step_key, 1))
        if noisy:
            g = g + noise_scale * gaussian
        g = engine.gradient(g, options, interventions)
        lr, schedule_state = schedules.learning_rate(
            schedule_structure, row["schedule"], lr0, t, steps, c.loss, c.schedule
        )
        lr = jnp.where(jnp.isfinite(lr), lr, 0.0)
        base_state, search_state = c.opt
        u, base_state = engine.update(
            entry,
            tx,
            row,
            interventions,
            g,
            base_state,
            c.xy,
            lr,
            step=t,
            value_fn=value_fn,
            loss=c.loss,
        )
        if search is not None:
            u, search_state = search.update(
                u, search_state, c.xy, value=c.loss, grad=g, value_fn=value_fn
            )
        xy = c.xy + u
        loss = value_fn(xy)
        if keep_path:  # a recorded run finds where it diverged in its record, after the loop
            status = c.status
        else:
            falling = jnp.isfinite(loss) & (loss < start_loss)
            healthy = _healthy(xy, loss, bounds)
            status = _next_status(c.status, t, healthy, loss - f_star < tol, falling)
        nxt = _Carry(
            xy, loss if track_loss else c.loss, (base_state, search_state), schedule_state, status
        )
        # One row per step (x, y, loss[, lr, gx, gy, ux, uy]): in a scan each recorded array costs
        # a copy per step, so the columns are gathered first. Lean: what a fan of many seeds draws.
        columns = [xy, loss[None]] if keep_path == "lean" else [xy, loss[None], lr[None], g, u]
        record = {"row": jnp.concatenate(columns)} if keep_path else None
        if keep_path == "state":
            leaves = jax.tree_util.tree_flatten_with_path(base_state)[0]
            record |= {"state" + jax.tree_util.keystr(path): leaf for path, leaf in leaves}
        return nxt, record

    track_loss = _reads_loss(structure)
    loss = start_loss
    start_ok = _healthy(start, loss, bounds) & jnp.all(jnp.isfinite(grad_fn(start)))
    loss = jnp.where(start_ok, loss, 0.0)
    status = jnp.where(start_ok, jnp.where(loss - f_star < tol, 0.0, RUNNING), -2.0)
    first = _Carry(
        start,
        loss,
        (tx.init(start), search.init(start) if search else ()),
        schedules.init_state(schedule_structure, lr0),
        status,
    )
    # All of a run's gradient noise drawn at once: one vectorized draw is many times cheaper
    # than a draw per step, and noise fans and batch-noise sweeps are made of little else.
    gaussian = _gaussian(seed, steps) if noisy else jnp.zeros((steps, 0))
    last, path = jax.lax.scan(step, first, (jnp.arange(steps, dtype=jnp.float32), gaussian))
    diverged_at, converged_at, escaped = _status_events(last.status)
    if keep_path:
        diverged_at = _first_unhealthy(path["row"], diverged_at, bounds)
        state = {k: v for k, v in path.items() if k.startswith("state")}
        first = jnp.concatenate([start, loss[None], jnp.zeros(path["row"].shape[1] - 3)])
        return {
            "path": _frozen(path["row"], first, diverged_at, steps),
            "diverged_at": diverged_at,
            "escaped": _escaped(path["row"], diverged_at, loss, start_ok),
            **state,
        }
    healthy = diverged_at < 0
    final_loss = jnp.where(healthy, value_fn(last.xy), jnp.finfo(jnp.float32).max)
    final_xy = jnp.where(healthy, last.xy, 0.0)
    columns = [diverged_at, converged_at, final_loss, *final_xy, escaped]
    return {"result": jnp.stack([c.astype(jnp.float32) for c in columns])}  # one transfer


def _escaped(rows, diverged_at, start_loss, start_ok):
    """Whether a run that left the picture did so with a finite loss below its start's (the
    record's row at `diverged_at` is the first point outside)."""
    exit_loss = rows[jnp.clip(diverged_at, 0, rows.shape[0] - 1), 2]
    falling = jnp.isfinite(exit_loss) & (exit_loss < start_loss)
    return (start_ok & (diverged_at >= 0) & falling).astype(jnp.int32)


def _first_unhealthy(rows, diverged_at, bounds):
    """The step whose new point (x, y, loss: a record's first columns) is the first unhealthy
    one, or −1; a start already unhealthy (`diverged_at` 0) stays 0. One pass over the record
    instead of one check per step: in a loop each check is a kernel of its own."""
    bad = ~_healthy(rows[:, :2].T, rows[:, 2], bounds)
    steps = bad.shape[0]
    first = jnp.min(jnp.where(bad, jnp.arange(steps), steps))  # a plain min: XLA's argmax is slower
    return jnp.where(diverged_at == 0, 0, jnp.where(first < steps, first, -1)).astype(jnp.int32)


def _mix(x):
    """A 32-bit integer mixer (xor-shift-multiply with the "lowbias32" constants): each input
    bit flips about half of the output bits."""
    x = (x ^ (x >> 16)) * jnp.uint32(0x7FEB352D)
    x = (x ^ (x >> 15)) * jnp.uint32(0x846CA68B)
    return x ^ (x >> 16)


def _gaussian(seed, steps: int):
    """A run's gradient noise, (steps, 2) standard normals: a counter-based hash of (seed,
    index) mapped through the inverse error function. Statistical, not cryptographic, quality,
    at a fraction of threefry's cost, which is most of what a fan of a hundred seeds costs."""
    bits = _mix(
        _mix(seed.astype(jnp.uint32) ^ jnp.uint32(0x9E3779B9))
        + jnp.arange(2 * steps, dtype=jnp.uint32)
    )
    uniform = ((bits >> 8).astype(jnp.float32) + 0.5) * (2.0 / 2**24) - 1.0  # in (−1, 1), never ±1
    return (np.float32(np.sqrt(2.0)) * jax.lax.erf_inv(uniform)).reshape(steps, 2)


def _frozen(rows, first, diverged_at, steps):
    """The record as one (steps + 1, columns) table, the start as row 0, held still from the
    diverging step on: x, y and loss keep their last good values, the gradient and update
    read 0, and the schedule's rate (column 3 of a full record) stays readable."""
    table = jnp.concatenate([first[None], rows])
    column = jnp.arange(table.shape[1])
    held = jnp.where(column < 3, table[jnp.maximum(diverged_at, 0)], 0.0)
    moving = (diverged_at < 0) | (jnp.arange(steps + 1) <= diverged_at)
    return jnp.where(moving[:, None] | (column == 3), table, held)
