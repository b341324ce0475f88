"""The trained Playground network as a surface: its training loss on a 2-D slice of weight
space around the weights it ended with (random filter-normalized or PCA directions), and the
`network_slice` surface that trains one network and slices it.
"""

from __future__ import annotations

import dataclasses
import functools

import jax
import jax.numpy as jnp
import numpy as np

from landscapes import Param, Surface, network
from landscapes.custom import from_function
from landscapes.surface import names as landscapes_names
from landscapes.surface import register
from optimizers.spec import make
from optimizers.train import Config, Training, train


def loss_slice(
    training: Training,
    index: int,
    config: Config,
    dataset: str,
    hidden=8,
    directions: str = "random",
    seed: int = 0,
    noise: float = 0.0,
    ratio: int = network.RATIO,
    inputs: tuple = network.INPUTS,
) -> tuple[Surface, np.ndarray | None]:
    """The training loss around run `index`'s final weights θ* as a surface
    f(a, b) = L(θ* + a·d₁ + b·d₂), and the training path projected on it (PCA directions only;
    None for random ones).

    "random": two Gaussian directions, filter-normalized (Li et al., 2018), over [-1, 1]².
    "pca": the top two principal directions of the path θ_t − θ*, over the path's extent.
    """
    hidden = network.widths(hidden)
    path = np.asarray(training.weights[index], np.float64)
    theta = np.asarray(training.final[index], np.float64)
    if directions == "pca":
        centered = path - theta
        _, _, basis = np.linalg.svd(centered, full_matrices=False)
        d1, d2 = basis[0], basis[1]
        projected = centered @ np.stack([d1, d2], axis=1)
        reach = np.abs(projected).max(axis=0) * 1.25 + 1e-3
        domain = ((-reach[0], reach[0]), (-reach[1], reach[1]))
    else:
        keys = jax.random.split(jax.random.key(seed + 1000), 2)
        d1, d2 = (
            np.asarray(
                network.filter_normalized(jax.random.normal(k, theta.shape), theta, hidden),
                np.float64,
            )
            for k in keys
        )
        projected, domain = None, ((-1.0, 1.0), (-1.0, 1.0))
    surface = _slice_surface(
        (dataset, noise, seed, ratio, tuple(inputs)),
        hidden,
        config.activation,
        config.l1,
        config.l2,
        tuple(theta),
        tuple(d1),
        tuple(d2),
        domain,
    )
    return surface, projected


@functools.lru_cache(maxsize=32)
def _slice_surface(source, hidden, activation, l1, l2, theta, d1, d2, domain) -> Surface:
    data = network.data(*source)
    theta, d1, d2 = (jnp.asarray(v, jnp.float32) for v in (theta, d1, d2))
    act = network.ACTIVATIONS.index(activation)

    def loss(ab):
        w = theta + ab[0] * d1 + ab[1] * d2
        return jnp.mean(
            network.losses(w, data.train_x, data.train_y, act, hidden, data.output)
        ) + network.penalty(w, l1, l2, hidden)

    surface = from_function(
        loss,
        domain,
        name="network_slice",
        start=(0.8 * domain[0][1], 0.8 * domain[1][1]),
        title=f"Network loss slice ({network.title(source[0])}, {activation})",
        latex=r"f(a, b) = L(\theta^* + a\,d_1 + b\,d_2)",
        note="The training loss of the network around its trained weights θ*, which sit at the "
        "origin, along two directions in weight space. Flat, saturated regions often hold "
        "many shallow dips; only the lowest and the one nearest θ* are marked.",
    )
    return _lowest_and_nearest(dataclasses.replace(surface, axes=("a (along d₁)", "b (along d₂)")))


def _lowest_and_nearest(surface: Surface) -> Surface:
    """Keep the global minimum found and the one nearest the origin (θ*'s basin); say the list
    is partial."""
    if not surface.minima:
        return surface
    nearest = min(range(len(surface.minima)), key=lambda i: np.hypot(*surface.minima[i]))
    keep = sorted({0, nearest})  # minima come lowest first
    return dataclasses.replace(
        surface,
        minima=tuple(surface.minima[i] for i in keep),
        minima_values=tuple(surface.minima_values[i] for i in keep),
        minima_complete=False,
    )


FIRST_ORDER = (
    "sgd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
)  # what the slice can be trained with


SLICE_PARAMS = dict(  # the network_slice surface's parameters
    dataset=Param(
        0.0,
        0.0,
        len(network.DATASETS) - 1,
        help="0 spiral, 1 circle, 2 XOR, 3 two Gaussians, 4 plane, 5 multi-Gaussian (regression)",
    ),
    activation=Param(0.0, 0.0, 2.0, help="0 tanh, 1 ReLU, 2 sigmoid"),
    hidden=Param(8.0, 2.0, 16.0, help="neurons in the hidden layer"),
    optimizer=Param(
        0.0,
        0.0,
        len(FIRST_ORDER) - 1,
        help="0 SGD, 1 momentum, 2 Nesterov, 3 Adagrad, 4 RMSprop, 5 Adam",
    ),
    learning_rate=Param(0.3, 1e-4, 10.0, log=True, help="the training run's learning rate"),
    batch=Param(10.0, 1.0, 250.0, help="the training run's batch size"),
    l1=Param(0.0, 0.0, 0.1, help="L1 strength of the training run"),
    l2=Param(0.001, 0.0, 0.1, help="L2 strength of the training run"),
    epochs=Param(500.0, 1.0, 2000.0, help="epochs trained before the slice is taken"),
    seed=Param(0.0, 0.0, 1e6, help="seeds the data, the start and the directions"),
    pca=Param(
        0.0,
        0.0,
        1.0,
        toggle=True,
        help="slice along the training path's top two principal directions",
    ),
)


def network_slice(
    dataset, activation, hidden, optimizer, learning_rate, batch, l1, l2, epochs, seed, pca
):
    """A trained Playground network's loss around its weights, as a surface (trains once per
    setting)."""
    return _trained_slice(
        *(
            int(round(v))
            for v in (dataset, activation, hidden, optimizer, batch, epochs, seed, pca)
        ),
        float(learning_rate),
        float(l1),
        float(l2),
    )


@functools.lru_cache(maxsize=16)
def _trained_slice(
    dataset, activation, hidden, optimizer, batch, epochs, seed, pca, learning_rate, l1, l2
) -> Surface:
    name = network.DATASETS[dataset]
    config = Config(
        make(FIRST_ORDER[optimizer], learning_rate=learning_rate),
        batch,
        network.ACTIVATIONS[activation],
        l1,
        l2,
    )
    training = train(name, [config], epochs=epochs, hidden=hidden, seed=seed)
    surface, _ = loss_slice(training, 0, config, name, hidden, "pca" if pca else "random", seed)
    return surface


def register_slice() -> None:
    """Put `network_slice` among the surfaces (a model surface built by training a network
    here, so landscapes can't define it without importing optimizers). Called once by
    `optimizers/__init__.py`."""
    if "network_slice" not in landscapes_names():
        register("model", title="Network loss slice", **SLICE_PARAMS)(network_slice)
