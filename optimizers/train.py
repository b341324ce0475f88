"""Training the Playground network with catalog optimizers, every configuration side by side in
one vmapped run, and the 2-D slices of its loss that make the trained network a surface.

A configuration is a Spec (optimizer and its numbers) plus the network's batch size,
activation and L1/L2. Epochs walk a fresh permutation of the training set in minibatches;
batch size, activation and penalties are traced, so the course's exercises (batch 1/10/30,
rate 0.03/0.3/1, tanh/ReLU/sigmoid, L1 vs L2) run as one computation per optimizer.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from landscapes import Param, Surface, network
from landscapes.custom import from_function
from landscapes.surface import names as landscapes_names
from landscapes.surface import register
from optimizers.catalog import CATALOG
from optimizers.spec import Spec, make


class Config(NamedTuple):
    """One network training run: the optimizer and the network's own settings."""

    spec: Spec
    batch_size: int = 10
    activation: str = "tanh"
    l1: float = 0.0
    l2: float = 0.0

    def label(self) -> str:
        reg = f", L1 {self.l1:g}" * bool(self.l1) + f", L2 {self.l2:g}" * bool(self.l2)
        return f"{self.spec.labels()[0]}, batch {self.batch_size}, {self.activation}{reg}"


class Training(NamedTuple):
    """Per configuration: train and test loss per epoch (epoch 0 = before training), the
    weights after each epoch, and the labels."""

    train_loss: np.ndarray  # (n, epochs + 1)
    test_loss: np.ndarray  # (n, epochs + 1)
    weights: np.ndarray  # (n, epochs + 1, parameters)
    labels: list[str]


def train(
    dataset: str, configs, epochs: int = 500, hidden: int = 8, noise: float = 0.0, seed: int = 0
) -> Training:
    """Train one network per configuration from the same seeded start; seeded and repeatable."""
    configs = list(configs)
    unsupported = {c.spec.name for c in configs} & {"lbfgs", "newton"}
    if unsupported:
        raise ValueError(
            f"{', '.join(sorted(unsupported))} cannot train the network here: use a first-order optimizer"  # noqa: E501
        )
    data = network.data(dataset, noise, seed)
    n = len(data.train_y)
    widest = max(min(c.batch_size, n) for c in configs)
    steps = math.ceil(n / min(c.batch_size for c in configs))  # minibatches in the longest epoch
    out = {"train": [], "test": [], "weights": []}
    order = sorted(range(len(configs)), key=lambda i: configs[i].spec.structure)
    for structure, members in _groups(configs, order):
        rows = {
            "hyper": {
                k: np.array([configs[i].spec.columns()["hyper"][k][0] for i in members])
                for k in configs[members[0]].spec.hyper
            },
            "batch": np.array([min(configs[i].batch_size, n) for i in members], np.int32),
            "activation": np.array(
                [network.ACTIVATIONS.index(configs[i].activation) for i in members], np.int32
            ),
            "l1": np.array([configs[i].l1 for i in members], np.float32),
            "l2": np.array([configs[i].l2 for i in members], np.float32),
        }
        result = _train_group(
            structure, hidden, epochs, steps, widest, data[:4], rows, np.uint32(seed)
        )
        for key, value in jax.device_get(result).items():
            out[key].append((members, value))
    merged = {k: _in_order(parts, len(configs)) for k, parts in out.items()}
    return Training(
        merged["train"], merged["test"], merged["weights"], [c.label() for c in configs]
    )


def _groups(configs, order):
    groups: dict = {}
    for i in order:
        groups.setdefault(configs[i].spec.structure, []).append(i)
    return groups.items()


def _in_order(parts, count):
    first = parts[0][1]
    merged = np.zeros((count, *first.shape[1:]), first.dtype)
    for members, value in parts:
        merged[members] = value
    return merged


@functools.partial(jax.jit, static_argnums=(0, 1, 2, 3, 4))
def _train_group(structure, hidden, epochs, steps, widest, data, rows, seed):
    train_x, train_y, test_x, test_y = data
    name, flags = structure[0], dict(structure[1])
    key = jax.random.key(seed)
    theta0 = network.init(jax.random.fold_in(key, 0), hidden)
    n = train_y.shape[0]

    def one(row):
        tx = CATALOG[name].build(row["hyper"], flags)
        lr = (
            1.0 if CATALOG[name].lr_inside else row["hyper"]["learning_rate"]
        )  # some entries scale inside
        batch, act = row["batch"], row["activation"]

        def full_loss(theta, x, y):
            return jnp.mean(network.losses(theta, x, y, act, hidden))

        def minibatch(carry, j, order):
            theta, state = carry
            slots = j * batch + jnp.arange(widest)
            take = (jnp.arange(widest) < batch) & (slots < n)
            index = order[jnp.minimum(slots, n - 1)]

            def objective(t):
                errors = network.losses(t, train_x[index], train_y[index], act, hidden)
                return jnp.sum(jnp.where(take, errors, 0.0)) / jnp.maximum(jnp.sum(take), 1)

            g = jax.grad(lambda t: objective(t) + network.penalty(t, row["l1"], row["l2"], hidden))(
                theta
            )
            update, new_state = tx.update(g, state, theta)
            active = j * batch < n  # past the end of this epoch: nothing to do
            return (
                jnp.where(active, theta + lr * update, theta),
                jax.tree.map(lambda a, b: jnp.where(active, a, b), new_state, state),
            ), None

        def epoch(carry, e):
            order = jax.random.permutation(jax.random.fold_in(key, e + 1), n)
            carry, _ = jax.lax.scan(lambda c, j: minibatch(c, j, order), carry, jnp.arange(steps))
            theta = carry[0]
            return carry, (
                theta,
                full_loss(theta, train_x, train_y),
                full_loss(theta, test_x, test_y),
            )

        _, (weights, train, test) = jax.lax.scan(
            epoch, (theta0, tx.init(theta0)), jnp.arange(epochs)
        )
        first = lambda a, b: jnp.concatenate([a[None], b])  # noqa: E731
        return {
            "train": first(full_loss(theta0, train_x, train_y), train),
            "test": first(full_loss(theta0, test_x, test_y), test),
            "weights": first(theta0, weights),
        }

    return jax.vmap(one)(rows)


def decision(
    weights, activation: str, hidden: int, grid: int = 60, extent: float = 6.0
) -> np.ndarray:
    """The trained network's output on a grid over [-extent, extent]² (rows: y from top)."""
    xs = np.linspace(-extent, extent, grid, dtype=np.float32)
    gx, gy = np.meshgrid(xs, xs[::-1])
    f = network.features(jnp.stack([gx.ravel(), gy.ravel()], axis=1))
    out = network.predict(jnp.asarray(weights), f, network.ACTIVATIONS.index(activation), hidden)
    return np.asarray(out).reshape(grid, grid)


def loss_slice(
    training: Training,
    index: int,
    config: Config,
    dataset: str,
    hidden: int = 8,
    directions: str = "random",
    seed: int = 0,
    noise: float = 0.0,
) -> tuple[Surface, np.ndarray | None]:
    """The training loss around run `index`'s final weights θ* as a surface
    f(a, b) = L(θ* + a·d₁ + b·d₂), and the training path projected on it (PCA directions only;
    None for random ones).

    "random": two Gaussian directions, filter-normalized (Li et al., 2018), over [-1, 1]².
    "pca": the top two principal directions of the path θ_t − θ*, over the path's extent.
    """
    path = np.asarray(training.weights[index], np.float64)
    theta = path[-1]
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
        dataset,
        noise,
        seed,
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
def _slice_surface(
    dataset, noise, seed, hidden, activation, l1, l2, theta, d1, d2, domain
) -> Surface:
    data = network.data(dataset, noise, seed)
    theta, d1, d2 = (jnp.asarray(v, jnp.float32) for v in (theta, d1, d2))
    act = network.ACTIVATIONS.index(activation)

    def loss(ab):
        w = theta + ab[0] * d1 + ab[1] * d2
        return jnp.mean(
            network.losses(w, data.train_x, data.train_y, act, hidden)
        ) + network.penalty(w, l1, l2, hidden)

    surface = from_function(
        loss,
        domain,
        name="network_slice",
        start=(0.8 * domain[0][1], 0.8 * domain[1][1]),
        title=f"Network loss slice ({dataset}, {activation})",
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
        0.0, 0.0, len(network.DATASETS) - 1, help="0 spiral, 1 circle, 2 XOR, 3 two Gaussians"
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
