"""Model surfaces: their minima are the models' best fits, feature scaling turns the ravine into
a bowl, and minibatch gradients are true samples of the data, seeded and repeatable."""

import jax
import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import models


@pytest.mark.parametrize("standardize", [0.0, 1.0])
def test_linear_regression_minimum_is_the_least_squares_line(standardize):
    surface = landscapes.get("linear_regression", standardize=standardize)
    x = models.AREA.astype(np.float64)
    if standardize:
        x = (x - x.mean()) / x.std()
    design = np.stack([x, np.ones_like(x)], axis=1)
    solution, *_ = np.linalg.lstsq(design, models.PRICE.astype(np.float64), rcond=None)
    np.testing.assert_allclose(surface.minima[0], solution, rtol=1e-6)
    mse = np.mean((design @ solution - models.PRICE) ** 2)
    assert surface.minima_values[0] == pytest.approx(mse, rel=1e-6)
    assert float(surface(np.array(solution))) == pytest.approx(mse, rel=1e-4)


def test_standardizing_the_feature_turns_the_ravine_into_a_bowl():
    def condition(standardize):
        surface = landscapes.get("linear_regression", standardize=standardize)
        hessian = jax.hessian(lambda w: surface(w))(np.array(surface.minima[0], np.float32))
        eigenvalues = np.linalg.eigvalsh(np.asarray(hessian, np.float64))
        return eigenvalues.max() / eigenvalues.min()

    assert condition(0.0) > 1e4 and condition(1.0) < 1.5


def test_logistic_regression_minimum_has_zero_gradient_and_is_the_lowest_point():
    surface = landscapes.get("logistic_regression")
    best = np.array(surface.minima[0], np.float32)
    assert np.abs(np.asarray(jax.grad(lambda w: surface(w))(best))).max() < 1e-4
    xs, ys, z = surface.grid(80)
    assert z.min() >= surface.minima_values[0] - 1e-5


def _per_example_gradients(w, b):
    residual = w * models.AREA + b - models.PRICE
    return np.stack([2 * residual * models.AREA, 2 * residual], axis=1)


def test_minibatch_gradients_are_true_samples_of_the_data():
    sgd = [optimizers.make("sgd", learning_rate=1e-6)]
    full = landscapes.get("linear_regression")
    one = landscapes.get("linear_regression", batch=1.0)
    n = len(models.AREA)
    everything = landscapes.get("linear_regression", batch=float(n))
    start = (0.5, 50.0)
    t_full = optimizers.run(full, sgd, start=start, steps=5)
    np.testing.assert_allclose(optimizers.run(everything, sgd, start=start, steps=5).xy, t_full.xy)
    t_one = optimizers.run(one, sgd, start=start, steps=5, seed=1)
    examples = _per_example_gradients(*start)
    first = np.asarray(t_one.grad[0, 0], np.float64)
    assert (
        np.min(np.abs(examples - first).max(axis=1) / np.abs(examples).max(axis=1)) < 1e-4
    )  # one real example
    np.testing.assert_array_equal(
        optimizers.run(one, sgd, start=start, steps=5, seed=1).xy, t_one.xy
    )  # seeded
    assert not np.array_equal(optimizers.run(one, sgd, start=start, steps=5, seed=2).xy, t_one.xy)
    averaged = np.mean(
        [
            optimizers.run(
                landscapes.get("linear_regression", batch=8.0), sgd, start=start, steps=1, seed=s
            ).grad[0, 0]
            for s in range(200)
        ],
        axis=0,
    )
    np.testing.assert_allclose(averaged, examples.mean(axis=0), rtol=0.1)  # unbiased


def test_switching_standardize_or_batch_compiles_nothing():
    sgd = [optimizers.make("sgd", learning_rate=1e-5)]
    optimizers.run(landscapes.get("linear_regression"), sgd, steps=20)
    before = optimizers.trace_count()
    for params in ({"standardize": 1.0}, {"batch": 5.0}, {"standardize": 1.0, "batch": 12.0}):
        optimizers.run(landscapes.get("linear_regression", **params), sgd, steps=20)
    assert optimizers.trace_count() == before
