"""Schedules against their closed forms (under jit), and plateau against Keras's algorithm."""

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import schedules

LR0, TOTAL = 0.1, 400
STEPS = np.arange(TOTAL)

CLOSED_FORMS = [
    ("constant", {}, lambda t: LR0 + 0 * t),
    ("step", {"every": 50, "factor": 0.5}, lambda t: LR0 * 0.5 ** np.floor(t / 50)),
    ("exponential", {"rate": 0.01}, lambda t: LR0 * np.exp(-0.01 * t)),
    ("inverse_time", {"rate": 0.05}, lambda t: LR0 / (1 + 0.05 * t)),
    (
        "cosine",
        {"period": 100, "min_lr": 0.01},
        lambda t: 0.01 + 0.09 * 0.5 * (1 + np.cos(np.pi * np.minimum(t, 100) / 100)),
    ),
    (
        "cosine",
        {"period": 100, "restarts": 1},
        lambda t: LR0 * 0.5 * (1 + np.cos(np.pi * (t % 100) / 100)),
    ),
    ("cosine", {}, lambda t: LR0 * 0.5 * (1 + np.cos(np.pi * t / TOTAL))),
    (
        "cyclic",
        {"half_period": 20, "peak_factor": 5},
        lambda t: LR0 + 4 * LR0 * (1 - np.abs((t % 40) - 20) / 20),
    ),
    ("range_test", {"start_lr": 1e-5, "end_lr": 10.0}, lambda t: 1e-5 * (1e6) ** (t / (TOTAL - 1))),
]


def _rates(schedule, total=TOTAL, losses=None):
    losses = np.zeros(total, np.float32) if losses is None else np.asarray(losses, np.float32)

    @functools.partial(jax.jit, static_argnums=0)
    def rates(structure, values, lr0, losses):
        def body(state, inputs):
            t, loss = inputs
            lr, state = schedules.learning_rate(structure, values, lr0, t, total, loss, state)
            return state, lr

        return jax.lax.scan(
            body, schedules.init_state(structure, lr0), (jnp.arange(total), losses)
        )[1]

    return np.asarray(rates(schedule.structure, schedule.values(), np.float32(LR0), losses))


@pytest.mark.parametrize(
    "kind, params, closed_form",
    CLOSED_FORMS,
    ids=[f"{k}-{i}" for i, (k, *_) in enumerate(CLOSED_FORMS)],
)
def test_schedule_matches_closed_form_under_jit(kind, params, closed_form):
    np.testing.assert_allclose(
        _rates(optimizers.schedule(kind, **params)), closed_form(STEPS), rtol=2e-5, atol=1e-8
    )


def test_warmup_ramps_linearly_then_hands_over():
    rates = _rates(
        optimizers.schedule("warmup", steps=40, then=optimizers.schedule("exponential", rate=0.02))
    )
    np.testing.assert_allclose(rates[:40], LR0 * STEPS[:40] / 40, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(rates[40:], LR0 * np.exp(-0.02 * (STEPS[40:] - 40)), rtol=1e-5)


def test_one_cycle_rises_to_the_peak_then_falls_far_below_the_start():
    rates = _rates(
        optimizers.schedule("one_cycle", pct_start=0.25, div_factor=10, final_div_factor=100)
    )
    peak = int(np.argmax(rates))
    assert peak == pytest.approx(100, abs=1) and rates[peak] == pytest.approx(LR0, rel=1e-4)
    assert rates[0] == pytest.approx(LR0 / 10, rel=1e-4)
    assert rates[-1] == pytest.approx(LR0 / 1000, rel=0.05)
    assert np.all(np.diff(rates[:peak]) > 0) and np.all(np.diff(rates[peak + 1 :]) < 0)


def test_range_test_grows_exponentially():
    rates = _rates(optimizers.schedule("range_test", start_lr=1e-6, end_lr=1.0))
    ratios = rates[1:] / rates[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-4)
    assert rates[0] == pytest.approx(1e-6) and rates[-1] == pytest.approx(1.0, rel=1e-4)


def keras_reduce_on_plateau(losses, lr, factor, patience, min_delta, cooldown, min_lr):
    """Keras's ReduceLROnPlateau.on_epoch_end, replayed literally (mode 'min'), one call per
    step."""
    best, wait, cooldown_counter, rates = math.inf, 0, 0, []
    for current in losses:
        if cooldown_counter > 0:
            cooldown_counter -= 1
            wait = 0
        if current < best - min_delta:
            best, wait = current, 0
        elif not cooldown_counter > 0:
            wait += 1
            if wait >= patience and lr > min_lr:
                lr = max(lr * factor, min_lr)
                cooldown_counter, wait = cooldown, 0
        rates.append(lr)
    return np.array(rates)


@pytest.mark.parametrize(
    "params",
    [
        {"factor": 0.5, "patience": 5, "min_delta": 0.0, "cooldown": 0, "min_lr": 1e-12},
        {"factor": 0.1, "patience": 10, "min_delta": 1e-3, "cooldown": 7, "min_lr": 1e-4},
        {"factor": 0.7, "patience": 3, "min_delta": 0.05, "cooldown": 2, "min_lr": 0.0},
    ],
)
def test_plateau_replays_keras(params):
    rng = np.random.default_rng(0)
    losses = np.concatenate(
        [
            np.linspace(5, 1, 60),
            1 + 0.1 * rng.random(200),
            np.linspace(1, 0.2, 40),
            np.full(100, 0.2),
        ]
    )
    expected = keras_reduce_on_plateau(losses.astype(np.float32), LR0, **params)
    got = _rates(optimizers.schedule("plateau", **params), total=len(losses), losses=losses)
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert len(np.unique(np.round(got, 12))) > 2  # the rate really dropped several times


def test_plateau_observes_the_loss_inside_a_run():
    surface = landscapes.get("rastrigin")
    spec = optimizers.make(
        "sgd", learning_rate=1e-3, schedule=optimizers.schedule("plateau", factor=0.5, patience=5)
    )
    t = optimizers.run(surface, spec, steps=300)
    expected = keras_reduce_on_plateau(t.loss[0, :-1], 1e-3, 0.5, 5, 1e-4, 0, 0.0)
    np.testing.assert_allclose(t.lr[0], expected, rtol=1e-5)
    assert t.lr[0, -1] < 1e-3


def test_bad_schedules_are_refused():
    with pytest.raises(ValueError, match="unknown schedule"):
        optimizers.schedule("linear")
    with pytest.raises(ValueError, match="no parameter"):
        optimizers.schedule("step", rate=0.1)
    with pytest.raises(ValueError, match="factor"):
        optimizers.schedule("step", factor=2.0)
    with pytest.raises(ValueError, match="then"):
        optimizers.schedule("cosine", then=optimizers.schedule("step"))
