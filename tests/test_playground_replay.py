"""Our trainer against TensorFlow Playground's own training loop (`src/nn.ts`: forwardProp,
backProp, updateWeights), transcribed here in numpy as its source runs it: per point, forward
and backward, accumulating each link's and bias's derivative; per batch, the bias moves by
−rate × the mean derivative, each live link first by −rate × its mean derivative, then by
−rate × λ × the regularizer's derivative at its weight before that step; under L1 a link the
second step carries across zero is set to 0 and is dead from then on.

Full-batch epochs (250 points, one update each), so the order the points come in changes
nothing but float rounding."""

import numpy as np
import pytest

import optimizers
from landscapes import network
from optimizers import train

HIDDEN, EPOCHS = 4, 25
DERIVATIVE = {  # each activation's derivative, from its output o and its input z
    "tanh": lambda o, z: 1 - o * o,
    "relu": lambda o, z: (z > 0).astype(float),
    "sigmoid": lambda o, z: o * (1 - o),
    "linear": lambda o, z: np.ones_like(z),
}
ACTIVATE = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "linear": lambda z: z,
}


def playground_epoch(w1, b1, w2, b2, dead, x, y, rate, activation, l1, l2):
    """One epoch of the Playground's loop with the whole training set as its one batch."""
    acc_w1, acc_b1 = np.zeros_like(w1), np.zeros_like(b1)
    acc_w2, acc_b2 = np.zeros_like(w2), 0.0
    act, der = ACTIVATE[activation], DERIVATIVE[activation]
    for point, target in zip(x, y, strict=True):
        z = point @ w1 + b1
        h = act(z)
        out = np.tanh(h @ w2 + b2)
        out_input_der = (out - target) * (1 - out * out)  # square error's der, then tanh's
        acc_b2 += out_input_der
        acc_w2 += out_input_der * h
        hidden_input_der = w2 * out_input_der * der(h, z)
        acc_b1 += hidden_input_der
        acc_w1 += np.outer(point, hidden_input_der)
    n = len(y)
    b1, b2 = b1 - rate * acc_b1 / n, b2 - rate * acc_b2 / n
    weights, accumulated = (
        np.concatenate([w1.ravel(), w2]),
        np.concatenate([acc_w1.ravel(), acc_w2]),
    )
    regularizer_der = l1 * np.sign(weights) + l2 * weights  # at the weight before the step
    stepped = weights - rate / n * accumulated
    moved = stepped - rate * regularizer_der
    crossed = (l1 > 0) & (stepped * moved < 0)
    new = np.where(dead, weights, np.where(crossed, 0.0, moved))
    dead = dead | (crossed & ~dead)
    return new[: w1.size].reshape(w1.shape), b1, new[w1.size :], b2, dead


def playground_run(theta0, data, rate, activation, l1, l2):
    """Weights after each epoch (in our parameter layout) from the Playground's loop."""
    w1, b1, w2, b2 = (np.asarray(part, np.float64) for part in network.unflatten(theta0, HIDDEN))
    dead = np.zeros(w1.size + w2.size, bool)
    x, y = np.asarray(data.train_x, np.float64), np.asarray(data.train_y, np.float64)
    history = []
    for _ in range(EPOCHS):
        w1, b1, w2, b2, dead = playground_epoch(
            w1, b1, w2, b2, dead, x, y, rate, activation, l1, l2
        )
        history.append(np.concatenate([w1.ravel(), b1, w2, [b2]]))
    return np.array(history)


SETTINGS = [  # (rate, activation, L1, L2); at rate 1 with ReLU, float32's rounding grows past
    # the tolerance after about 5 epochs (1e-4 by epoch 15), so ReLU is checked at 0.3
    (0.03, "tanh", 0.0, 0.0),
    (0.3, "tanh", 0.0, 0.01),
    (0.3, "tanh", 0.03, 0.0),
    (0.3, "relu", 0.01, 0.0),
    (0.1, "sigmoid", 0.0, 0.003),
    (0.3, "linear", 0.03, 0.0),
]


@pytest.fixture(scope="module")
def ours():
    configs = [
        train.Config(optimizers.make("sgd", learning_rate=rate), 250, activation, l1, l2)
        for rate, activation, l1, l2 in SETTINGS
    ]
    return train.train("xor", configs, epochs=EPOCHS, hidden=HIDDEN)


@pytest.mark.parametrize("i", range(len(SETTINGS)), ids=[str(s) for s in SETTINGS])
def test_our_trainer_gives_the_playgrounds_weights(ours, i):
    rate, activation, l1, l2 = SETTINGS[i]
    replay = playground_run(ours.weights[i, 0], network.data("xor"), rate, activation, l1, l2)
    np.testing.assert_allclose(ours.weights[i, 1:], replay, atol=2e-5, rtol=1e-4)
    dead = (replay[-1] == 0.0) & (network.weight_mask(HIDDEN) > 0)
    assert network.zero_weights(ours.weights[i, -1], HIDDEN) == int(np.sum(dead))


def test_l1_makes_weights_exactly_zero_and_l2_only_small(ours):
    """The course's point about L1 and L2, in the Playground's algorithm: L1 sets weights to
    exactly zero, L2 shrinks them and none reaches zero."""
    l2_run, l1_run = ours.weights[1, -1], ours.weights[2, -1]
    assert network.zero_weights(l1_run, HIDDEN) > 0
    assert network.zero_weights(l2_run, HIDDEN) == 0
