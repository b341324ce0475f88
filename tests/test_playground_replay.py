"""Our trainer against TensorFlow Playground's own training loop (`src/nn.ts`: forwardProp,
backProp, updateWeights), transcribed here in numpy as its source runs it: per point, forward
and backward, accumulating each link's and bias's derivative; per batch, the bias moves by
−rate × the mean derivative, each live link first by −rate × its mean derivative, then by
−rate × λ × the regularizer's derivative at its weight before that step; under L1 a link the
second step carries across zero is set to 0 and is dead from then on.

Every epoch walks the training points in the same order (the Playground shuffles its data
once, when it makes it). Each epoch of our trainer is replayed from the weights our trainer
had before it and must end at the same weights to float tolerance: 2e-5, or ten times what
the replay itself moves when every starting weight is nudged by one float32 rounding, where
the loop is that sensitive (at rate 0.3 and batch 10 on these features, a relative 2⁻²³
change of the start moves the weights 1.5e-4 in one epoch). A whole run replayed at once
would compare chaos: at batch 1 a change of the start grows about 60× an epoch."""

import itertools

import numpy as np
import pytest

import optimizers
from landscapes import network
from optimizers import train

HIDDEN, EPOCHS = 4, 25
ULP = 1 + 2.0**-23  # one float32 rounding, relative
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


def backprop(theta, point, target, activation, hidden, output):
    """One point's derivatives of the square error for every parameter of θ (our layout),
    as backProp computes them: the output node's input derivative (out − target) times its
    activation's derivative (tanh, or linear where playground.ts picks it: regression), then
    layer by layer back, each node's from the links out of it."""
    blocks = network.layers(theta, hidden)
    outputs, inputs = [point], []
    for i, (w, b) in enumerate(blocks):
        z = outputs[-1] @ w + b
        inputs.append(z)
        outputs.append(ACTIVATE[output if i == len(blocks) - 1 else activation](z))
    out = outputs[-1]
    input_der = (out - target) * DERIVATIVE[output](out, inputs[-1])  # square error's der, …
    ders = []
    for i in reversed(range(len(blocks))):
        ders = [np.outer(outputs[i], input_der).ravel(), input_der, *ders]
        if i > 0:
            output_der = blocks[i][0] @ input_der
            input_der = output_der * DERIVATIVE[activation](outputs[i], inputs[i - 1])
    return np.concatenate(ders)


def update(theta, accumulated, count, dead, rate, l1, l2, hidden):
    """updateWeights: biases by the mean derivative; each live link by its mean derivative,
    then by the regularizer's derivative at the weight it had before."""
    links = network.weight_mask(hidden) > 0
    regularizer_der = l1 * np.sign(theta) + l2 * theta
    stepped = theta - rate / count * accumulated
    moved = stepped - rate * regularizer_der
    crossed = links & ~dead & (l1 > 0) & (stepped * moved < 0)
    new = np.where(links, np.where(crossed, 0.0, moved), stepped)
    return np.where(dead, theta, new), dead | crossed


def playground_epoch(theta, first: bool, data, rate, activation, l1, l2, batch, hidden, output):
    """The weights (in our layout) after one epoch of oneStep's loop from `theta`: the
    training points in their one order, an update after every batch-th point. After the
    first epoch, the points past the previous epoch's last update were accumulated at
    `theta` (nothing moved since) and join this epoch's first update; a weight L1 has set to
    zero is dead."""
    theta = np.asarray(theta, np.float64)
    dead = (l1 > 0) & (network.weight_mask(hidden) > 0) & (theta == 0.0)
    x, y = np.asarray(data.train_x, np.float64), np.asarray(data.train_y, np.float64)
    accumulated, count = np.zeros_like(theta), 0
    carried = [] if first else list(zip(x, y, strict=True))[len(y) // batch * batch :]
    for point, target in carried:
        accumulated, count = (
            accumulated + backprop(theta, point, target, activation, hidden, output),
            count + 1,
        )
    for i, (point, target) in enumerate(zip(x, y, strict=True)):
        accumulated, count = (
            accumulated + backprop(theta, point, target, activation, hidden, output),
            count + 1,
        )
        if (i + 1) % batch == 0:
            theta, dead = update(theta, accumulated, count, dead, rate, l1, l2, hidden)
            accumulated, count = np.zeros_like(theta), 0
    return theta


def replayed(weights, data, rate, activation, l1, l2, batch, hidden=HIDDEN, output="tanh"):
    """Each epoch of our run replayed from the weights before it, checked to float tolerance;
    yields (our weights after it, the replay's)."""
    settings = (data, rate, activation, l1, l2, batch, hidden, output)
    for epoch, (before, after) in enumerate(itertools.pairwise(weights)):
        replay = playground_epoch(before, epoch == 0, *settings)
        nudged = playground_epoch(before * ULP, epoch == 0, *settings)
        tolerance = max(2e-5, 10 * float(np.abs(nudged - replay).max()))
        np.testing.assert_allclose(after, replay, atol=tolerance, rtol=1e-4, err_msg=str(epoch))
        yield after, replay


SETTINGS = [  # (rate, batch, activation, L1, L2)
    (0.03, 250, "tanh", 0.0, 0.0),
    (0.03, 1, "tanh", 0.0, 0.0),
    (0.03, 30, "tanh", 0.0, 0.0),  # 250 = 8 × 30 + 10: ten points join the next epoch's first
    (0.3, 10, "tanh", 0.0, 0.01),
    (0.3, 250, "tanh", 0.03, 0.0),
    (1.0, 7, "relu", 0.01, 0.0),
    (0.1, 250, "sigmoid", 0.0, 0.003),
    (0.3, 250, "linear", 0.03, 0.0),
]


@pytest.fixture(scope="module")
def ours():
    configs = [
        train.Config(optimizers.make("sgd", learning_rate=rate), batch, activation, l1, l2)
        for rate, batch, activation, l1, l2 in SETTINGS
    ]
    return train.train("xor", configs, epochs=EPOCHS, hidden=HIDDEN)


@pytest.mark.parametrize("i", range(len(SETTINGS)), ids=[str(s) for s in SETTINGS])
def test_our_trainer_gives_the_playgrounds_weights(ours, i):
    rate, batch, activation, l1, l2 = SETTINGS[i]
    data = network.data("xor")
    for after, replay in replayed(ours.weights[i], data, rate, activation, l1, l2, batch):
        dead = (replay == 0.0) & (network.weight_mask(HIDDEN) > 0)
        assert network.zero_weights(after, HIDDEN) == int(np.sum(dead))


def test_l1_makes_weights_exactly_zero_and_l2_only_small(ours):
    """The course's point about L1 and L2, in the Playground's algorithm: L1 sets weights to
    exactly zero, L2 shrinks them and none reaches zero."""
    l2_run, l1_run = ours.weights[3, -1], ours.weights[4, -1]
    assert network.zero_weights(l1_run, HIDDEN) > 0
    assert network.zero_weights(l2_run, HIDDEN) == 0


def test_inputs_switched_off_are_left_out_as_the_playground_leaves_them():
    """With three of the seven inputs, our weights out of the other four stay exactly zero
    and every epoch is the Playground's loop on the three."""
    inputs = ("x", "y", "sinX")
    config = train.Config(optimizers.make("sgd", learning_rate=0.3), 10, "tanh", 0.01, 0.0)
    ours = train.train("xor", [config], epochs=EPOCHS, hidden=HIDDEN, inputs=inputs)
    data = network.data("xor", inputs=inputs)
    off = ~network.live(inputs, HIDDEN)
    assert off.sum() == 4 * HIDDEN and np.all(ours.weights[0][:, off] == 0.0)
    assert len(list(replayed(ours.weights[0], data, 0.3, "tanh", 0.01, 0.0, 10))) == EPOCHS


LAYERED = [  # (rate, batch, activation, L1, L2, hidden layers)
    (0.1, 10, "tanh", 0.0, 0.001, (4, 3)),
    (0.03, 1, "relu", 0.003, 0.0, (3, 3, 2)),
    (0.3, 250, "sigmoid", 0.0, 0.0, ()),  # no hidden layer: a linear model under a tanh
]


@pytest.mark.parametrize("rate, batch, activation, l1, l2, hidden", LAYERED, ids=str)
def test_networks_of_several_layers_or_none_train_as_the_playgrounds(
    rate, batch, activation, l1, l2, hidden
):
    config = train.Config(optimizers.make("sgd", learning_rate=rate), batch, activation, l1, l2)
    ours = train.train("circle", [config], epochs=10, hidden=hidden)
    assert ours.weights.shape[-1] == network.size(hidden)
    data = network.data("circle")
    settings = (data, rate, activation, l1, l2, batch, hidden)
    assert len(list(replayed(ours.weights[0], *settings))) == 10


@pytest.mark.parametrize("dataset", ["reg-plane", "reg-gauss"])
def test_the_regression_sets_train_a_linear_output_as_the_playgrounds(dataset):
    """playground.ts gives the output node a linear activation on its regression problems
    (tanh on classification); the rest of the loop is the same."""
    config = train.Config(optimizers.make("sgd", learning_rate=0.03), 10, "tanh", 0.0, 0.001)
    ours = train.train(dataset, [config], epochs=10, hidden=(4, 2))
    settings = (network.data(dataset), 0.03, "tanh", 0.0, 0.001, 10, (4, 2), "linear")
    assert len(list(replayed(ours.weights[0], *settings))) == 10
