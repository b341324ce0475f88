"""Probes of trained networks: sharpness against the stability threshold, and linear
interpolation between a run's initial and trained weights."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import landscapes
import optimizers
from landscapes import network
from optimizers import callbacks, probes, runner, train


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


def test_the_sharpness_of_a_quadratic_is_its_hessians_largest_eigenvalue():
    # f(x, y) = ½(a x² + 2c x y + b y²) has the Hessian [[a, c], [c, b]], whose largest
    # eigenvalue is (a + b)/2 + √(((a − b)/2)² + c²)
    a, b, c = 3.0, 1.0, 1.5
    loss = lambda p: 0.5 * (a * p[0] ** 2 + 2 * c * p[0] * p[1] + b * p[1] ** 2)  # noqa: E731
    expected = (a + b) / 2 + np.sqrt(((a - b) / 2) ** 2 + c**2)
    top = probes.hessian_top(loss, jnp.array([0.3, -2.0]), jnp.array([1.0, 0.0]))
    assert float(top) == pytest.approx(expected, rel=1e-5)


def test_the_sharpness_of_a_network_sized_quadratic_is_found_from_any_start():
    # ½θᵀAθ with A = Q diag(λ) Qᵀ in 73 dimensions (the network's size): a few outliers over a
    # bulk, as network Hessians have; the top eigenvalue is max λ = 40
    rng = np.random.default_rng(3)
    q, _ = np.linalg.qr(rng.normal(size=(73, 73)))
    spectrum = np.concatenate([[40.0, 25.0, 9.0], rng.uniform(-0.5, 2.0, 70)])
    hessian = jnp.asarray((q * spectrum) @ q.T, jnp.float32)
    loss = lambda t: 0.5 * t @ hessian @ t  # noqa: E731
    for seed in range(3):
        start = jax.random.normal(jax.random.key(seed), (73,))
        top = probes.hessian_top(loss, jnp.zeros(73), start)
        assert float(top) == pytest.approx(40.0, rel=1e-4)


@pytest.fixture(scope="module")
def full_batch():
    configs = [
        train.Config(optimizers.make("sgd", learning_rate=0.2), 250),
        train.Config(optimizers.make("momentum", learning_rate=0.02), 250, "relu", 0.0, 0.01),
        train.Config(
            optimizers.make("sgd", learning_rate=0.3),
            250,
            callbacks=callbacks.parse("EarlyStopping(patience=2, monitor='loss', min_delta=0.01)"),
        ),
    ]
    return configs, train.train("spiral", configs, epochs=60)


def test_network_sharpness_matches_the_eigenvalues_of_its_full_hessian(full_batch):
    configs, runs = full_batch
    found = probes.sharpness(runs, configs, "spiral")
    data = network.data("spiral")
    for i, config in enumerate(configs[:2]):
        act = network.ACTIVATIONS.index(config.activation)

        def objective(t, act=act, config=config):
            mean = jnp.mean(network.losses(t, data.train_x, data.train_y, act, 8))
            return mean + network.penalty(t, config.l1, config.l2, 8)

        for epoch in (0, 30, 60):
            hessian = np.asarray(jax.hessian(objective)(jnp.asarray(runs.weights[i, epoch])))
            top = np.linalg.eigvalsh(hessian.astype(np.float64))[-1]
            assert found[i, epoch] == pytest.approx(top, rel=1e-3)


def test_sharpness_is_not_a_number_after_an_early_stop(full_batch):
    configs, runs = full_batch
    found = probes.sharpness(runs, configs, "spiral")
    stop = int(runs.stopped_at[2])
    assert 0 <= stop < 59  # the patience-2 run stopped
    assert np.isfinite(found[2, : stop + 2]).all() and np.isnan(found[2, stop + 2 :]).all()
    assert np.isfinite(found[:2]).all()


# Linear stability on f(x) = ½ a x² (the textbook results the thresholds must equal):
# gradient descent x ← x − η a x is stable iff η a < 2; heavy ball x ← x − η a x + β(x − x₋)
# iff η a < 2(1 + β) (Polyak, 1964); Nesterov's v ← βv + a x, x ← x − η(a x + βv) iff
# η a (1 + 2β) < 2 + 2β.
TEXTBOOK = {
    "sgd": lambda beta: 2.0,
    "momentum": lambda beta: 2.0 * (1 + beta),
    "nesterov": lambda beta: (2.0 + 2.0 * beta) / (1.0 + 2.0 * beta),
}


@pytest.mark.parametrize("name", list(TEXTBOOK))
def test_the_stability_threshold_is_the_textbook_one_and_the_catalog_obeys_it(name):
    beta = 0.0 if name == "sgd" else 0.9
    limit_rate = TEXTBOOK[name](beta)  # the largest stable η on curvature a = 1
    spec = optimizers.make(name, learning_rate=1.0)
    assert float(probes.stability_threshold(spec, 0.5)) == pytest.approx(limit_rate / 0.5)
    bowl = landscapes.from_function(
        lambda p: 0.5 * (p[0] ** 2 + p[1] ** 2), ((-1e3, 1e3), (-1e3, 1e3)), name="unit_bowl"
    )
    rates = (0.95 * limit_rate, 1.05 * limit_rate)
    specs = [optimizers.make(name, learning_rate=lr) for lr in rates]
    runs = runner.run(bowl, specs, start=(1.0, 1.0), steps=600)
    assert runs.diverged_at[0] < 0 and np.abs(runs.xy[0, -1]).max() < 1e-3  # below: settles
    assert runs.diverged_at[1] >= 0  # above: the iterates grow without bound


def test_adaptive_methods_have_no_stability_line():
    for name in ("adagrad", "rmsprop", "adam"):
        assert probes.stability_threshold(optimizers.make(name), [0.1]) is None


def test_sharpness_compiles_once_whatever_the_rates_runs_and_epochs():
    def probe(rates, epochs):
        configs = [train.Config(optimizers.make("sgd", learning_rate=lr), 250) for lr in rates]
        probes.sharpness(train.train("xor", configs, epochs=epochs), configs, "xor")

    probe((0.1,), 5)
    before = probes._sharpness_chunk._cache_size()
    probe((0.2, 0.05, 0.3), 7)  # other numbers, another count of runs and of epochs
    probe((0.7,) * 5, 300)  # more weights than one chunk holds
    assert probes._sharpness_chunk._cache_size() == before


def test_with_inputs_switched_off_sharpness_is_the_top_eigenvalue_of_the_live_parameters():
    """The Hessian of a network without those inputs: its rows and columns for the live
    parameters only, computed in full here."""
    inputs = ("x", "y", "sinX")
    configs = [train.Config(optimizers.make("sgd", learning_rate=0.3), 250, l2=0.05)]
    runs = train.train("circle", configs, epochs=20, hidden=4, inputs=inputs)
    found = probes.sharpness(runs, configs, "circle", hidden=4, inputs=inputs)
    data = network.data("circle", inputs=inputs)
    live = np.flatnonzero(network.live(inputs, 4))

    for epoch in (0, 20):
        theta = jnp.asarray(runs.weights[0, epoch])

        def objective(sub, theta=theta):
            t = theta.at[live].set(sub)
            mean = jnp.mean(network.losses(t, data.train_x, data.train_y, 0, 4))
            return mean + network.penalty(t, 0.0, 0.05, 4)

        hessian = np.asarray(jax.hessian(objective)(theta[live]), np.float64)
        assert found[0, epoch] == pytest.approx(np.linalg.eigvalsh(hessian)[-1], rel=1e-3)
