"""Looking into a trained network beyond its loss curves.

Linear interpolation (Goodfellow, Vinyals & Saxe, 2015): the train and test loss along the
straight line θ(α) = (1 − α)θ₀ + αθ* from a run's initial weights θ₀ (α = 0) to the weights it
ended with θ* (α = 1), and past both ends. A curve that falls smoothly says the path the
optimizer took was harder than the landscape between its ends; a bump says there is a barrier.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from landscapes import network

ALPHAS = np.linspace(-0.5, 1.5, 81, dtype=np.float32)  # α = 0 and α = 1 fall on the grid


def interpolation(
    training,
    index: int,
    activation: str,
    dataset: str,
    hidden: int = 8,
    noise: float = 0.0,
    seed: int = 0,
    alphas=ALPHAS,
):
    """(alphas, train loss, test loss) along θ(α) = (1 − α)θ₀ + αθ* for run `index` of
    `training` (an `optimizers.train.Training`), without the penalty: the data's loss."""
    data = network.data(dataset, noise, seed)
    start = jnp.asarray(training.weights[index, 0])
    end = jnp.asarray(training.final[index])
    train, test = _along(
        start,
        end,
        jnp.asarray(alphas, jnp.float32),
        data[:4],
        network.ACTIVATIONS.index(activation),
        hidden,
    )
    return np.asarray(alphas), np.asarray(train), np.asarray(test)


@functools.partial(jax.jit, static_argnums=(5,))
def _along(start, end, alphas, data, activation, hidden):
    train_x, train_y, test_x, test_y = data

    def losses(alpha):
        theta = (1 - alpha) * start + alpha * end
        mean = lambda x, y: jnp.mean(network.losses(theta, x, y, activation, hidden))  # noqa: E731
        return mean(train_x, train_y), mean(test_x, test_y)

    return jax.vmap(losses)(alphas)
