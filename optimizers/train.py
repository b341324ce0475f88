"""Training the Playground network with catalog optimizers, every configuration side by side in
one vmapped run (`optimizers.slices` makes the trained network a surface).

A configuration is a Spec (optimizer and its numbers) plus the network's batch size,
activation and L1/L2, which step after each gradient step as in the Playground (L1's
crossings of zero are dead links: `network.regularization_step`). Epochs walk the training
set as the Playground does (`network.epoch_shape`); batch size, activation and penalties are
traced, so the course's exercises (batch 1/10/30, rate 0.03/0.3/1, tanh/ReLU/sigmoid, L1 vs
L2) run as one computation per optimizer.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from landscapes import network
from optimizers import callbacks, engine, schedules
from optimizers.callbacks import NONE, Callbacks
from optimizers.own import entry_of
from optimizers.schedules import schedule
from optimizers.spec import Spec


class Config(NamedTuple):
    """One network training run: the optimizer (with its options and a schedule by epoch),
    the network's own settings and the row's Keras callbacks."""

    spec: Spec
    batch_size: int = 10
    activation: str = "tanh"
    l1: float = 0.0
    l2: float = 0.0
    callbacks: Callbacks = NONE

    def label(self) -> str:
        optimizer = dataclasses.replace(self.spec, schedule=schedule("constant")).labels()[0]
        reg = f", L1 {self.l1:g}" * bool(self.l1) + f", L2 {self.l2:g}" * bool(self.l2)
        extra = f", {self.callbacks.text}" if self.callbacks.text else ""
        return f"{optimizer}, batch {self.batch_size}, {self.activation}{reg}{extra}"

    @property
    def structure(self) -> tuple:
        """What compiles: the spec's structure but its schedule. Rates are set once an epoch,
        so every schedule and callback of a group is computed and each row picks its own:
        rows that differ only there train as one batch (one compilation, not one each)."""
        name, flags, _, interventions, line_search = self.spec.structure
        return (name, flags, interventions, line_search)


class Training(NamedTuple):
    """Per configuration: train and test loss per epoch (epoch 0 = before training; not a
    number after an early stop, where nothing was trained), the weights after each epoch
    (held after a stop), the rate each epoch used, the epoch (from 0, as Keras counts) a run
    stopped at (−1: it ran them all), and the model it ended with (the best epoch's weights
    where EarlyStopping restores them) with its losses."""

    train_loss: np.ndarray  # (n, epochs + 1)
    test_loss: np.ndarray  # (n, epochs + 1)
    weights: np.ndarray  # (n, epochs + 1, parameters)
    labels: list[str]
    lr: np.ndarray  # (n, epochs)
    stopped_at: np.ndarray  # (n,)
    final: np.ndarray  # (n, parameters)
    final_train: np.ndarray  # (n,)
    final_test: np.ndarray  # (n,)


def train(
    dataset: str,
    configs,
    epochs: int = 500,
    hidden=8,
    noise: float = 0.0,
    seed: int = 0,
    ratio: int = network.RATIO,
    inputs: tuple = network.INPUTS,
) -> Training:
    """Train one network per configuration from the same seeded start; seeded and repeatable.
    `hidden`: the hidden layers' neurons, an int for one layer (`network.widths`); `ratio`:
    the percent of the points that train; `inputs`: the features switched on (`network.data`)."""
    configs, hidden = list(configs), network.widths(hidden)
    engine.first_order([c.spec for c in configs])
    data = network.data(dataset, noise, seed, ratio, tuple(inputs))
    live = network.live(data.inputs, hidden)
    n = len(data.train_y)
    steps, widest = network.epoch_shape(n, [c.batch_size for c in configs])
    parts = []
    for members in engine.by_structure(c.structure for c in configs).values():
        structure, rows = plan([configs[i] for i in members], n)
        result = _train_group(
            structure,
            hidden,
            epochs,
            steps,
            widest,
            data[:4],
            np.int32(data.output),
            live,
            rows,
            np.uint32(seed),
        )
        parts.append((members, jax.device_get(result)))
    out = engine.merged(parts, len(configs))
    return Training(
        out["train"],
        out["test"],
        out["weights"],
        [c.label() for c in configs],
        out["lr"],
        out["stopped_at"],
        out["final"],
        out["final_train"],
        out["final_test"],
    )


def plan(group: list[Config], n: int) -> tuple[tuple, dict]:
    """(static structure, traced columns) of configurations that train as one batch: the
    schedules and scheduler formulas that occur among them, and per row which is its own."""
    kinds = tuple(dict.fromkeys(c.spec.schedule.structure for c in group))
    formulas = tuple(dict.fromkeys(c.callbacks.scheduler for c in group))
    specs = [dataclasses.replace(c.spec, schedule=schedule("constant")) for c in group]
    templates = {c.spec.schedule.structure: c.spec.schedule.values() for c in reversed(group)}

    def schedule_column(kind):  # a row of another kind carries numbers it never reads
        values = [
            c.spec.schedule.values() if c.spec.schedule.structure == kind else templates[kind]
            for c in group
        ]
        return jax.tree.map(lambda *v: np.stack(v).astype(np.float32), *values)

    def stopping(c: Config) -> dict:  # EarlyStopping's numbers, all 0 without it
        s = c.callbacks.stopping
        flags = {"on": s is not None, "restore": bool(s and s.restore)}
        return {**flags, "watch_loss": bool(s and s.monitor == "loss"), **c.callbacks.numbers()}

    numbers = engine.columns(specs)
    stops = [stopping(c) for c in group]
    rows = {
        "hyper": numbers["hyper"],
        "options": numbers["options"],
        "schedule": tuple(schedule_column(kind) for kind in kinds),
        "kind": np.array([kinds.index(c.spec.schedule.structure) for c in group], np.int32),
        "formula": np.array([formulas.index(c.callbacks.scheduler) for c in group], np.int32),
        "watch_loss": np.array([c.callbacks.monitor == "loss" for c in group], np.float32),
        "stop": {k: np.array([s[k] for s in stops], np.float32) for k in stops[0]},
        "batch": np.array([min(c.batch_size, n) for c in group], np.int32),
        "activation": np.array([network.ACTIVATIONS.index(c.activation) for c in group]),
        "l1": np.array([c.l1 for c in group], np.float32),
        "l2": np.array([c.l2 for c in group], np.float32),
    }
    return (group[0].structure, kinds, formulas), rows


@functools.partial(jax.jit, static_argnums=(0, 1, 2, 3, 4))
def _train_group(structure, hidden, epochs, steps, widest, data, output, live, rows, seed):
    train_x, train_y, test_x, test_y = data
    key = jax.random.key(seed)
    theta0 = jnp.where(live, network.init(jax.random.fold_in(key, 0), hidden), 0.0)
    n = train_y.shape[0]

    def one(row):
        batch, act = row["batch"], row["activation"]

        def full_loss(theta, x, y):
            return jnp.mean(network.losses(theta, x, y, act, hidden, output))

        full = n // batch  # updates an epoch; the points after them join the next epoch's first

        def objective(theta, e, j):  # the Playground's walk: one order, every epoch
            k = jnp.arange(widest)
            own = k < batch
            carried = (j == 0) & (e > 0) & ~own & (k < batch + n - full * batch)
            slots = jnp.where(own, j * batch + k, full * batch + k - batch)
            index = jnp.minimum(slots, n - 1)
            x, y = train_x[index], train_y[index]
            errors = network.losses(theta, x, y, act, hidden, output)
            take = own | carried
            return jnp.sum(jnp.where(take, errors, 0.0)) / jnp.maximum(jnp.sum(take), 1)

        def regularize(before, after, lr):  # after the gradient step, as the Playground
            return network.regularization_step(before, after, lr, row["l1"], row["l2"], hidden)

        def measure(theta, epoch):  # the same at every epoch's end
            return full_loss(theta, train_x, train_y), full_loss(theta, test_x, test_y)

        active = lambda j: j < full  # noqa: E731
        minibatches = (lambda e: e, objective, active)
        return fit(structure, row, theta0, minibatches, measure, steps, epochs, regularize, ~live)

    return jax.vmap(one)(rows)


class _Epoch(NamedTuple):
    theta: jnp.ndarray
    opt: tuple
    dead: jnp.ndarray  # parameters L1 set to zero for good (the Playground's dead links)
    schedule: tuple
    lr: jnp.ndarray  # the rate the last epoch used (a LearningRateScheduler's `lr`)
    watched: jnp.ndarray  # the monitored loss at the last epoch's end
    best: jnp.ndarray  # EarlyStopping's bookkeeping: best loss, epochs waited, ...
    wait: jnp.ndarray
    best_theta: jnp.ndarray
    stopped_at: jnp.ndarray  # −1 while training


def fit(structure, row, theta0, minibatches, measure, steps, epochs, regularize=None, frozen=None):
    """Train θ for `epochs` epochs of `steps` minibatches as Keras's `fit` runs its callbacks:
    the rate is set at each epoch's start (a schedule by epoch, a LearningRateScheduler of the
    epoch and the current rate, or reduce-on-plateau from the loss watched at the last epoch's
    end) and EarlyStopping looks at each epoch's end. `minibatches` is (order(epoch) → the
    epoch's order, objective(θ, order, j) → minibatch j's loss, active(j) → whether minibatch
    j exists); `measure(θ, epoch)` gives the (train, test) losses at an epoch's end.
    `regularize(θ before, θ after, rate)` → (θ, newly dead) is a step after each gradient
    step (the Playground's order); a dead parameter never moves again, and `frozen` ones are
    dead from the start."""
    order_of, objective, active = minibatches
    (name, flags, interventions, _), kinds, formulas = structure
    entry = entry_of(name, flags)
    tx = entry.build(row["hyper"], dict(flags))
    lr0 = row["hyper"]["learning_rate"]

    def epoch(c: _Epoch, e):
        rated = [
            schedules.learning_rate(kind, p, lr0, e, epochs, c.watched, state, e > 0)
            for kind, p, state in zip(kinds, row["schedule"], c.schedule, strict=True)
        ]
        lr = jnp.stack([r for r, _ in rated])[row["kind"]]
        schedule_state = tuple(state for _, state in rated)
        if formulas != (None,):  # a LearningRateScheduler: epoch (from 0) and the current rate
            lr = jnp.stack(
                [
                    lr if f is None else callbacks.rate(f, e.astype(jnp.float32), c.lr)
                    for f in formulas
                ]
            )[row["formula"]]
        lr = jnp.where(jnp.isfinite(lr), lr, 0.0)
        training = c.stopped_at < 0
        order = order_of(e)

        def minibatch(carry, j):
            theta, state, dead = carry
            value_fn = lambda t: objective(t, order, j)  # noqa: E731
            g = engine.gradient(jax.grad(value_fn)(theta), row["options"], interventions)
            u, new = engine.update(
                entry,
                tx,
                row,
                interventions,
                g,
                state,
                theta,
                lr,
                step=(e * steps + j).astype(jnp.float32),
                value_fn=value_fn,
                loss=None,
            )
            stepped, died = theta + u, jnp.zeros_like(dead)
            if regularize is not None:
                stepped, died = regularize(theta, stepped, lr)
            stepped = jnp.where(dead, theta, stepped)
            moving = active(j) & training
            keep = lambda a, b: jnp.where(moving, a, b)  # noqa: E731
            moved = (keep(stepped, theta), jax.tree.map(keep, new, state), keep(dead | died, dead))
            return moved, None

        start = (c.theta, c.opt, c.dead)
        (theta, opt, dead), _ = jax.lax.scan(minibatch, start, jnp.arange(steps))
        losses = measure(theta, e)
        watched = jnp.where(row["watch_loss"] > 0, losses[0], losses[1])
        nxt = c._replace(
            theta=theta, opt=opt, dead=dead, schedule=schedule_state, lr=lr, watched=watched
        )
        nxt = _early_stopping(nxt, row["stop"], losses, e, training)
        record = (theta, *losses, jnp.where(training, lr, jnp.nan))
        return nxt, record

    first = _Epoch(
        theta0,
        tx.init(theta0),
        jnp.zeros(theta0.shape, bool) if frozen is None else frozen,
        tuple(schedules.init_state(kind, lr0) for kind in kinds),
        lr0,
        jnp.float32(jnp.nan),
        jnp.float32(jnp.inf),
        jnp.float32(0.0),
        theta0,
        jnp.int32(-1),
    )
    last, (weights, train, test, rates) = jax.lax.scan(epoch, first, jnp.arange(epochs))
    after_stop = (last.stopped_at >= 0) & (jnp.arange(epochs) > last.stopped_at)
    restore = row["stop"]["on"] * row["stop"]["restore"] > 0
    final = jnp.where(restore, last.best_theta, last.theta)
    start_train, start_test = measure(theta0, -1)
    final_train, final_test = measure(final, epochs)
    with_start = lambda a, b: jnp.concatenate([a[None], b])  # noqa: E731
    return {
        "train": with_start(start_train, jnp.where(after_stop, jnp.nan, train)),
        "test": with_start(start_test, jnp.where(after_stop, jnp.nan, test)),
        "weights": with_start(theta0, weights),
        "lr": rates,
        "stopped_at": last.stopped_at,
        "final": final,
        "final_train": final_train,
        "final_test": final_test,
    }


def _early_stopping(c: _Epoch, numbers, losses, e, training) -> _Epoch:
    """Keras 3's EarlyStopping at the end of epoch `e` (mode min): an improvement is a watched
    loss below the best by more than min_delta; after `patience` epochs without one (and
    never at the first epoch) training stops. The weights kept are the first epoch's, then
    each improvement's."""
    current = jnp.where(numbers["watch_loss"] > 0, losses[0], losses[1])
    improved = current < c.best - numbers["min_delta"]
    wait = jnp.where(improved, 0.0, c.wait + 1)
    stop_now = (numbers["on"] > 0) & training & ~improved & (wait >= numbers["patience"])
    stop_now = stop_now & (e > 0)
    keep = training & (improved | (e == 0))
    return c._replace(
        best=jnp.where(training & improved, current, c.best),
        wait=jnp.where(training, wait, c.wait),
        best_theta=jnp.where(keep, c.theta, c.best_theta),
        stopped_at=jnp.where(stop_now, e.astype(jnp.int32), c.stopped_at),
    )


def decision(
    weights, activation: str, hidden, output: int = 0, grid: int = 60, extent: float = 6.0
) -> np.ndarray:
    """The trained network's output on a grid over [-extent, extent]² (rows: y from top);
    `output`: its output's activation (`network.output` of the data set)."""
    xs = np.linspace(-extent, extent, grid, dtype=np.float32)
    gx, gy = np.meshgrid(xs, xs[::-1])
    f = network.features(jnp.stack([gx.ravel(), gy.ravel()], axis=1))
    act = network.ACTIVATIONS.index(activation)
    out = network.predict(jnp.asarray(weights), f, act, hidden, output)
    return np.asarray(out).reshape(grid, grid)
