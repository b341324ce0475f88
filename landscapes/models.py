"""Two-parameter models whose loss is the surface: linear regression y = w·x + b by mean
squared error, and logistic regression with two weights, each on a small built-in dataset.

Unlike the test functions, these surfaces come from data, so an optimizer can take true
minibatch gradients: `batch` examples drawn afresh at each step (all of them: full batch).
Both switches, `standardize` and `batch`, are traced parameters, so changing them does not
recompile.
"""

import jax
import jax.numpy as jnp
import numpy as np

from landscapes.param import Param
from landscapes.surface import describe, register


def _houses(n: int = 40, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Floor area (m², 40–200) and price (thousands): a line with noise."""
    rng = np.random.default_rng(seed)
    area = rng.uniform(40.0, 200.0, n)
    return area.astype(np.float32), (0.9 * area + 30.0 + rng.normal(0.0, 15.0, n)).astype(
        np.float32
    )


def _two_clouds(n: int = 60, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping Gaussian clouds labelled ±1 (overlapping, so the best weights are finite)."""
    rng = np.random.default_rng(seed)
    labels = np.where(np.arange(n) < n // 2, 1.0, -1.0)
    points = labels[:, None] * np.array([1.0, 0.6]) + rng.normal(0.0, 1.0, (n, 2))
    return points.astype(np.float32), labels.astype(np.float32)


AREA, PRICE = _houses()
POINTS, LABELS = _two_clouds()


def _sampled_mean(losses, batch, key):
    """The mean loss over `batch` examples drawn without replacement (all of them when
    batch ≥ N)."""
    take = jax.random.permutation(key, losses.shape[0]) < batch
    return jnp.sum(jnp.where(take, losses, 0.0)) / jnp.maximum(jnp.sum(take), 1)


def _feature(p):
    standardized = (AREA - AREA.mean()) / AREA.std()
    return jnp.where(p["standardize"] > 0.5, standardized, AREA)


def _squared_errors(xy, p):
    return (xy[0] * _feature(p) + xy[1] - PRICE) ** 2


def _linear(xy, p):
    return jnp.mean(_squared_errors(xy, p))


def _linear_minibatch(xy, p, key):
    return _sampled_mean(_squared_errors(xy, p), p["batch"], key)


def least_squares(standardize: bool) -> tuple[tuple[float, float], float]:
    """((w, b), mean squared error) of the best line, by numpy's least squares."""
    x = (AREA - AREA.mean()) / AREA.std() if standardize else AREA
    design = np.stack([x, np.ones_like(x)], axis=1).astype(np.float64)
    (w, b), *_ = np.linalg.lstsq(design, PRICE.astype(np.float64), rcond=None)
    return (float(w), float(b)), float(np.mean((design @ [w, b] - PRICE) ** 2))


def _batch(n: int) -> Param:
    return Param(
        float(n),
        1.0,
        float(n),
        help=f"examples per gradient step, drawn afresh each step ({n} = full batch)",
    )


@register(
    "model",
    title="Linear regression (house prices)",
    standardize=Param(
        0.0, 0.0, 1.0, toggle=True, help="scale the floor area to mean 0, standard deviation 1"
    ),
    batch=_batch(len(AREA)),
)
def linear_regression(standardize, batch):
    (w, b), best = least_squares(bool(standardize))
    half = (1.5, 150.0) if not standardize else (100.0, 100.0)
    return describe(
        _linear,
        domain=((w - half[0], w + half[0]), (b - half[1], b + half[1])),
        start=(w - 0.8 * half[0], b + 0.8 * half[1])
        if not standardize
        else (w - 0.8 * half[0], b - 0.8 * half[1]),
        minima=[((w, b), best)],
        latex=r"L(w, b) = \frac{1}{N}\sum_i (w\,x_i + b - y_i)^2"
        + (r",\ x \to \frac{x - \bar x}{s_x}" if standardize else ""),
        note=(
            "The loss of fitting a line to 40 house prices, as a function of the slope w and the "
            "intercept b. With raw floor areas (40–200 m²) the surface is a ravine about 100,000 "
            "times steeper across than along: gradient descent must take tiny steps and crawls. "
            "Standardize the feature and the same data give a round bowl. Lower `batch` for true "
            "minibatch gradients."
        ),
        lr_range=(1e-6, 1e-4) if not standardize else (1e-3, 0.9),
        minibatch=_linear_minibatch,
        axes=("w (slope)", "b (intercept)"),
    )


def _log_losses(xy, p):
    return jax.nn.softplus(-LABELS * (POINTS @ xy))


def _logistic(xy, p):
    return jnp.mean(_log_losses(xy, p))


def _logistic_minibatch(xy, p, key):
    return _sampled_mean(_log_losses(xy, p), p["batch"], key)


def logistic_optimum() -> tuple[tuple[float, float], float]:
    """((w1, w2), mean log loss) of the best weights, by Newton's method in numpy (the loss is
    convex)."""
    x, t = POINTS.astype(np.float64), LABELS.astype(np.float64)
    w = np.zeros(2)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-t * (x @ w)))  # probability of the right label
        gradient = -(x * (t * (1 - p))[:, None]).mean(axis=0)
        hessian = (x * (p * (1 - p))[:, None]).T @ x / len(t)
        w = w - np.linalg.solve(hessian, gradient)
    return (float(w[0]), float(w[1])), float(np.mean(np.logaddexp(0.0, -t * (x @ w))))


@register("model", batch=_batch(len(LABELS)), title="Logistic regression (two weights)")
def logistic_regression(batch):
    optimum, best = logistic_optimum()
    return describe(
        _logistic,
        domain=((-4.0, 4.0), (-4.0, 4.0)),
        start=(-3.2, 3.2),
        minima=[(optimum, best)],
        latex=r"L(w) = \frac{1}{N}\sum_i \log\left(1 + e^{-t_i\, w^\top x_i}\right)",
        note=(
            "The log loss of a linear classifier without bias on 60 points from two overlapping "
            "clouds, as a function of its two weights. Convex, flat far from the optimum (the "
            "sigmoid saturates) and curved near it; lower `batch` for true minibatch gradients."
        ),
        lr_range=(1e-2, 5.0),
        minibatch=_logistic_minibatch,
        axes=("w₁", "w₂"),
    )
