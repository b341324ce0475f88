"""Linear interpolation between a run's initial and trained weights."""

import numpy as np
import pytest

import optimizers
from optimizers import probes, train


@pytest.fixture(scope="module")
def runs():
    configs = [
        train.Config(optimizers.make("sgd", learning_rate=0.3)),
        train.Config(optimizers.make("adam", learning_rate=0.01), 30, "relu"),
    ]
    return train.train("circle", configs, epochs=40)


@pytest.mark.parametrize("index, activation", [(0, "tanh"), (1, "relu")])
def test_the_line_meets_the_runs_start_and_end_losses(runs, index, activation):
    alphas, train_loss, test_loss = probes.interpolation(runs, index, activation, "circle")
    assert alphas[0] == -0.5 and alphas[-1] == 1.5
    at = {a: int(np.argmin(np.abs(alphas - a))) for a in (0.0, 1.0)}
    assert alphas[at[0.0]] == 0.0 and alphas[at[1.0]] == 1.0
    # θ(0) = θ₀ and θ(1) = θ*: the curve passes through the run's first and last losses
    assert train_loss[at[0.0]] == pytest.approx(runs.train_loss[index, 0], rel=1e-5)
    assert test_loss[at[0.0]] == pytest.approx(runs.test_loss[index, 0], rel=1e-5)
    assert train_loss[at[1.0]] == pytest.approx(runs.final_train[index], rel=1e-5)
    assert test_loss[at[1.0]] == pytest.approx(runs.final_test[index], rel=1e-5)
    assert np.isfinite(train_loss).all() and np.isfinite(test_loss).all()
