"""A small neural network on TensorFlow Playground-style data: datasets, model, loss, and the
2-D slices of its loss around trained weights that make it a surface.

As in the Playground: 500 points (half for training), the seven input features x₁, x₂, x₁²,
x₂², x₁x₂, sin x₁, sin x₂, hidden layers (one of 8 by default), a tanh output against labels
±1, squared error, L1/L2 on the weights. Everything here is pure JAX or numpy; training lives in
`optimizers.train`, which uses the optimizer catalog.
"""

from __future__ import annotations

import functools
import itertools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

CLASSIFICATION = ("spiral", "circle", "xor", "gauss")  # labels ±1
REGRESSION = ("reg-plane", "reg-gauss")  # labels in [-1, 1] and beyond, a linear output
DATASETS = CLASSIFICATION + REGRESSION
OUTPUTS = ("tanh", "linear")  # the output neuron's activation, as the Playground picks it
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
FEATURES = 7
INPUTS = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")  # the Playground's names
SYMBOLS = ("X₁", "X₂", "X₁²", "X₂²", "X₁X₂", "sin(X₁)", "sin(X₂)")  # and its labels of them


def points(
    name: str, n: int = 500, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(points (n, 2) in [-6, 6]², labels ±1) of a Playground data set, seeded, made as its
    `dataset.ts` makes them. `noise` is the Playground's slider over 100 (0 to 0.5), and acts
    as there: it moves the spiral's points by up to ±noise, decides the circle's and XOR's
    labels at a point moved by up to ±5·noise (the point is drawn where it was: labels near
    the border flip), and widens the Gaussians' variance from 0.5 to 4. The regression sets'
    points are uniform over [-6, 6]², their labels read at a point moved by up to ±6·noise."""
    rng = np.random.default_rng(seed)
    half = n // 2
    labels = np.repeat([1.0, -1.0], half)
    if name in REGRESSION:
        xy = rng.uniform(-6, 6, (2 * half, 2))
        labels = _regression_label(name, xy + noise * rng.uniform(-6, 6, xy.shape))
    elif name == "spiral":
        t = np.arange(half) / half
        arms = [
            np.stack([5 * t * np.sin(3.5 * np.pi * t + d), 5 * t * np.cos(3.5 * np.pi * t + d)], 1)
            for d in (0.0, np.pi)
        ]
        xy = np.concatenate(arms) + noise * rng.uniform(-1, 1, (2 * half, 2))
    elif name == "circle":
        radius = np.concatenate([rng.uniform(0, 2.5, half), rng.uniform(3.5, 5, half)])
        angle = rng.uniform(0, 2 * np.pi, 2 * half)
        xy = np.stack([radius * np.sin(angle), radius * np.cos(angle)], 1)
        moved = xy + noise * rng.uniform(-5, 5, xy.shape)
        labels = np.where(np.hypot(moved[:, 0], moved[:, 1]) < 2.5, 1.0, -1.0)
    elif name == "xor":
        xy = rng.uniform(-5, 5, (2 * half, 2))
        xy += np.where(xy > 0, 0.3, -0.3)  # a margin around the axes, as the Playground leaves
        moved = xy + noise * rng.uniform(-5, 5, xy.shape)
        labels = np.where(moved[:, 0] * moved[:, 1] >= 0, 1.0, -1.0)
    elif name == "gauss":
        spread = np.sqrt(0.5 + 7.0 * noise)  # the variance goes from 0.5 to 4 as noise to 0.5
        xy = np.concatenate([rng.normal(2, spread, (half, 2)), rng.normal(-2, spread, (half, 2))])
    else:
        raise ValueError(f"unknown dataset {name!r}; one of {', '.join(DATASETS)}")
    order = rng.permutation(len(xy))
    return xy[order].astype(np.float32), labels[order].astype(np.float32)


_BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def _regression_label(name: str, xy: np.ndarray) -> np.ndarray:
    """The Playground's regression targets: (x + y) / 10 on the plane; on the six Gaussians,
    of the bumps' signed heights max(0, 1 − d/2) at distance d, the one largest in size."""
    if name == "reg-plane":
        return (xy[:, 0] + xy[:, 1]) / 10
    heights = np.stack(
        [s * np.clip(1 - np.hypot(xy[:, 0] - cx, xy[:, 1] - cy) / 2, 0, 1) for cx, cy, s in _BUMPS]
    )
    return np.take_along_axis(heights, np.abs(heights).argmax(0)[None], 0)[0]


def output(dataset) -> int:
    """The output's activation for a data set, an index into OUTPUTS: linear for regression,
    tanh for classification (one's own points are classes)."""
    return OUTPUTS.index("linear" if dataset in REGRESSION else "tanh")


class Data(NamedTuple):
    """Training and test parts, as features and labels, the inputs switched on, and the
    output's activation (an index into OUTPUTS)."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    train_points: np.ndarray
    test_points: np.ndarray
    inputs: tuple[str, ...] = INPUTS
    output: int = 0


def features(xy) -> jnp.ndarray:
    """The Playground's seven inputs of each point."""
    x, y = xy[..., 0], xy[..., 1]
    return jnp.stack([x, y, x * x, y * y, x * y, jnp.sin(x), jnp.sin(y)], axis=-1)


def own(points: tuple, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(points, labels ±1) of one's own data, (x, y, label) triples, in a seeded order."""
    table = np.asarray(points, np.float32).reshape(-1, 3)
    order = np.random.default_rng(seed).permutation(len(table))
    return table[order, :2], np.where(table[order, 2] > 0, 1.0, -1.0).astype(np.float32)


def title(dataset) -> str:
    """A dataset's name for titles: one's own points are "own data", not their numbers."""
    return dataset if isinstance(dataset, str) else f"own data, {len(dataset)} points"


RATIO = 50  # percent of the points that train, the Playground's default


@functools.lru_cache(maxsize=16)
def data(
    name, noise: float = 0.0, seed: int = 0, ratio: int = RATIO, inputs: tuple = INPUTS
) -> Data:
    """A dataset split into `ratio` percent for training and the rest for testing, as the
    Playground splits its shuffled points (cached: datasets are small and fixed). `name` is
    one of DATASETS or a tuple of one's own (x, y, label) points, which no noise touches.
    Features not among `inputs` are columns of zeros: the network cannot see them."""
    xy, labels = (
        own(name, seed) if isinstance(name, tuple) else points(name, noise=noise, seed=seed)
    )
    split = min(max(len(xy) * ratio // 100, 1), len(xy) - 1)  # a point on each side at least
    shown = tuple(name for name in INPUTS if name in inputs)
    f = np.asarray(features(xy)) * np.array([name in shown for name in INPUTS], np.float32)
    parts = (f[:split], labels[:split], f[split:], labels[split:], xy[:split], xy[split:])
    return Data(*parts, shown, output(name))


def widths(hidden) -> tuple[int, ...]:
    """The hidden layers' widths: `hidden` is one layer's (an int) or each layer's, in order
    (the Playground's network shape; () is no hidden layer, a linear model)."""
    return (hidden,) if isinstance(hidden, int) else tuple(int(h) for h in hidden)


def _blocks(hidden) -> list[tuple[int, int, int]]:
    """(offset, inputs, outputs) of each layer's weights in θ, its biases right after them:
    the layers from the seven features through the hidden ones to the one output."""
    sizes = (FEATURES, *widths(hidden), 1)
    out, at = [], 0
    for n_in, n_out in itertools.pairwise(sizes):
        out.append((at, n_in, n_out))
        at += n_in * n_out + n_out
    return out


def size(hidden) -> int:
    """Number of parameters: each layer's weights (inputs × outputs) and biases."""
    return sum(n_in * n_out + n_out for _, n_in, n_out in _blocks(hidden))


def layers(theta, hidden) -> list[tuple]:
    """Each layer's (weights (inputs, outputs), biases (outputs,)) of θ, input to output."""
    return [
        (theta[at : at + i * o].reshape(i, o), theta[at + i * o : at + i * o + o])
        for at, i, o in _blocks(hidden)
    ]


def weight_mask(hidden) -> np.ndarray:
    """1 on weights, 0 on biases: regularization and filter normalization touch weights only."""
    mask = np.zeros(size(hidden), np.float32)
    for at, n_in, n_out in _blocks(hidden):
        mask[at : at + n_in * n_out] = 1.0
    return mask


def init(key, hidden=8) -> jnp.ndarray:
    """Weights uniform in [-0.5, 0.5], biases 0.1, as the Playground starts."""
    theta = jax.random.uniform(key, (size(hidden),), minval=-0.5, maxval=0.5)
    return jnp.where(weight_mask(hidden) > 0, theta, 0.1)


_ACTIVATE = (jnp.tanh, jax.nn.relu, jax.nn.sigmoid, lambda z: z)  # in the order of ACTIVATIONS


def activate(z, activation):
    """The hidden activation chosen by an index into ACTIVATIONS: a Python int computes that
    one alone; a traced index (rows of one batch differ) computes all and picks."""
    if isinstance(activation, int):
        return _ACTIVATE[activation](z)
    return jnp.stack([f(z) for f in _ACTIVATE])[activation]


def predict(theta, x, activation, hidden, output=0):
    """The network's output for feature rows `x`: every hidden layer with the one activation,
    then the output's (OUTPUTS[output]: tanh, in (-1, 1), or linear; a traced index picks)."""
    *inner, (w_out, b_out) = layers(theta, hidden)
    for w, b in inner:
        x = activate(x @ w + b, activation)
    z = (x @ w_out + b_out)[..., 0]
    if isinstance(output, int):
        return jnp.tanh(z) if OUTPUTS[output] == "tanh" else z
    return jnp.where(output == OUTPUTS.index("linear"), z, jnp.tanh(z))


def losses(theta, x, y, activation, hidden, output=0):
    """Squared error ½(output − label)² of each example."""
    return 0.5 * (predict(theta, x, activation, hidden, output) - y) ** 2


def penalty(theta, l1, l2, hidden):
    """λ₁‖w‖₁ + ½λ₂‖w‖² over the weights (not the biases)."""
    w = theta * weight_mask(hidden)
    return l1 * jnp.sum(jnp.abs(w)) + 0.5 * l2 * jnp.sum(w * w)


def epoch_shape(n: int, batches) -> tuple[int, int]:
    """(minibatch updates in an epoch, the most points one update averages) for each of
    `batches` walking `n` points as the Playground does: in the same order every epoch, an
    update after every batch-th point, the points after the last full batch joining the next
    epoch's first (a batch larger than the set is the whole set)."""
    sizes = [min(b, n) for b in batches]
    return n // min(sizes), max(b + n % b for b in sizes)


def regularization_step(before, after, lr, l1, l2, hidden):
    """The Playground's step after the gradient step: each weight moves by −lr(λ₁ sign w +
    λ₂ w), w as it was before the gradient step; under L1 a weight this step carries across
    zero is set to exactly zero and dies (it never moves again). Biases are left alone.
    Returns (the weights, the weights that died)."""
    weights = weight_mask(hidden) > 0
    moved = after - lr * (l1 * jnp.sign(before) + l2 * before)
    crossed = weights & (l1 > 0) & (after * moved < 0)
    return jnp.where(weights, jnp.where(crossed, 0.0, moved), after), crossed


def live(inputs, hidden) -> np.ndarray:
    """True on every parameter but the weights out of inputs switched off: those start at
    zero and never move, as if the input were not there (the Playground leaves it out)."""
    out = np.ones(size(hidden), bool)
    (at, n_in, n_out), *_ = _blocks(hidden)
    first = out[at : at + n_in * n_out].reshape(n_in, n_out)
    first[[name not in inputs for name in INPUTS]] = False
    return out


def live_weights(inputs, hidden) -> np.ndarray:
    """The weights (not biases) a network with these inputs has."""
    return live(inputs, hidden) & (weight_mask(hidden) > 0)


def zero_weights(theta, hidden, inputs=INPUTS) -> int:
    """How many of the network's weights are exactly zero: L1's dead links."""
    return int(np.sum((np.asarray(theta) == 0.0) & live_weights(inputs, hidden)))


def filter_normalized(direction, theta, hidden):
    """`direction` with each neuron's incoming weights rescaled to the norm of that neuron's
    weights in `theta`, biases zeroed (Li et al., 2018): slices comparable across networks."""
    parts = []
    for (d, bias), (w, _) in zip(layers(direction, hidden), layers(theta, hidden), strict=True):
        scale = jnp.linalg.norm(w, axis=0) / jnp.maximum(jnp.linalg.norm(d, axis=0), 1e-12)
        parts += [(d * scale).ravel(), jnp.zeros_like(bias)]
    return jnp.concatenate(parts)
