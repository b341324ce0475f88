"""The network trainer and the 2-D runner are one engine: the same Spec makes the same
updates on the same loss, and the trainer's callbacks follow Keras's documented algorithms."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import callbacks, train
from optimizers.catalog import CATALOG
from tests.test_schedules import keras_reduce_on_plateau

STEPS = 25
SECOND_ORDER = ("lbfgs", "newton")
MOMENTUM_RULE = "params: mu = 0.9\nv = mu*v - lr*g\nx = x + v"
EXTRAS = {  # the row options and schedules a surface row can have
    "plain": {},
    "clipped by norm": {"clip_norm": 0.5},
    "clipped per coordinate": {"clip_value": 0.3},
    "weight decay": {"weight_decay": 0.05},
    "step decay": {"schedule": optimizers.schedule("step", every=5, factor=0.5)},
    "cosine": {"schedule": optimizers.schedule("cosine")},
    "warm-up": {"schedule": optimizers.schedule("warmup", steps=8)},
}


def fitted_path(surface, spec, steps):
    """The trainer's loop on a surface: one full-batch minibatch an epoch, so an epoch is a
    step and the schedule's epoch clock is the runner's step clock."""
    config = train.Config(spec)
    structure, rows = train.plan([config], 1)
    row = jax.tree.map(lambda column: column[0], rows)
    loss = lambda theta, order, j: surface.fn(theta, surface.param_arrays())  # noqa: E731
    measure = lambda theta, epoch: (surface.fn(theta, surface.param_arrays()),) * 2  # noqa: E731
    minibatches = (lambda e: 0, loss, lambda j: True)
    out = jax.jit(
        lambda row: train.fit(
            structure, row, jnp.asarray(surface.start, jnp.float32), minibatches, measure, 1, steps
        )
    )(row)
    return np.asarray(out["weights"]), np.asarray(out["lr"])


def specs():
    """Every first-order catalog entry as it comes, and every option and schedule on a plain
    and an adaptive one."""
    for name in CATALOG:
        if name not in SECOND_ORDER:
            yield pytest.param(optimizers.make(name), id=name)
    for name in ("momentum", "adam"):
        for extra, settings in EXTRAS.items():
            if settings:
                yield pytest.param(optimizers.make(name, **settings), id=f"{name}, {extra}")
    yield pytest.param(optimizers.from_rule(MOMENTUM_RULE, learning_rate=0.01), id="rule")


@pytest.mark.parametrize("spec", list(specs()))
def test_the_trainer_and_the_runner_make_the_same_updates(spec):
    surface = landscapes.get("quadratic", condition=10.0, angle=30.0)
    run = optimizers.run(surface, spec, steps=STEPS)
    assert run.diverged_at[0] < 0  # the runner freezes a diverged run; compare real steps
    weights, rates = fitted_path(surface, spec, STEPS)
    scale = np.abs(run.xy[0]).max() + np.abs(run.xy[0] - run.xy[0, 0]).max()
    np.testing.assert_allclose(weights, run.xy[0], atol=2e-5 * scale, rtol=2e-5)
    np.testing.assert_allclose(rates, run.lr[0], rtol=1e-6)


def test_second_order_entries_and_line_searches_are_refused_with_the_reason():
    for spec in (optimizers.make("lbfgs"), optimizers.make("sgd", line_search=True)):
        with pytest.raises(ValueError, match="cannot train the network"):
            train.train("xor", [train.Config(spec)], epochs=2)


# Keras's algorithms as its documentation and source describe them, replayed in plain
# Python on recorded loss series (mode "min"), written here independently of our code.


def keras_epoch_rates(losses, lr, **numbers):
    """The rate each epoch trains with: Keras's `on_epoch_end` (test_schedules' replay) may
    lower it for the next epoch, so epoch 0 trains at the starting rate."""
    return [lr, *keras_reduce_on_plateau(losses, lr, **numbers)[:-1]]


def keras_early_stopping(losses, patience, min_delta):
    """(stopped_epoch or −1, best_epoch): Keras 3's `on_epoch_end`, no baseline."""
    best, wait, best_epoch = math.inf, 0, 0
    min_delta = -abs(min_delta)  # Keras negates it in mode "min"
    for epoch, current in enumerate(losses):
        wait += 1
        if current - min_delta < best:  # Keras's monitor_op(current - min_delta, best)
            best, best_epoch, wait = current, epoch, 0
            continue
        if wait >= patience and epoch > 0:
            return epoch, best_epoch
    return -1, best_epoch


def recorded_series(seed, epochs=60):
    """A validation-loss-like series: falling, noisy, with plateaus and a rise."""
    rng = np.random.default_rng(seed)
    trend = 1.0 / (1 + 0.1 * np.arange(epochs)) + 0.002 * np.maximum(np.arange(epochs) - 40, 0)
    steps = rng.choice([0.0, 1.0], epochs, p=[0.7, 0.3])
    return (trend * (1 + 0.05 * rng.normal(size=epochs)) + 0.01 * steps).astype(np.float32)


def replayed(series, text, lr0=0.1):
    """Our trainer's loop fed `series` as its watched loss (the epoch's index picks it)."""
    cbs = callbacks.parse(text)
    spec = optimizers.make("sgd", learning_rate=lr0, schedule=cbs.schedule)
    config = train.Config(spec, callbacks=cbs)
    structure, rows = train.plan([config], 1)
    row = jax.tree.map(lambda column: column[0], rows)
    values = jnp.asarray(series)

    def measure(theta, epoch):  # the series is what the epochs' ends see
        loss = values[jnp.clip(epoch, 0, len(series) - 1)]
        return loss, loss

    minibatches = (lambda e: 0, lambda theta, order, j: jnp.sum(theta), lambda j: True)
    out = train.fit(structure, row, jnp.zeros(1), minibatches, measure, 1, len(series))
    return jax.device_get(out)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(
    "numbers",
    [
        dict(factor=0.5, patience=5, min_delta=1e-4, cooldown=0, min_lr=1e-12),
        dict(factor=0.1, patience=2, min_delta=0.01, cooldown=3, min_lr=1e-3),
        dict(factor=0.5, patience=0, min_delta=0.0, cooldown=1, min_lr=0.0),
    ],
)
def test_reduce_on_plateau_follows_keras_epoch_by_epoch(seed, numbers):
    series = recorded_series(seed)
    text = "ReduceLROnPlateau(" + ", ".join(f"{k}={v!r}" for k, v in numbers.items()) + ")"
    expected = keras_epoch_rates(series, 0.1, **numbers)
    np.testing.assert_allclose(replayed(series, text)["lr"], expected, rtol=1e-6)


def keras_learning_rate_scheduler(schedule, lr, epochs):
    """The rate each epoch trains with: `on_epoch_begin` sets schedule(epoch, current rate)."""
    rates = []
    for epoch in range(epochs):
        lr = schedule(epoch, lr)
        rates.append(lr)
    return rates


@pytest.mark.parametrize(
    "text, schedule",
    [
        (
            "LearningRateScheduler(lambda epoch, lr: lr if epoch < 10 else lr * math.exp(-0.1))",
            lambda epoch, lr: lr if epoch < 10 else lr * math.exp(-0.1),
        ),
        (
            "keras.callbacks.LearningRateScheduler(lambda e, lr: 0.1 * 0.5 ** (e // 7))",
            lambda e, lr: 0.1 * 0.5 ** (e // 7),
        ),
        ("LearningRateScheduler('lr * 0.95')", lambda epoch, lr: lr * 0.95),
    ],
)
def test_a_learning_rate_scheduler_follows_keras_epoch_by_epoch(text, schedule):
    series = recorded_series(0)
    expected = keras_learning_rate_scheduler(schedule, 0.1, len(series))
    np.testing.assert_allclose(replayed(series, text)["lr"], expected, rtol=1e-5)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("patience, min_delta", [(0, 0.0), (3, 0.0), (5, 0.01), (12, 0.001)])
def test_early_stopping_follows_keras_and_stops_the_run_there(seed, patience, min_delta):
    series = recorded_series(seed)
    text = f"EarlyStopping(patience={patience}, min_delta={min_delta})"
    stopped, _ = keras_early_stopping(series, patience, min_delta)
    out = replayed(series, text)
    assert out["stopped_at"] == stopped
    if stopped >= 0:  # nothing is trained, or shown, after the stop
        assert np.isfinite(out["test"][: stopped + 2]).all()
        assert np.isnan(out["test"][stopped + 2 :]).all()
        assert np.isnan(out["lr"][stopped + 1 :]).all()


def test_restored_weights_are_the_best_epochs():
    cbs = callbacks.parse(
        "EarlyStopping(monitor='val_loss', patience=15, restore_best_weights=True)"
    )
    spec = optimizers.make("sgd", learning_rate=3.0)  # too fast: the test loss wanders
    config = train.Config(spec, 1, "relu", callbacks=cbs)
    result = train.train("spiral", [config], epochs=300)
    stopped = int(result.stopped_at[0])
    assert 0 < stopped < 299
    best = int(np.nanargmin(result.test_loss[0, 1:]))  # column e + 1 is after epoch e
    np.testing.assert_array_equal(result.final[0], result.weights[0, best + 1])
    assert result.final_test[0] == pytest.approx(result.test_loss[0, best + 1], rel=1e-6)
